// The committed kernels.wasm and kernels-relaxed.wasm must be exactly what build.mjs makes from
// assembly/kernels.ts today,
// so the shipped binary can never drift from the reviewed source. (asc output is deterministic:
// two builds of the same source are byte-identical.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildKernels, WASM, WASM_RELAXED } from './build.mjs';
import { enableRelaxedSimd } from './wasm-kernels.ts';

describe.each([
  ['kernels.wasm', WASM as string, 'plain'],
  ['kernels-relaxed.wasm', WASM_RELAXED as string, 'relaxed'],
])('%s', (name, committedPath, variant) => {
  it('matches a fresh compile of assembly/kernels.ts byte for byte', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maxent-kernels-'));
    try {
      const out = await buildKernels(path.join(dir, name), variant);
      const fresh = await readFile(out);
      const committed = await readFile(committedPath);
      const stale = `${name} is stale: run \`node agents/nn/wasm/build.mjs\` and commit the result`;
      expect(fresh.length, stale).toBe(committed.length);
      expect(Buffer.compare(fresh, committed), stale).toBe(0);
      // no imports: the module runs without any host functions
      if (variant === 'plain' || (await enableRelaxedSimd())) expect(WebAssembly.Module.imports(new WebAssembly.Module(fresh))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
