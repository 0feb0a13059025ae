// Synthetic transitions for benchmarks and tests: normal observations and rewards, uniform
// actions inside the tanh range, a few terminal flags. Seeded, so every caller sees the same data.
import type { Batch } from './agent.ts';
import { allocBatch } from './agent-buffers.ts';
import { createRng } from './rng.ts';

export function randomBatch(
  n: number,
  obsDim: number,
  actDim: number,
  seed: number,
  opts: { actionScale?: number; doneRate?: number } = {},
): Batch {
  const scale = opts.actionScale ?? 0.9;
  const doneRate = opts.doneRate ?? 0.05;
  const r = createRng(seed);
  const b = allocBatch(n, obsDim, actDim);
  for (let i = 0; i < n * obsDim; i++) {
    b.obs[i] = r.normal();
    b.nextObs[i] = r.normal();
  }
  for (let i = 0; i < n * actDim; i++) b.actions[i] = r.uniform() * (2 * scale) - scale;
  for (let i = 0; i < n; i++) {
    b.rewards[i] = r.normal();
    b.dones[i] = r.uniform() < doneRate ? 1 : 0;
  }
  return b;
}
