// Bundles main, preload, the training worker and the SAC shard worker into CommonJS for Electron
// (dist-electron/).
// import.meta.url has no CJS equivalent in esbuild: define it from __filename, and ship the
// NN kernels beside the bundles so `new URL('./kernels.wasm', import.meta.url)` finds them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** esbuild options shared by every Node-side bundle (electron/bundle.test.ts bundles with them too). */
export const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', '@tensorflow/tfjs-node-gpu', 'webgpu'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'info',
  outExtension: { '.js': '.cjs' },
};

/** The files a bundle directory needs beside the bundles. */
export function copyAssets(outdir) {
  for (const f of ['kernels.wasm', 'kernels-relaxed.wasm']) fs.copyFileSync(`agents/nn/wasm/${f}`, path.join(outdir, f));
}

export async function buildElectron(outdir = 'dist-electron', logLevel = 'info') {
  await build({
    ...common,
    logLevel,
    entryPoints: { main: 'electron/main.ts', worker: 'studio/worker/worker.ts', 'shard-worker': 'agents/sac/shard-worker.ts' },
    outdir,
  });
  await build({ ...common, logLevel, define: {}, banner: {}, entryPoints: { preload: 'electron/preload.ts' }, outdir });
  copyAssets(outdir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await buildElectron();
