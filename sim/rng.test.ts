// Per-env seeds: env 0 keeps the run's seed (it replays a single env), the others hash (seed, i),
// so neighbouring run seeds share no envs (seed + i made env i of seed s env i − 1 of seed s + 1).
import { describe, expect, it } from 'vitest';
import { createEnv, createVecEnv } from './index.ts';
import { envSeed } from './rng.ts';

describe('envSeed', () => {
  it('keeps env 0 at the seed; other envs get distinct uint32 seeds, unrelated across run seeds', () => {
    for (const s of [0, 1, 7, -3, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) expect(envSeed(s, 0)).toBe(s);
    const seen = new Set<number>();
    for (let s = 0; s < 200; s++) {
      for (let i = 1; i < 16; i++) {
        const x = envSeed(s, i);
        expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
        expect(x).not.toBe(s + i);
        seen.add(x);
      }
    }
    expect(seen.size).toBe(200 * 15);
    // High bits count: seeds 2³² apart differ.
    expect(envSeed(5, 1)).not.toBe(envSeed(5 + 2 ** 32, 1));
  });

  for (const task of ['point/multigoal', 'ant/run-any']) {
    it(`${task}: env i of seed s starts as a single env seeded envSeed(s, i), not as env i − 1 of seed s + 1`, async () => {
      const [va, vb] = [await createVecEnv(task, 3, { seed: 10 }), await createVecEnv(task, 3, { seed: 11 })];
      const d = va.spec.obsDim;
      const a = Float32Array.from(va.reset()),
        b = Float32Array.from(vb.reset());
      expect(Array.from(a.subarray(d, 2 * d))).not.toEqual(Array.from(b.subarray(0, d)));
      expect(Array.from(a.subarray(2 * d, 3 * d))).not.toEqual(Array.from(b.subarray(d, 2 * d)));
      for (let i = 0; i < 3; i++) {
        const e = await createEnv(task, { seed: envSeed(10, i) });
        expect(Array.from(a.subarray(i * d, (i + 1) * d))).toEqual(Array.from(e.reset(envSeed(10, i))));
        e.dispose();
      }
      va.dispose();
      vb.dispose();
    });
  }
});
