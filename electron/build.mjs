// Bundles main, preload, the training worker and the SAC shard worker into CommonJS for Electron
// (dist-electron/).
// import.meta.url has no CJS equivalent in esbuild: define it from __filename, and ship the
// NN kernels beside the bundles so `new URL('./kernels.wasm', import.meta.url)` finds them.
import { build } from 'esbuild';
import fs from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', '@tensorflow/tfjs-node-gpu', 'webgpu'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'info',
};
await build({
  ...common,
  entryPoints: { main: 'electron/main.ts', worker: 'studio/worker/worker.ts', 'shard-worker': 'agents/sac/shard-worker.ts' },
  outdir: 'dist-electron',
  outExtension: { '.js': '.cjs' },
});
await build({
  ...common,
  define: {},
  banner: {},
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'dist-electron',
  outExtension: { '.js': '.cjs' },
});
for (const f of ['kernels.wasm', 'kernels-relaxed.wasm']) fs.copyFileSync(`agents/nn/wasm/${f}`, `dist-electron/${f}`);
