// Builds the device kit: `maxent` as CommonJS bundles that run with a bare `node` and no
// node_modules, plus the one native module a GPU run needs (webgpu's Dawn for linux-x64).
// The full node_modules (binaryen, tfjs, Electron, …) is far over the 64 MiB a lent machine
// takes; the kit is a few MiB before Dawn.
//     node bench/device/build-kit.mjs [outdir]        (default .device/kit)
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { common, copyAssets } from '../../electron/build.mjs';

/** Dawn's binding for this platform only: other platforms' builds are ~110 MiB more. */
function copyWebgpu(outdir, platform) {
  let src;
  try {
    src = path.dirname(fileURLToPath(import.meta.resolve('webgpu')));
  } catch {
    return false; // optional dependency not installed: the kit runs on the CPU kernels only
  }
  const dst = path.join(outdir, 'node_modules', 'webgpu');
  fs.mkdirSync(path.join(dst, 'dist'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) fs.copyFileSync(path.join(src, f), path.join(dst, f));
  const bin = path.join(src, 'dist', platform);
  if (!fs.existsSync(bin)) throw new Error(`webgpu has no build for ${platform} (${bin})`);
  fs.cpSync(bin, path.join(dst, 'dist', platform), { recursive: true });
  return true;
}

/** Versions of the packages the bundle inlines, for `maxent info` (studio/versions.ts). */
function bundledVersions() {
  const v = (name) => JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
  return { rapier: v('@dimforge/rapier3d-simd-compat'), three: v('three') };
}

export async function buildKit(outdir = '.device/kit', { logLevel = 'info', platform = 'linux-x64' } = {}) {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  // The command itself is ESM (the benches use top-level await); the workers are CommonJS, the
  // names parallel-sac.ts and kit-entry.ts look for beside the bundle.
  await build({
    ...common,
    logLevel,
    sourcemap: false,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    define: { MAXENT_BUNDLED_VERSIONS: JSON.stringify(bundledVersions()) },
    // Bundled CommonJS packages (ws, tfjs) call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // tfjs registers its CPU backend by a bare import that its package.json marks side-effect free.
    ignoreAnnotations: true,
    // Recording needs Chromium (playwright), which no GPU box has: it fails with its own message.
    external: [...common.external, 'playwright-core'],
    entryPoints: { maxent: 'bench/device/kit-entry.ts' },
    outdir,
  });
  await build({
    ...common,
    logLevel,
    sourcemap: false,
    entryPoints: { worker: 'studio/worker/worker.ts', 'shard-worker': 'agents/sac/shard-worker.ts' },
    outdir,
  });
  copyAssets(outdir);
  const webgpu = copyWebgpu(outdir, platform);
  return { outdir, webgpu };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await buildKit(process.argv[2]);
  console.log(`device kit in ${r.outdir}${r.webgpu ? ' (with webgpu)' : ' (no webgpu: CPU only)'}`);
}
