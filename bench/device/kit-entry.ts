// The `maxent` command as one CommonJS bundle, for machines that have Node but no npm registry
// (the lent GPU machine). The training worker and the SAC shard worker are bundled beside it, so
// nothing here needs tsx or node_modules, except the optional native `webgpu` (Dawn).
import { main, UsageError } from '../../studio/cli.ts';
import { setWorkerEntry } from '../../studio/worker/supervisor.ts';

setWorkerEntry(new URL('./worker.cjs', import.meta.url));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`maxent: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
