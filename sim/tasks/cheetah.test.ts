// Planar half-cheetah: determinism, exact snapshot/restore, planar constraint, joint limits
// under random actions, rewards against finite differences, variants.
import { describe, expect, it } from 'vitest';
import { createEnv, createVecEnv, listTasks, parseVariant } from '../index.ts';
import { CHEETAH } from '../robots/cheetah.ts';
import { Rng } from '../rng.ts';
import { rolloutHash } from '../testing/rollout-hash.ts';

describe('cheetah/run', () => {
  it('is listed with obs 17, act 6 and the heavy/slippery/backward variants', () => {
    const t = listTasks().find((d) => d.id === 'cheetah/run')!;
    expect([t.obsDim, t.actDim, t.maxEpisodeSteps]).toEqual([17, 6, 1000]);
    expect(t.variants.map((v) => v.name)).toEqual(['heavy', 'slippery', 'backward']);
    expect(parseVariant('heavy', 'cheetah/run').massScale).toEqual({ torso: 2 });
    expect(() => parseVariant({ friction: 9 }, 'cheetah/run')).toThrow('variant.friction: expected a number in [0.05, 5], got 9');
  });

  it('same seed + same actions give the same trajectory', async () => {
    expect(await rolloutHash('cheetah/run', 2, 120)).toBe(await rolloutHash('cheetah/run', 2, 120));
  });

  it('snapshot/restore continues bit-identically', async () => {
    const env = await createEnv('cheetah/run', { seed: 4, variant: 'slippery' });
    env.reset();
    const rng = new Rng(9);
    const acts = Array.from({ length: 60 }, () => Float32Array.from({ length: 6 }, () => rng.uniform(-1, 1)));
    for (let t = 0; t < 20; t++) env.step(acts[t]!);
    const snap = env.snapshot();
    const cont = () => acts.slice(20).flatMap((a) => [...env.step(a).obs]);
    const first = cont();
    env.restore(snap);
    expect(cont()).toEqual(first);
  });

  it('reward = ±finite difference of torso x / dt − 0.1‖a‖²; stays in the x–y plane', async () => {
    for (const variant of ['default', 'backward']) {
      const env = await createEnv('cheetah/run', { seed: 1, variant });
      env.reset();
      const sign = variant === 'backward' ? -1 : 1;
      for (let t = 0; t < 30; t++) {
        const a = Float32Array.from({ length: 6 }, (_, k) => Math.sin(0.9 * t + k));
        const x0 = env.poses()[0]!; // geom 0 = torso capsule, centred on the torso origin
        const r = env.step(a);
        const p = env.poses();
        const ctrl = 0.1 * a.reduce((s, x) => s + x * x, 0);
        expect(r.reward).toBeCloseTo((sign * (p[0]! - x0)) / 0.05 - ctrl, 4);
        expect(r.terminated).toBe(false);
        for (let g = 0; g < env.spec.bodies.length; g++) expect(Math.abs(p[g * 7 + 2]!)).toBeLessThan(1e-3);
      }
    }
  });

  it('survives 10,000 random steps: no NaN, joint limits hold (< 10°)', async () => {
    const n = 16;
    for (const variant of ['default', 'slippery']) {
      const vec = await createVecEnv('cheetah/run', n, { seed: 3, variant });
      vec.reset();
      const rng = new Rng(5);
      const act = new Float32Array(n * 6);
      let worst = 0;
      for (let t = 0; t < Math.ceil(10_000 / n / 2); t++) {
        for (let i = 0; i < act.length; i++) act[i] = rng.uniform(-1, 1);
        const s = vec.step(act);
        for (let e = 0; e < n; e++) {
          for (let j = 0; j < 17; j++) expect(Number.isFinite(s.obs[e * 17 + j]!)).toBe(true);
          for (let k = 0; k < 6; k++) {
            const q = s.finalObs[e * 17 + 2 + k]!;
            const [lo, hi] = CHEETAH.joints[k]!.limits;
            worst = Math.max(worst, lo - q, q - hi);
          }
        }
      }
      expect((worst * 180) / Math.PI).toBeLessThan(10); // measured ≈ 3°
      vec.dispose();
    }
  });
});
