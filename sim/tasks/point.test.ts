import { describe, expect, it } from 'vitest';
import { createEnv, createVecEnv, listTasks, parseVariant } from '../index.ts';
import { envSeed } from '../rng.ts';

describe('point/multigoal', () => {
  it('is listed with its parameters', () => {
    const t = listTasks().find((d) => d.id === 'point/multigoal')!;
    expect(t.obsDim).toBe(2);
    expect(t.maxEpisodeSteps).toBe(30);
    expect(t.parameters.map((p) => p.name)).toContain('actionCost');
  });

  it('computes the documented reward by hand', async () => {
    const env = await createEnv('point/multigoal', { seed: 3 });
    const o = env.reset(3);
    const x0 = o[0]!,
      y0 = o[1]!;
    const a = new Float32Array([0.5, -0.25]);
    const r = env.step(a);
    const x = x0 + 0.5,
      y = y0 - 0.25;
    const goals = [
      [5, 0],
      [0, 5],
      [-5, 0],
      [0, -5],
    ];
    const d2 = goals.map(([gx, gy]) => (x - gx!) ** 2 + (y - gy!) ** 2);
    const bump = d2.reduce((s, d) => s + Math.exp(-d / 2), 0);
    const expected = -0.1 * Math.min(...d2) - 0.5 * (0.25 + 0.0625) + (bump - 1);
    expect(r.reward).toBeCloseTo(expected, 5); // obs are float32
    expect(r.obs[0]).toBeCloseTo(x, 6);
    expect(r.terminated).toBe(false);
    expect(r.info.goal).toBe(-1);
  });

  it('terminates at each goal with its index, and truncates at 30 steps', async () => {
    const env = await createEnv('point/multigoal');
    const dirs = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ];
    for (let g = 0; g < 4; g++) {
      env.reset(g);
      let r;
      let steps = 0;
      do {
        r = env.step(new Float32Array(dirs[g]!));
        steps++;
      } while (!r.terminated && !r.truncated);
      expect(r.terminated).toBe(true);
      expect(r.info.goal).toBe(g);
      expect(steps).toBeLessThanOrEqual(5);
      expect(r.reward).toBeGreaterThan(5); // includes the goal bonus
    }
    env.reset(0);
    let r;
    for (let i = 0; i < 30; i++) r = env.step(new Float32Array([0, 0]));
    expect(r!.truncated).toBe(true);
    expect(r!.terminated).toBe(false);
  });

  it('one-goal rewards and terminates only at (5, 0)', async () => {
    const env = await createEnv('point/one-goal');
    env.reset(1);
    let r;
    for (let i = 0; i < 6; i++) r = env.step(new Float32Array([-1, 0]));
    expect(r!.terminated).toBe(false);
    env.reset(1);
    for (let i = 0; i < 6 && !r!.terminated; i++) r = env.step(new Float32Array([1, 0]));
    expect(r!.terminated).toBe(true);
    expect(r!.info.goal).toBe(0);
  });

  it('clips actions and positions; throws on NaN', async () => {
    const env = await createEnv('point/multigoal');
    env.reset(0);
    const r = env.step(new Float32Array([100, 0]));
    expect(r.obs[0]).toBeLessThanOrEqual(1.5);
    expect(() => env.step(new Float32Array([NaN, 0]))).toThrow(/action\[0\] is NaN/);
  });

  it('is deterministic given a seed and restores snapshots exactly', async () => {
    const a = await createEnv('point/multigoal', { seed: 7 });
    const b = await createEnv('point/multigoal', { seed: 7 });
    expect([...a.reset()]).toEqual([...b.reset()]);
    a.step(new Float32Array([0.3, 0.2]));
    const snap = a.snapshot();
    const run = () => {
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = a.step(new Float32Array([0.1 * i, -0.2]));
        out.push(r.obs[0]!, r.obs[1]!, r.reward);
      }
      out.push(...a.reset());
      return out;
    };
    const first = run();
    a.restore(snap);
    expect(run()).toEqual(first);
  });

  it('VecEnv auto-resets with per-env seeds', async () => {
    const v = await createVecEnv('point/multigoal', 3, { seed: 10 });
    const o = v.reset();
    const e1 = await createEnv('point/multigoal');
    expect(o[2]).toBe(e1.reset(envSeed(10, 1))[0]);
    const act = new Float32Array(6).fill(0);
    for (let i = 0; i < 3; i++) act[i * 2] = 1;
    let s;
    const ended = [0, 0, 0];
    for (let t = 0; t < 5; t++) {
      s = v.step(act);
      s.terminated.forEach((x, i) => (ended[i] += x));
    }
    expect(ended).toEqual([1, 1, 1]); // each reached (5, 0) once, at step 4 or 5 (its start noise)
    expect(s!.terminated[0]).toBe(1);
    expect(v.episodeLengths[0]).toBe(5);
    expect(s!.finalObs[0]).toBeGreaterThan(4);
    expect(Math.abs(s!.obs[0]!)).toBeLessThan(1);
  });

  it('validates variants with field-naming errors', () => {
    expect(() => parseVariant({ params: { actionCost: -1 } }, 'point/multigoal')).toThrow(
      'variant.params.actionCost: expected a number in [0, 50], got -1',
    );
    expect(() => parseVariant({ bogus: 1 }, 'point/multigoal')).toThrow(/variant.bogus: unknown field/);
    expect(() => parseVariant({ goals: [[9, 0]] }, 'point/multigoal')).toThrow(/variant.goals\[0\]\[0\]: expected a number in \[-7, 7\]/);
    const v = parseVariant({ goals: [[3, 3]] }, 'point/multigoal');
    expect(v.goals).toEqual([[3, 3]]);
  });

  it('refuses physics-only variant fields: the point mass has no physics', () => {
    for (const [field, value] of [
      ['friction', 0.5],
      ['massScale', {}],
      ['actuators', { vx: 0.5 }],
    ] as const) {
      expect(() => parseVariant({ [field]: value }, 'point/one-goal')).toThrow(
        `variant.${field}: the point mass has no physics (it moves by its action: no bodies, contacts or motors), so massScale, friction and actuators do not apply to point/one-goal (allowed: name, description, params, goals)`,
      );
    }
  });
});
