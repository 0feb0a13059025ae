// The WebGPU SAC update against the CPU SacAgent (the oracle): from identical weights and
// optimiser state (a CPU checkpoint loaded into the GPU learner), the identical batch and the
// identical Gaussian noise, each update matches — losses, metrics and every resulting tensor.
// Small odd shapes: SwiftShader runs this here and in CI.
import { describe, expect, it } from 'vitest';
import { gemmParity, sacParity } from './parity.ts';
import { testGpu } from './test-gpu.ts';

const gpu = await testGpu();

describe.skipIf(!gpu)('WebGPU SAC update vs CPU SacAgent', () => {
  // tiled GEMMs: what real GPUs run; untiled: what software adapters run
  for (const simple of [false, true]) {
    it(`two updates from the same state, batches and noise match to 1e-4 (${simple ? 'untiled' : 'tiled'} GEMMs)`, async () => {
      const p = await sacParity(gpu!, { obsDim: 5, actDim: 3, hidden: [19, 13], batchSize: 23, seed: 3, lr: 1e-3 }, 2, 3, simple);
      console.log(`SAC parity (${simple ? 'untiled' : 'tiled'}): ${JSON.stringify(p)}`);
      expect(p.metrics, p.worst).toBeLessThan(1e-4);
      expect(p.tensors, p.worst).toBeLessThan(1e-4);
      // the weight steps are ~lr against weights of ~0.3: a far stricter measure (seen ~1e-5)
      expect(p.steps).toBeLessThan(1e-3);
    });
  }

  it('after α was restarted (its own Adam step count at 0), updates still match', async () => {
    const p = await sacParity(gpu!, { obsDim: 5, actDim: 3, hidden: [19, 13], batchSize: 23, seed: 3, lr: 1e-3 }, 2, 3, true, 0.5);
    expect(p.metrics, p.worst).toBeLessThan(1e-4);
    expect(p.tensors, p.worst).toBeLessThan(1e-4);
  });

  it('gemmParity (what bench gpu reports) agrees at an odd shape', async () => {
    const e = await gemmParity(gpu!, 33, 21, 40);
    for (const [k, v] of Object.entries(e)) expect(v, k).toBeLessThan(1e-4);
  });
});
