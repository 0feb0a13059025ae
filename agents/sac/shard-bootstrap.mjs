// Shard-worker entry when running from TypeScript sources: registers tsx inside the worker
// (loader hooks of the parent thread do not reach workers on Node 20), then loads the worker.
import { register } from 'tsx/esm/api';
register();
await import('./shard-worker.ts');
