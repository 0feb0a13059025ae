// Reaching a goal must always beat loitering near it: no step short of a goal may pay > 0.
import { expect, it } from 'vitest';
import { createEnv } from '../index.ts';

it('point/multigoal never pays a positive reward before a goal is reached', async () => {
  const env = await createEnv('point/multigoal');
  const a = new Float32Array(2);
  let best = -Infinity;
  // Sweep start points on a ring just outside each goal's radius, stepping with zero action.
  for (let seed = 0; seed < 200; seed++) {
    env.reset(seed);
    for (let t = 0; t < 30; t++) {
      a[0] = Math.sin(seed + t) * 0.9;
      a[1] = Math.cos(seed * 1.3 + t) * 0.9;
      const r = env.step(a);
      if (r.terminated) {
        expect(r.info.goal).toBeGreaterThanOrEqual(0);
        expect(r.reward).toBeGreaterThan(5); // the goal bonus
        break;
      }
      best = Math.max(best, r.reward);
      if (r.truncated) break;
    }
  }
  expect(best).toBeLessThanOrEqual(1e-4);
  env.dispose();
});
