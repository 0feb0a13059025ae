// Ant on Rapier: determinism (in and across processes), exact snapshot/restore, joint
// limits under random actions, rewards against hand-computed values, bad input rejected.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Env } from '../env.ts';
import { EnvError } from '../env.ts';
import { createEnv, createVecEnv, listTasks, parseVariant, VariantError } from '../index.ts';
import { ANT } from '../robots/ant.ts';
import { Rng } from '../rng.ts';
import { antTrajectoryHash } from './ant-trajectory.ts';

const run = promisify(execFile);
const DT = 0.05;

/** A full-GC function, whether or not the process started with --expose-gc. */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function randomActions(rng: Rng, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-1.2, 1.2); // a little outside: clipping
  return out;
}

function trajectory(env: Env, seed: number, steps: number): Float32Array {
  const rng = new Rng(seed);
  const a = new Float32Array(8);
  const out = new Float32Array(steps * 28);
  env.reset(seed);
  for (let t = 0; t < steps; t++) {
    const r = env.step(randomActions(rng, a));
    out.set(r.obs, t * 28);
    out[t * 28 + 27] = r.reward;
    if (r.terminated || r.truncated) env.reset();
  }
  return out;
}

function torso(env: Env): [number, number, number] {
  const p = env.poses(); // geom 0 = the torso sphere, centred on the torso body
  return [p[0]!, p[1]!, p[2]!];
}

