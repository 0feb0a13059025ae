#!/usr/bin/env node
// Compiles assembly/kernels.ts with the installed AssemblyScript compiler into two modules:
//   kernels.wasm          fixed-width SIMD only (runs on every engine with wasm SIMD)
//   kernels-relaxed.wasm  the same source with relaxed-simd enabled: the GEMM inner loops use
//                         f32x4.relaxed_madd (one FMA instead of mul + add; ~12% more updates/s)
// Both are committed so installs need no build step; kernels-build.test.ts recompiles them to a
// temp folder and checks the committed bytes still match this source (asc output is deterministic).
// Usage: node agents/nn/wasm/build.mjs [outDir]
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.join(here, 'assembly', 'kernels.ts');
export const WASM = path.join(here, 'kernels.wasm');
export const WASM_RELAXED = path.join(here, 'kernels-relaxed.wasm');

export const ASC_FLAGS = [
  '-O3',
  '--noAssert',
  '--runtime',
  'stub', // no allocation or GC in the module: JS owns the arena
  '--use',
  'abort=', // no env.abort import: the module needs no imports at all
  '--initialMemory',
  '128', // 8 MiB: fixed scratch + a first arena; grows from JS
];

const FEATURES = { plain: ['--enable', 'simd'], relaxed: ['--enable', 'simd,relaxed-simd'] };

/** Compiles one variant to outFile; resolves when written, rejects with the compiler log. */
export async function buildKernels(outFile = WASM, variant = 'plain') {
  const { default: asc } = await import('assemblyscript/asc');
  let log = '';
  const sink = {
    write: (s) => {
      log += String(s);
      return true;
    },
  };
  const { error } = await asc.main([SOURCE, '-o', outFile, ...ASC_FLAGS, ...FEATURES[variant]], { stdout: sink, stderr: sink });
  if (error) throw new Error(`asc failed: ${error.message}\n${log}`);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ? path.resolve(process.argv[2]) : here;
  for (const [variant, file] of [
    ['plain', WASM],
    ['relaxed', WASM_RELAXED],
  ]) {
    const out = await buildKernels(path.join(dir, path.basename(file)), variant);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
}
