// The WebGPU SAC update against the CPU SacAgent (the oracle): from identical weights and
// optimiser state (a CPU checkpoint loaded into the GPU learner), the identical batch and the
// identical Gaussian noise, one update matches — losses, metrics and every resulting tensor.
// Small odd shapes: SwiftShader runs this here and in CI.
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { createSacAgent, type SacConfig } from '../sac/sac.ts';
import { randomBatch } from '../sac/test-util.ts';
import { createGpuSacAgent, type GpuSacAgent } from './sac-gpu.ts';
import { relErr, testGpu } from './test-gpu.ts';

const gpu = await testGpu();
const TOL = 1e-4;

describe.skipIf(!gpu)('WebGPU SAC update vs CPU SacAgent', () => {
  const cfg: SacConfig = { obsDim: 5, actDim: 3, hidden: [19, 13], batchSize: 23, seed: 3, lr: 1e-3 };
  let g: GpuSacAgent | null = null;
  afterAll(() => g?.dispose());

  it('one update from the same state, batch and noise matches to 1e-4', async () => {
    const cpu = createSacAgent(cfg);
    // a few CPU updates first, so Adam's moments are populated (at t = 1 Adam's step is sign(g),
    // which amplifies rounding differences of near-zero gradients into full lr-sized steps)
    for (let i = 0; i < 3; i++) cpu.update(randomBatch(23, 5, 3, 100 + i));
    g = await createGpuSacAgent(cfg, gpu!, { replayCapacity: 0, updatesPerSubmit: 1 });
    g.load(cpu.save());
    const r = createRng(9);
    for (let step = 0; step < 2; step++) {
      const b = randomBatch(23, 5, 3, 200 + step);
      const noise = { critic: new Float32Array(23 * 3), actor: new Float32Array(23 * 3) };
      r.normals(noise.critic, 0, noise.critic.length);
      r.normals(noise.actor, 0, noise.actor.length);
      const before = cpu.save().tensors;
      cpu.internals.noiseHook = (phase, eps) => eps.set(phase === 'critic' ? noise.critic : noise.actor);
      const mc = cpu.update(b);
      const mg = await g.updateWithBatch(b, noise);
      for (const k of ['qLoss', 'policyLoss', 'alpha', 'alphaLoss', 'entropy', 'qMean'] as const) {
        expect(Math.abs(mg[k] - mc[k]) / Math.max(1e-6, Math.abs(mc[k])), k).toBeLessThan(TOL);
      }
      await g.sync();
      const tc = cpu.save().tensors,
        tg = g.save().tensors;
      for (const name of Object.keys(tc)) {
        expect(relErr(tg[name]!, tc[name]!), name).toBeLessThan(TOL);
        // and the step itself, which is ~lr against weights of ~0.3: a far stricter test
        if (!name.includes('adam') && !name.includes('target')) {
          const dc = tc[name]!.map((v, i) => v - before[name]![i]!);
          const dg = tg[name]!.map((v, i) => v - before[name]![i]!);
          expect(relErr(dg, dc), `Δ${name}`).toBeLessThan(2e-3);
        }
      }
    }
    expect(g.updates).toBe(cpu.updates);
  });
});
