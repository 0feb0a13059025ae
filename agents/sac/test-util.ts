// Shared helpers for the agents/ tests (not part of the public API).
import type { Batch } from '../agent.ts';
import { createRng } from '../rng.ts';

export function randomBatch(m: number, O: number, A: number, seed = 1): Batch {
  const r = createRng(seed);
  const b: Batch = {
    size: m,
    obs: new Float32Array(m * O),
    actions: new Float32Array(m * A),
    rewards: new Float32Array(m),
    nextObs: new Float32Array(m * O),
    dones: new Float32Array(m),
  };
  for (let i = 0; i < m * O; i++) {
    b.obs[i] = r.normal();
    b.nextObs[i] = r.normal();
  }
  for (let i = 0; i < m * A; i++) b.actions[i] = r.uniform() * 1.8 - 0.9;
  for (let i = 0; i < m; i++) {
    b.rewards[i] = r.normal();
    b.dones[i] = r.uniform() < 0.3 ? 1 : 0;
  }
  return b;
}
