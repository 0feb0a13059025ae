#!/usr/bin/env node
// Compiles assembly/kernels.ts into kernels.wasm with the installed AssemblyScript compiler.
// kernels.wasm is committed so installs need no build step; kernels-build.test.ts recompiles to a
// temp file and checks the committed bytes still match this source (asc output is deterministic).
// Usage: node agents/nn/wasm/build.mjs [outFile]
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.join(here, 'assembly', 'kernels.ts');
export const WASM = path.join(here, 'kernels.wasm');

export const ASC_FLAGS = [
  '-O3',
  '--noAssert',
  '--runtime',
  'stub', // no allocation or GC in the module: JS owns the arena
  '--enable',
  'simd',
  '--use',
  'abort=', // no env.abort import: the module needs no imports at all
  '--initialMemory',
  '128', // 8 MiB: fixed scratch + a first arena; grows from JS
];

/** Compiles the kernels to outFile; resolves when written, rejects with the compiler log. */
export async function buildKernels(outFile = WASM) {
  const { default: asc } = await import('assemblyscript/asc');
  let log = '';
  const sink = {
    write: (s) => {
      log += String(s);
      return true;
    },
  };
  const { error } = await asc.main([SOURCE, '-o', outFile, ...ASC_FLAGS], { stdout: sink, stderr: sink });
  if (error) throw new Error(`asc failed: ${error.message}\n${log}`);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildKernels(process.argv[2] ? path.resolve(process.argv[2]) : WASM);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
