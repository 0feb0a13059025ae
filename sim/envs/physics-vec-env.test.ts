// PhysicsVecEnv: n robots in one Rapier world, each meeting only its own scenery and objects
// (an obstacle of env 0 placed where env 1 spawns, env 0's hallway walls around env 1), env 0
// replaying a single env bit for bit, and a bad action refused before any env moves.
import { afterAll, describe, expect, it } from 'vitest';
import type { Env, VecEnv } from '../env.ts';
import { EnvError } from '../env.ts';
import { createEnv, createVecEnv } from '../index.ts';
import { envSeed, Rng } from '../rng.ts';
import { SPACING } from './physics-vec-env.ts';

const open: (Env | VecEnv)[] = [];
afterAll(() => open.forEach((e) => e.dispose()));
async function vec(task: string, n: number, seed: number, variant?: unknown): Promise<VecEnv> {
  const v = await createVecEnv(task, n, { seed, variant });
  open.push(v);
  return v;
}
async function single(task: string, seed: number, variant?: unknown): Promise<Env> {
  const e = await createEnv(task, { seed, variant });
  open.push(e);
  return e;
}

/**
 * Steps env k of `v` and the single env `e` with zero actions; returns the largest gap in the
 * ant's pose part of the observation (height, orientation, joint angles). Env k sits SPACING m
 * from the world origin, so float rounding differs a little (≤ 2e-3); meeting another env's box
 * made gaps of 0.7 to 1.5.
 */
function gap(v: VecEnv, k: number, e: Env, steps: number): number {
  const d = e.spec.obsDim;
  const acts = new Float32Array(v.n * e.spec.actDim);
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    const r = v.step(acts);
    const s = e.step(acts.subarray(0, e.spec.actDim));
    for (let j = 0; j < 13; j++) worst = Math.max(worst, Math.abs(r.finalObs[k * d + j]! - s.obs[j]!));
  }
  return worst;
}

type Bodies = {
  slots: { robot: { bodies: { translation(): { x: number; y: number; z: number }; setTranslation(v: object, w: boolean): void }[] } }[];
};

/** Moves every body of env k of a PhysicsVecEnv (or of a single env's robot) by (dx, dz). */
function shift(bodies: Bodies['slots'][number]['robot']['bodies'], dx: number, dz: number): void {
  for (const b of bodies) {
    const p = b.translation();
    b.setTranslation({ x: p.x + dx, y: p.y, z: p.z + dz }, true);
  }
}

describe('PhysicsVecEnv', () => {
  it("each env meets only its own obstacles: env 0's box where env 1 spawns leaves env 1 alone", async () => {
    // Env 1's origin is SPACING m along x: env 0's obstacle sits on it (and env 1's own 20 m further on).
    const variant = { obstacles: [{ position: [SPACING, 0.5, 0], halfExtents: [1, 0.5, 1] }] };
    const v = await vec('ant/run-any', 2, 3, variant);
    const e = await single('ant/run-any', envSeed(3, 1), variant);
    v.reset();
    e.reset(envSeed(3, 1));
    expect(gap(v, 1, e, 30)).toBeLessThan(1e-2); // inside env 0's box it was thrown up (0.17 m at once)
  });

  it("arm7: env 0's obstacle out in env 1's cell leaves env 1's arm alone", async () => {
    // A box round env 1's upper arm (a fixed arm's far boxes get the filter; its table needs none).
    const variant = { obstacles: [{ position: [SPACING + 0.3, 1.0, 0], halfExtents: [0.3, 0.3, 0.3] }] };
    const v = await vec('arm7/reach-any', 2, 3, variant);
    const e = await single('arm7/reach-any', envSeed(3, 1), variant);
    v.reset();
    e.reset(envSeed(3, 1));
    expect(gap(v, 1, e, 20)).toBeLessThan(1e-2); // sin q, cos q of the 7 joints (obs 0..13)
    v.step(new Float32Array(14));
    expect(e.step(new Float32Array(7)).info.contact).toBe(0);
  });

  it("ant/hallway: env 1's ant inside env 0's wall is not pushed by it", async () => {
    // Env 0's walls run x ∈ [−10, 290] (world), env 1's from world x = 10. Move env 1's ant to
    // world x = 0, z = 1 (in env 0's wall, where env 1 has none) and the single env's ant alike.
    const v = await vec('ant/hallway', 2, 4);
    const e = await single('ant/hallway', envSeed(4, 1));
    v.reset();
    e.reset(envSeed(4, 1));
    shift((v as unknown as Bodies).slots[1]!.robot.bodies, -SPACING, 1);
    shift((e as unknown as { slot: Bodies['slots'][number] }).slot.robot.bodies, -SPACING, 1);
    expect(gap(v, 1, e, 20)).toBeLessThan(1e-2);
  });

  it('env 0 replays a single env bit for bit (table, block, walls, a far obstacle; across auto-resets)', async () => {
    const far = { obstacles: [{ position: [0.5, 0.5, 12], halfExtents: [0.2, 0.2, 0.2] }] }; // outside the arm's cell: filtered
    for (const [task, steps, variant] of [
      ['arm7/push-any', 230, undefined],
      ['arm7/reach-obstacle', 60, far],
      ['ant/hallway', 60, undefined],
    ] as const) {
      const v = await vec(task, 3, 7, variant);
      const e = await single(task, 7, variant);
      const { obsDim: d, actDim: a } = e.spec;
      v.reset();
      e.reset(7);
      const rng = new Rng(8);
      const acts = new Float32Array(3 * a);
      for (let t = 0; t < steps; t++) {
        for (let i = 0; i < acts.length; i++) acts[i] = rng.uniform(-1, 1);
        const r = v.step(acts);
        const s = e.step(acts.subarray(0, a));
        expect(Array.from(r.finalObs.subarray(0, d))).toEqual(Array.from(s.obs));
        expect(r.rewards[0]).toBe(Math.fround(s.reward));
        if (s.terminated || s.truncated) e.reset();
      }
    }
  });

  it("a non-finite action names the env and its component and moves no env (env 1's action[4])", async () => {
    const v = await vec('ant/run-any', 2, 5);
    const before = v.snapshot();
    const acts = new Float32Array(16);
    acts[12] = NaN;
    expect(() => v.step(acts)).toThrow(EnvError);
    expect(() => v.step(acts)).toThrow("ant/run-any: env 1's action[4] is NaN; actions must be finite numbers");
    expect(Buffer.from(v.snapshot()).equals(Buffer.from(before))).toBe(true);
    expect(() => v.step(new Float32Array(15))).toThrow(/actions has 15 components, expected 16/);
  });
});
