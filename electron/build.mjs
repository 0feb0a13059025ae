// Bundles main, preload and the training worker into CommonJS for Electron (dist-electron/).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, external: ['electron', '@tensorflow/tfjs-node-gpu', 'webgpu'], logLevel: 'info' };
await build({ ...common, entryPoints: { main: 'electron/main.ts', worker: 'studio/worker/worker.ts' }, outdir: 'dist-electron', outExtension: { '.js': '.cjs' } });
await build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist-electron', outExtension: { '.js': '.cjs' } });