describe('ant tasks', () => {
  it('registers the three ant tasks with 27-d observations and 8 named actions', async () => {
    const ids = listTasks().map((t) => t.id);
    for (const id of ['ant/run-any', 'ant/run-direction', 'ant/hallway']) expect(ids).toContain(id);
    const env = await createEnv('ant/hallway');
    expect(env.spec.obsDim).toBe(27);
    expect(env.spec.actDim).toBe(8);
    expect(env.spec.dt).toBeCloseTo(DT, 12);
    expect(env.spec.maxEpisodeSteps).toBe(1000);
    expect(env.spec.actionNames).toEqual(ANT.joints.map((j) => j.name));
    expect(env.spec.markers.filter((m) => m.kind === 'wall')).toHaveLength(2);
    expect(env.poses().length).toBe(env.spec.bodies.length * 7);
    env.dispose();
  });

  it('same seed + same actions give bit-identical trajectories (in process)', async () => {
    const a = await createEnv('ant/run-any', { seed: 3 });
    const b = await createEnv('ant/run-any', { seed: 3 });
    const ta = trajectory(a, 11, 150);
    const tb = trajectory(b, 11, 150);
    expect(Buffer.from(ta.buffer).equals(Buffer.from(tb.buffer))).toBe(true);
    // A different seed gives a different start.
    expect(Array.from(a.reset(1))).not.toEqual(Array.from(b.reset(2)));
    a.dispose();
    b.dispose();
  });

  it('same seed + same actions give the same trajectory hash across processes', async () => {
    const script = fileURLToPath(new URL('./ant-trajectory.ts', import.meta.url));
    const child = () => run(process.execPath, ['--import', 'tsx', script, '60'], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    const [x, y] = await Promise.all([child(), child()]);
    const here = await antTrajectoryHash(60);
    expect(x.stdout.trim()).toBe(here);
    expect(y.stdout.trim()).toBe(here);
  });

  it('snapshot/restore continues bit-identically, repeatedly', async () => {
    const env = await createEnv('ant/run-direction', { seed: 5, variant: { params: { theta: 1 } } });
    trajectory(env, 5, 40); // mid-episode, legs in contact
    const snap = env.snapshot();
    const rng = new Rng(9);
    const acts = Array.from({ length: 60 }, () => randomActions(rng, new Float32Array(8)));
    const go = (): Float32Array => {
      const out = new Float32Array(60 * 28);
      acts.forEach((a, t) => {
        const r = env.step(a);
        out.set(r.obs, t * 28);
        out[t * 28 + 27] = r.reward;
      });
      return out;
    };
    const first = go();
    for (let k = 0; k < 3; k++) {
      env.restore(snap);
      expect(Buffer.from(go().buffer).equals(Buffer.from(first.buffer))).toBe(true);
    }
    expect(() => env.restore(new Uint8Array(10))).toThrow(EnvError);
    env.dispose();
  });

  it('many restores keep memory flat (no per-restore leak in Rapier)', async () => {
    // World.restoreSnapshot() leaks a serialisation pipeline per call. Rapier's memory shows in
    // the process's `external` bytes (RSS moves ±16 MB with the JS heap here, too noisy), read
    // after a full GC so that wrappers not yet collected (freed later anyway) do not count.
    const gc = gcFunction();
    const env = await createEnv('ant/run-any', { seed: 1 });
    trajectory(env, 1, 20);
    const snap = env.snapshot();
    const used = (): number => {
      gc();
      return process.memoryUsage().external;
    };
    for (let i = 0; i < 500; i++) env.restore(snap);
    const before = used();
    for (let i = 0; i < 4000; i++) env.restore(snap);
    const grown = (used() - before) / 2 ** 20;
    console.log(`ant: memory growth over 4,000 restores ${grown.toFixed(2)} MB`);
    expect(grown).toBeLessThan(1);
    env.dispose();
  });

  it('10,000 random steps (16 ants in one world): no NaN, joint limits hold within 10°', async () => {
    const n = 16;
    const venv = await createVecEnv('ant/run-any', n, { seed: 21 });
    const rng = new Rng(21);
    const acts = new Float32Array(n * 8);
    const lo = ANT.joints.map((j) => j.limits[0]);
    const hi = ANT.joints.map((j) => j.limits[1]);
    let worst = 0;
    let resets = 0;
    for (let t = 0; t < 10_000 / n; t++) {
      const r = venv.step(randomActions(rng, acts));
      for (let i = 0; i < n; i++) {
        if (r.terminated[i] || r.truncated[i]) resets++;
        for (let k = 0; k < 8; k++) {
          const q = r.finalObs[i * 27 + 5 + k]!;
          worst = Math.max(worst, lo[k]! - q, q - hi[k]!);
        }
      }
      for (let j = 0; j < r.obs.length; j++)
        if (!Number.isFinite(r.obs[j]!) || !Number.isFinite(r.finalObs[j]!)) throw new Error(`NaN at step ${t}`);
      for (let i = 0; i < n; i++) if (!Number.isFinite(r.rewards[i]!)) throw new Error(`NaN reward at step ${t}`);
    }
    const worstDeg = (worst * 180) / Math.PI;
    console.log(`ant: worst joint-limit violation over 10,000 random steps ${worstDeg.toFixed(2)}°, ${resets} episode ends`);
    expect(worstDeg).toBeLessThan(10);
    venv.dispose();
  });

  it('rewards match finite differences of the torso position (run-any, run-direction, hallway)', async () => {
    const theta = 0.7;
    const cases: [string, unknown, (vx: number, vy: number) => number][] = [
      ['ant/run-any', undefined, (vx, vy) => Math.hypot(vx, vy)],
      ['ant/run-direction', { params: { theta } }, (vx, vy) => vx * Math.cos(theta) + vy * Math.sin(theta)],
      ['ant/hallway', undefined, (vx) => vx],
    ];
    for (const [id, variant, forward] of cases) {
      const env = await createEnv(id, { seed: 2, variant });
      env.reset(2);
      const rng = new Rng(4);
      const a = new Float32Array(8);
      for (let t = 0; t < 30; t++) {
        const before = torso(env);
        randomActions(rng, a);
        const r = env.step(a);
        if (r.info.unstable) continue;
        const after = torso(env);
        const vx = (after[0] - before[0]) / DT;
        const vy = -(after[2] - before[2]) / DT; // plane v = −z
        let ctrl = 0;
        for (let k = 0; k < 8; k++) ctrl += Math.min(1, Math.max(-1, a[k]!)) ** 2;
        // Poses are float32: allow their rounding over a 0.05 s difference.
        expect(r.info.x_velocity).toBeCloseTo(vx, 3);
        expect(r.info.y_velocity).toBeCloseTo(vy, 3);
        expect(r.info.forward_reward).toBeCloseTo(forward(vx, vy), 3);
        expect(r.info.ctrl_cost).toBeCloseTo(0.5 * ctrl, 6);
        expect(r.info.healthy_reward).toBe(1);
        expect(r.reward).toBeCloseTo(forward(vx, vy) + 1 - 0.5 * ctrl, 3);
        const h = r.obs[0]!;
        expect(r.terminated).toBe(h < 0.2 || h > 1.0);
        if (r.terminated) env.reset();
      }
      env.dispose();
    }
  });

  it('run-any radial: the speed term is the growth of the distance from the spawn point, so it sums to the net travel', async () => {
    const env = await createEnv('ant/run-any', { seed: 5, variant: 'radial' });
    env.reset(5);
    const rng = new Rng(6);
    const a = new Float32Array(8);
    const start = torso(env);
    let sum = 0;
    let least = Infinity;
    let last = start;
    for (let t = 0; t < 60; t++) {
      const before = torso(env);
      randomActions(rng, a);
      const r = env.step(a);
      if (r.info.unstable || r.terminated) break;
      const after = torso(env);
      // A single env's spawn point is the world origin.
      const growth = (Math.hypot(after[0], after[2]) - Math.hypot(before[0], before[2])) / DT;
      expect(r.info.forward_reward).toBeCloseTo(growth, 3);
      sum += r.info.forward_reward! * DT;
      least = Math.min(least, r.info.forward_reward!);
      last = after;
    }
    expect(sum).toBeCloseTo(Math.hypot(last[0], last[2]) - Math.hypot(start[0], start[2]), 3);
    // Unlike the step speed, it goes negative when the jiggling ant comes back toward the start.
    expect(least).toBeLessThan(0);
    env.dispose();
  });

  it('an unstable state ends the episode with info.unstable = 1 and a sane observation', async () => {
    const env = await createEnv('ant/run-any', { seed: 1 });
    env.step(new Float32Array(8));
    // Reach into the env to fling the torso at 200 m/s (a solver blow-up stand-in).
    const slot = (env as unknown as { slot: { robot: { bodies: { setLinvel(v: object, wake: boolean): void }[] } } }).slot;
    slot.robot.bodies[0]!.setLinvel({ x: 200, y: 0, z: 0 }, true);
    const r = env.step(new Float32Array(8));
    expect(r.terminated).toBe(true);
    expect(r.info.unstable).toBe(1);
    expect(r.reward).toBe(0);
    for (const x of r.obs) expect(Number.isFinite(x)).toBe(true);
    expect(r.obs[0]).toBeGreaterThan(0.4); // back at a start pose, not 10 m away
    expect(Math.abs(r.obs[13]!)).toBeLessThan(2);
    env.reset();
    expect(env.step(new Float32Array(8)).info.unstable).toBe(0);
    env.dispose();
  });

  it('a non-finite action throws a clear EnvError; out-of-range actions are clipped', async () => {
    const env = await createEnv('ant/run-any');
    const a = new Float32Array(8);
    a[3] = NaN;
    expect(() => env.step(a)).toThrow(/action\[3\] is NaN/);
    a[3] = Infinity;
    expect(() => env.step(a)).toThrow(EnvError);
    const venv = await createVecEnv('ant/run-any', 2);
    const acts = new Float32Array(16);
    acts[12] = NaN;
    expect(() => venv.step(acts)).toThrow(EnvError);
    venv.dispose();
    // Clipping: 5 and 1 give the same step.
    const b = await createEnv('ant/run-any', { seed: 1 });
    const c = await createEnv('ant/run-any', { seed: 1 });
    const big = new Float32Array(8).fill(5);
    const one = new Float32Array(8).fill(1);
    expect(Array.from(b.step(big).obs)).toEqual(Array.from(c.step(one).obs));
    for (const e of [env, b, c]) e.dispose();
  });

  it('rejects bad variants with the field and range; dynamics variants take effect', async () => {
    await expect(createEnv('ant/run-direction', { variant: { params: { theta: 4 } } })).rejects.toThrow(/variant\.params\.theta.*\[-3\.14/);
    await expect(createEnv('ant/run-any', { variant: { massScale: { head: 2 } } })).rejects.toThrow(VariantError);
    await expect(createEnv('ant/run-any', { variant: { friction: 0 } })).rejects.toThrow(/variant\.friction/);
    await expect(createEnv('ant/run-any', { variant: { actuators: { front_left_hip: 2 } } })).rejects.toThrow(
      /variant\.actuators\.front_left_hip/,
    );
    // A disabled hip does not follow a full positive command; the default one does.
    const hip = async (variant: unknown): Promise<number> => {
      const env = await createEnv('ant/run-any', { seed: 1, variant });
      const a = new Float32Array(8);
      a[0] = 1;
      let q = 0;
      for (let t = 0; t < 6; t++) q = env.step(a).obs[5]!;
      env.dispose();
      return q;
    };
    expect(await hip(undefined)).toBeGreaterThan(0.3);
    expect(Math.abs(await hip({ actuators: { front_left_hip: 0 } }))).toBeLessThan(0.2);
    // Heavier torso: a different trajectory from the same seed.
    const heavy = await createEnv('ant/run-any', { seed: 1, variant: { massScale: { torso: 3 }, friction: 0.5 } });
    const base = await createEnv('ant/run-any', { seed: 1 });
    const z = new Float32Array(8).fill(0.3);
    let differ = false;
    for (let t = 0; t < 10; t++) if (heavy.step(z).obs[0] !== base.step(z).obs[0]) differ = true;
    expect(differ).toBe(true);
    heavy.dispose();
    base.dispose();
  });

  it('rejects minHeight ≥ maxHeight and a radial flag other than 0 or 1, naming the fields', () => {
    expect(() => parseVariant({ params: { minHeight: 0.9, maxHeight: 0.8 } }, 'ant/hallway')).toThrow(
      'variant.params.minHeight: expected a number below variant.params.maxHeight (0.8), got 0.9',
    );
    expect(() => parseVariant({ params: { minHeight: 0.6, maxHeight: 0.6 } }, 'ant/run-direction')).toThrow(/minHeight/);
    expect(parseVariant({ params: { minHeight: 0.5, maxHeight: 0.6 } }, 'ant/run-any').params.minHeight).toBe(0.5);
    expect(() => parseVariant({ params: { radial: 0.5 } }, 'ant/run-any')).toThrow(
      'variant.params.radial: expected 0 or 1 (off or on), got 0.5',
    );
    expect(parseVariant('radial', 'ant/run-any').params.radial).toBe(1);
    for (const t of listTasks().filter((d) => d.robot === 'ant')) for (const v of t.variants) parseVariant(v.name, t.id);
  });

  it('VecEnv: per-env seeds differ, auto-reset returns the next first obs and the true final obs', async () => {
    // maxHeight 0.5 < the start height (0.6 ± 0.1): every episode ends after one step.
    const venv = await createVecEnv('ant/run-any', 4, { seed: 100, variant: { params: { maxHeight: 0.5 } } });
    const o0 = Float32Array.from(venv.reset());
    expect(Array.from(o0.subarray(0, 27))).not.toEqual(Array.from(o0.subarray(27, 54)));
    const r = venv.step(new Float32Array(32));
    for (let i = 0; i < 4; i++) {
      expect(r.terminated[i]).toBe(1);
      expect(venv.episodeLengths[i]).toBe(1);
      expect(r.finalObs[i * 27]).toBeGreaterThan(0.5);
      expect(Array.from(r.obs.subarray(i * 27, i * 27 + 27))).not.toEqual(Array.from(r.finalObs.subarray(i * 27, i * 27 + 27)));
    }
    // reset(seed) is reproducible per env.
    const again = await createVecEnv('ant/run-any', 4, { seed: 100, variant: { params: { maxHeight: 0.5 } } });
    expect(Array.from(again.reset())).toEqual(Array.from(o0));
    venv.dispose();
    again.dispose();
  });
});
