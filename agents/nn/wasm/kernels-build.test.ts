// The committed kernels.wasm must be exactly what build.mjs makes from assembly/kernels.ts today,
// so the shipped binary can never drift from the reviewed source. (asc output is deterministic:
// two builds of the same source are byte-identical.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildKernels, WASM } from './build.mjs';

describe('kernels.wasm', () => {
  it('matches a fresh compile of assembly/kernels.ts byte for byte', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maxent-kernels-'));
    try {
      const out = await buildKernels(path.join(dir, 'kernels.wasm'));
      const fresh = await readFile(out);
      const committed = await readFile(WASM as string);
      const stale = 'kernels.wasm is stale: run `node agents/nn/wasm/build.mjs` and commit the result';
      expect(fresh.length, stale).toBe(committed.length);
      expect(Buffer.compare(fresh, committed), stale).toBe(0);
      // no imports: the module runs without any host functions
      expect(WebAssembly.Module.imports(new WebAssembly.Module(fresh))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
