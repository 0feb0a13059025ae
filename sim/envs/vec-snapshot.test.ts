// VecEnv snapshot/restore (what an exact training resume needs): a restored copy continues
// bit-identically under the same actions, resets and running episode returns included; a
// snapshot of another task, size or a truncated one is refused and leaves the env as it was.
import { afterAll, describe, expect, it } from 'vitest';
import type { VecEnv } from '../env.ts';
import { createVecEnv } from '../index.ts';
import { Rng } from '../rng.ts';

const open: VecEnv[] = [];
afterAll(() => open.forEach((v) => v.dispose()));
async function vec(task: string, n: number): Promise<VecEnv> {
  const v = await createVecEnv(task, n, { seed: 5 });
  open.push(v);
  return v;
}

/** Steps with seeded uniform actions; returns everything the steps produced, concatenated. */
function roll(v: VecEnv, steps: number, seed: number): number[] {
  const rng = new Rng(seed);
  const a = new Float32Array(v.n * v.spec.actDim);
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-1, 1);
    const r = v.step(a);
    out.push(...r.obs, ...r.finalObs, ...r.rewards, ...r.terminated, ...r.truncated, ...v.episodeReturns, ...v.episodeLengths);
  }
  return out;
}

describe.each([
  ['point/multigoal', 3, 25], // LoopVecEnv; episodes end and reset inside the second half
  ['ant/run-direction', 2, 20], // PhysicsVecEnv: one shared Rapier world
])('%s × %i', (task, n, steps) => {
  it('continues bit-identically after restore into a fresh VecEnv', async () => {
    const a = await vec(task, n);
    roll(a, steps, 1);
    const snap = a.snapshot();
    const obsAtSnap = Float32Array.from(a.step(new Float32Array(n * a.spec.actDim)).obs); // moves a on
    const b = await vec(task, n);
    roll(b, 3, 9); // b is somewhere else entirely
    b.restore(snap);
    a.restore(snap); // and a goes back
    const ra = roll(a, 2 * steps, 2),
      rb = roll(b, 2 * steps, 2);
    expect(rb).toEqual(ra);
    expect(ra.some((x) => Number.isNaN(x) === false)).toBe(true);
    // the zero action from the snapshot state is reproducible too
    b.restore(snap);
    expect(b.step(new Float32Array(n * b.spec.actDim)).obs).toEqual(obsAtSnap);
  });

  it('refuses a snapshot of another task, size or a truncated one, and stays as it was', async () => {
    const a = await vec(task, n);
    roll(a, 5, 3);
    const snap = a.snapshot();
    const other = await vec(task === 'point/multigoal' ? 'point/one-goal' : 'cheetah/run', n);
    expect(() => a.restore(other.snapshot())).toThrow(/not taken from a VecEnv of this task/);
    const bigger = await vec(task, n + 1);
    expect(() => a.restore(bigger.snapshot())).toThrow(new RegExp(`snapshot is of ${n + 1} envs`));
    expect(() => a.restore(snap.subarray(0, snap.byteLength - 9))).toThrow(/truncated|corrupt/);
    const b = await vec(task, n);
    b.restore(snap);
    expect(roll(a, 10, 4)).toEqual(roll(b, 10, 4));
  });
});
