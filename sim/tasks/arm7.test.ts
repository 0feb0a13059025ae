// arm7 on Rapier: determinism (in and across processes), exact snapshot/restore (task state
// included), joint limits under random actions, every task's reward against values computed
// here from the observation and the drawn poses, success flags, obstacle contact, variants.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Env, VecEnv } from '../env.ts';
import { EnvError } from '../env.ts';
import { createEnv, createVecEnv, listTasks, parseVariant, VariantError } from '../index.ts';
import { ARM7, ARM7_TCP, TABLE_TOP } from '../robots/arm7.ts';
import { Rng } from '../rng.ts';
import { rolloutHash } from '../testing/rollout-hash.ts';

const run = promisify(execFile);
const TASKS = ['arm7/reach-any', 'arm7/reach-obstacle', 'arm7/push-any', 'arm7/push-goal'];
const TCP = 21; // obs offset of the TCP position (after sin q, cos q, q̇)

type V3 = [number, number, number];
const sub = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number =>
  Math.hypot(a[i]! - b[j]!, a[i + 1]! - b[j + 1]!, a[i + 2]! - b[j + 2]!);
const clipSq = (a: Float32Array): number => a.reduce((s, x) => s + Math.min(1, Math.max(-1, x)) ** 2, 0);

function randomActions(rng: Rng, out: Float32Array, lo = -1.2, hi = 1.2): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(lo, hi); // a little outside: clipping
  return out;
}

/** Pose (xyz + quat) of the drawn body called `name`. */
function pose(env: Env, name: string): number[] {
  const k = env.spec.bodies.findIndex((b) => b.name === name);
  expect(k).toBeGreaterThanOrEqual(0);
  return Array.from(env.poses().subarray(k * 7, k * 7 + 7));
}

function rotate(q: number[], v: V3): V3 {
  const [x, y, z, w] = [q[3]!, q[4]!, q[5]!, q[6]!];
  const t = [2 * (y * v[2] - z * v[1]), 2 * (z * v[0] - x * v[2]), 2 * (x * v[1] - y * v[0])];
  return [
    v[0] + w * t[0]! + (y * t[2]! - z * t[1]!),
    v[1] + w * t[1]! + (z * t[0]! - x * t[2]!),
    v[2] + w * t[2]! + (x * t[1]! - y * t[0]!),
  ];
}

/** The TCP from the drawn fingers: their midpoint lies 2 cm short of the TCP along the hand. */
function tcpFromFingers(env: Env): V3 {
  const names = env.spec.bodies.map((b) => b.name).filter((n) => n.startsWith('hand:'));
  const a = pose(env, names[2]!),
    b = pose(env, names[3]!);
  const up = rotate(a, [0, 0.02, 0]);
  return [0, 1, 2].map((d) => (a[d]! + b[d]!) / 2 + up[d]!) as V3;
}

/** Internals the tests reach into (as the ant test does): the robot's bodies. */
type Slot = { slot: { robot: { bodies: { setTranslation(v: object, wake: boolean): void }[]; nTree: number } } };

describe('arm7 tasks', () => {
  it('registers four tasks; spec bodies and markers draw the arm, table, target, wall, block and goal', async () => {
    const listed = listTasks().filter((t) => t.robot === 'arm7');
    expect(listed.map((t) => t.id)).toEqual(TASKS);
    for (const t of listed) {
      expect([t.actDim, t.maxEpisodeSteps, t.dt]).toEqual([7, 200, 0.05]);
      expect(t.obsDim).toBe(t.id.includes('push') ? 30 : 27);
    }
    expect(listed[2]!.dynamics.bodies).toContain('block');
    expect(listed[0]!.dynamics.bodies).not.toContain('block');

    const reach = await createEnv('arm7/reach-obstacle', { seed: 1 });
    expect(reach.spec.actionNames).toEqual(ARM7.joints.map((j) => j.name));
    expect(reach.spec.bodies.at(-1)).toMatchObject({ name: 'target', shape: 'sphere', size: [0.05] });
    const boxes = reach.spec.markers.filter((m) => m.kind === 'obstacle');
    expect(boxes).toHaveLength(2); // table + wall
    expect(boxes[1]!.position[0]).toBeCloseTo(0.45, 12);
    expect(reach.poses().length).toBe(reach.spec.bodies.length * 7);
    // Ghost trails follow the hand, not the fixed pedestal at index 0.
    expect(reach.spec.bodies[reach.spec.traceBody!]!.name).toMatch(/^hand/);
    // The target body sits at the target in the observation.
    const o = reach.reset(3);
    expect(pose(reach, 'target').slice(0, 3)).toEqual(Array.from(o.subarray(24, 27)));
    reach.dispose();

    const push = await createEnv('arm7/push-goal', { seed: 1, variant: 'goal-left' });
    expect(push.spec.bodies.at(-1)).toMatchObject({ name: 'block', shape: 'box', size: [0.03, 0.03, 0.03] });
    const goal = push.spec.markers.find((m) => m.kind === 'goal')!;
    expect(goal.position).toEqual([0.55, TABLE_TOP + 0.002, -0.2]);
    push.dispose();
  });

  it('same seed + same actions give bit-identical trajectories, in process and in a child process', async () => {
    // 230 steps: across an episode boundary (auto-reset draws a new target / block start).
    for (const id of TASKS)
      expect(await rolloutHash(id, 2, id === 'arm7/push-goal' ? 230 : 60)).toBe(
        await rolloutHash(id, 2, id === 'arm7/push-goal' ? 230 : 60),
      );
    expect(await rolloutHash('arm7/reach-any', 2, 60)).not.toBe(await rolloutHash('arm7/reach-any', 3, 60));
    const script = fileURLToPath(new URL('../testing/rollout-hash.ts', import.meta.url));
    const child = await run(process.execPath, ['--import', 'tsx', script, 'arm7/push-goal', '2', '230'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(child.stdout.trim()).toBe(await rolloutHash('arm7/push-goal', 2, 230));
  });

  it('snapshot/restore continues bit-identically and brings back the episode’s target and block start', async () => {
    for (const id of ['arm7/reach-any', 'arm7/push-any']) {
      const env = await createEnv(id, { seed: 5 });
      const d = env.spec.obsDim;
      env.reset(5);
      const rng = new Rng(9);
      const a = new Float32Array(7);
      for (let t = 0; t < 30; t++) env.step(randomActions(rng, a));
      const snap = env.snapshot();
      const acts = Array.from({ length: 40 }, () => randomActions(rng, new Float32Array(7)));
      const go = (): Float32Array => {
        const out = new Float32Array(40 * (d + 1));
        acts.forEach((x, t) => {
          const r = env.step(x);
          out.set(r.obs, t * (d + 1));
          out[t * (d + 1) + d] = r.reward;
        });
        return out;
      };
      const first = go();
      for (let k = 0; k < 2; k++) {
        env.reset(1000 + k); // a different target / block start, then back
        env.restore(snap);
        expect(Buffer.from(go().buffer).equals(Buffer.from(first.buffer))).toBe(true);
      }
      expect(() => env.restore(new Uint8Array(10))).toThrow(EnvError);
      env.dispose();
    }
  });

  it('reset(seed) on a used env replays a fresh one bit for bit (push tasks: no stale block–table contact), single and vectorised', async () => {
    // The used env pushed its block about for 150 steps first; its block–table contact kept that
    // episode's warm-start impulses, so the same seed and actions gave different rewards.
    const play = (e: Env | VecEnv, n: number): number[] => {
      const out = Array.from(e.reset(5));
      const rng = new Rng(99);
      const a = new Float32Array(7 * n);
      for (let t = 0; t < 60; t++) {
        const r = e.step(randomActions(rng, a, -1, 1));
        out.push(...r.obs, ...('reward' in r ? [r.reward] : r.rewards));
      }
      return out;
    };
    const rng = new Rng(77);
    for (const id of ['arm7/push-any', 'arm7/push-goal']) {
      for (const n of [1, 2]) {
        const make = () => (n === 1 ? createEnv(id, { seed: 0 }) : createVecEnv(id, n, { seed: 0 }));
        const [fresh, used] = [await make(), await make()];
        used.reset(123);
        const a = new Float32Array(7 * n);
        for (let t = 0; t < 150; t++) used.step(randomActions(rng, a));
        expect(play(used, n)).toEqual(play(fresh, n));
        fresh.dispose();
        used.dispose();
      }
    }
  });

  it('10,000 random steps (16 arms, block contacts): no NaN, joint limits hold within 10°', async () => {
    const n = 16;
    const venv = await createVecEnv('arm7/push-any', n, { seed: 21 });
    const rng = new Rng(21);
    const acts = new Float32Array(n * 7);
    let worst = 0;
    let truncated = 0;
    for (let t = 0; t < 10_000 / n; t++) {
      // Half the time bang-bang (±1): the hardest case for the limit constraints.
      if (t % 2) randomActions(rng, acts);
      else for (let i = 0; i < acts.length; i++) acts[i] = rng.next() < 0.5 ? -1 : 1;
      const r = venv.step(acts);
      for (let i = 0; i < n; i++) {
        expect(r.terminated[i]).toBe(0); // never terminated; unstable would set it
        truncated += r.truncated[i]!;
        for (let k = 0; k < 7; k++) {
          const q = Math.atan2(r.finalObs[i * 30 + k]!, r.finalObs[i * 30 + 7 + k]!);
          const [lo, hi] = ARM7.joints[k]!.limits;
          worst = Math.max(worst, lo - q, q - hi);
        }
        if (!Number.isFinite(r.rewards[i]!)) throw new Error(`NaN reward at step ${t}`);
      }
      for (let j = 0; j < r.obs.length; j++) if (!Number.isFinite(r.obs[j]!)) throw new Error(`NaN at step ${t}`);
    }
    const worstDeg = (worst * 180) / Math.PI;
    console.log(`arm7: worst joint-limit violation over 10,000 random steps ${worstDeg.toFixed(2)}°`);
    expect(truncated).toBe(3 * n); // 625 steps = three 200-step episodes each
    expect(worstDeg).toBeLessThan(10); // measured ≈ 2°
    venv.dispose();
  });

  it('reach: reward = −‖tcp − target‖ − 0.01‖a‖², tcp as drawn; success exactly when within the radius', async () => {
    const env = await createEnv('arm7/reach-any', { seed: 4 });
    let o = env.reset(4);
    const rng = new Rng(6);
    const a = new Float32Array(7);
    for (let t = 0; t < 25; t++) {
      const target = Array.from(o.subarray(24, 27));
      const r = env.step(randomActions(rng, a));
      o = r.obs;
      expect(Array.from(o.subarray(24, 27))).toEqual(target); // fixed within the episode
      const tcp = tcpFromFingers(env);
      for (let k = 0; k < 3; k++) expect(o[TCP + k]).toBeCloseTo(tcp[k]!, 5);
      const d = sub(o, TCP, o, 24);
      expect(r.info.distance).toBeCloseTo(d, 6);
      expect(r.reward).toBeCloseTo(-d - 0.01 * clipSq(a), 6);
      expect(r.info.success).toBe(d < 0.05 ? 1 : 0);
      expect(r.info.contact).toBe(0);
      expect([r.terminated, r.truncated]).toEqual([false, false]);
    }
    // Targets are uniform in the workspace box, a new one each episode.
    const seen = Array.from({ length: 50 }, (_, i) => Array.from(env.reset(100 + i).subarray(24, 27)));
    for (const [x, y, z] of seen) {
      expect(Math.abs(x! - 0.475)).toBeLessThanOrEqual(0.225);
      expect(Math.abs(y! - 0.675)).toBeLessThanOrEqual(0.225);
      expect(Math.abs(z!)).toBeLessThanOrEqual(0.35);
    }
    expect(new Set(seen.map((p) => p.join())).size).toBe(50);
    env.dispose();

    // Success: a fixed target at the start pose's TCP (measured ≈ (0.41, 0.67, 0)), then pan away.
    const fixed = await createEnv('arm7/reach-any', {
      seed: 1,
      variant: {
        params: { targetX: 0.41, targetY: 0.67, targetZ: 0, targetSpreadX: 0, targetSpreadY: 0, targetSpreadZ: 0, successRadius: 0.08 },
      },
    });
    fixed.reset(1);
    const pan = new Float32Array(7);
    const flags: number[] = [];
    for (let t = 0; t < 12; t++) {
      pan[0] = t < 2 ? 0 : 1;
      const r = fixed.step(pan);
      expect(r.info.success).toBe(r.info.distance! < 0.08 ? 1 : 0);
      flags.push(r.info.success!);
    }
    expect(flags[0]).toBe(1);
    expect(flags.at(-1)).toBe(0);
    fixed.dispose();
  });

  it('reach-obstacle: touching the wall costs 1 per step; contact only near the wall', async () => {
    const run = async (variant: unknown): Promise<number[]> => {
      const env = await createEnv('arm7/reach-obstacle', { seed: 2, variant });
      env.reset(2);
      const wall = env.spec.markers.filter((m) => m.kind === 'obstacle')[1];
      const a = new Float32Array(7);
      a[1] = 1; // shoulder forward: the hand comes down onto the wall
      a[3] = -0.3;
      const contacts: number[] = [];
      for (let t = 0; t < 30; t++) {
        const r = env.step(a);
        const o = r.obs;
        const d = sub(o, TCP, o, 24);
        expect(r.reward).toBeCloseTo(-d - 0.01 * clipSq(a) - r.info.contact!, 6);
        if (r.info.contact && wall) {
          // Some robot geom's bounding sphere is within the contact margin (+ a substep's travel) of the wall.
          const p = env.poses();
          let near = Infinity;
          env.spec.bodies.forEach((b, g) => {
            if (b.name === 'target') return;
            const s = b.size;
            const radius = b.shape === 'box' ? Math.hypot(s[0]!, s[1]!, s[2]!) : b.shape === 'sphere' ? s[0]! : s[0]! + s[1]!;
            const out = [0, 1, 2].map((k) => Math.max(0, Math.abs(p[g * 7 + k]! - wall.position[k]!) - wall.size[k]!));
            near = Math.min(near, Math.hypot(out[0]!, out[1]!, out[2]!) - radius);
          });
          expect(near).toBeLessThan(0.01 + 0.03);
        }
        contacts.push(r.info.contact!);
      }
      env.dispose();
      return contacts;
    };
    expect((await run(undefined)).some((c) => c === 1)).toBe(true);
    // The same motion with the wall moved to the table's far edge and made low never touches it.
    expect(await run({ params: { obstacleX: 0.95, obstacleHeight: 0.02 } })).toEqual(new Array(30).fill(0));
  });

  it('push-any: reward = −‖tcp − block‖ + 2·‖block − start‖ on the table − 0.01‖a‖² (block moved by hand)', async () => {
    const env = await createEnv('arm7/push-any', { seed: 3 });
    const o0 = env.reset(3);
    const start = Array.from(o0.subarray(24, 27));
    expect(Array.from(o0.subarray(27, 30))).toEqual(start); // the goal slot holds the block's start
    expect(start[1]).toBeCloseTo(TABLE_TOP + 0.03, 6);
    // Slide the block 12 cm along +z and 5 cm along −x (as a push would), then let it settle.
    const internals = env as unknown as Slot;
    const robot = internals.slot.robot;
    robot.bodies[robot.nTree]!.setTranslation({ x: start[0]! - 0.05, y: start[1]!, z: start[2]! + 0.12 }, true);
    const rng = new Rng(8);
    const a = new Float32Array(7);
    for (let t = 0; t < 10; t++) {
      const r = env.step(randomActions(rng, a, -0.2, 0.2));
      const o = r.obs;
      expect(pose(env, 'block').slice(0, 3)).toEqual(Array.from(o.subarray(24, 27)));
      const dx = o[24]! - start[0]!,
        dz = o[26]! - start[2]!;
      expect(dx).toBeCloseTo(-0.05, 2);
      expect(dz).toBeCloseTo(0.12, 2);
      expect(r.info.block_dx).toBeCloseTo(dx, 6);
      expect(r.info.block_dz).toBeCloseTo(dz, 6);
      expect(r.info.displacement).toBeCloseTo(Math.hypot(dx, dz), 6);
      expect(r.info.on_table).toBe(1);
      expect(r.reward).toBeCloseTo(-sub(o, TCP, o, 24) + 2 * Math.hypot(dx, dz) - 0.01 * clipSq(a), 6);
      expect(r.info.success).toBe(0);
    }
    env.dispose();
  });

  it('push-any: a block knocked off the table earns no displacement (it used to earn the most)', async () => {
    const env = await createEnv('arm7/push-any', { seed: 3 });
    const o0 = env.reset(3);
    const start = Array.from(o0.subarray(24, 27));
    const robot = (env as unknown as Slot).slot.robot;
    // On the floor beside the table's far edge (x 1.0 + 0.1, z as it started).
    robot.bodies[robot.nTree]!.setTranslation({ x: 1.1, y: 0.03, z: start[2]! }, true);
    const a = new Float32Array(7);
    for (let t = 0; t < 5; t++) {
      const r = env.step(a);
      const o = r.obs;
      expect(o[25]).toBeLessThan(TABLE_TOP);
      expect(r.info.on_table).toBe(0);
      expect(r.info.displacement).toBeGreaterThan(0.4); // measured, but not paid
      expect(r.reward).toBeCloseTo(-sub(o, TCP, o, 24), 6);
      expect(r.reward).toBeLessThan(-0.4);
    }
    // Lifted 10 cm over its start, it is off the table too (no pay for tossing the block up).
    robot.bodies[robot.nTree]!.setTranslation({ x: start[0]!, y: start[1]! + 0.1, z: start[2]! }, true);
    const r = env.step(a);
    expect(r.info.on_table).toBe(0);
    env.dispose();
  });

  it('push-goal: reward = −0.5‖tcp − block‖ − ‖block − goal‖ − 0.1‖a‖²; success with the block on the goal', async () => {
    const env = await createEnv('arm7/push-goal', { seed: 3 });
    const o0 = env.reset(3);
    expect(Array.from(o0.subarray(27, 30))).toEqual([Math.fround(0.65), Math.fround(TABLE_TOP + 0.03), Math.fround(0.15)]);
    const robot = (env as unknown as Slot).slot.robot;
    const a = new Float32Array(7).fill(0.1);
    const check = (o: Float32Array, r: { reward: number; info: Record<string, number> }): void => {
      const bg = sub(o, 24, o, 27);
      expect(r.reward).toBeCloseTo(-0.5 * sub(o, TCP, o, 24) - bg - 0.1 * clipSq(a), 6);
      expect(r.info.success).toBe(bg < 0.05 ? 1 : 0);
    };
    let r = env.step(a);
    check(r.obs, r);
    expect(r.info.success).toBe(0);
    robot.bodies[robot.nTree]!.setTranslation({ x: 0.66, y: TABLE_TOP + 0.03, z: 0.14 }, true);
    for (let t = 0; t < 3; t++) {
      r = env.step(a);
      check(r.obs, r);
    }
    expect(r.info.success).toBe(1);
    env.dispose();
  });

  it('VecEnv: per-env targets differ; episodes truncate at 200 steps and auto-reset to a new target', async () => {
    const venv = await createVecEnv('arm7/reach-any', 2, { seed: 40 });
    const o = Float32Array.from(venv.reset());
    expect(Array.from(o.subarray(24, 27))).not.toEqual(Array.from(o.subarray(27 + 24, 27 + 27)));
    const acts = new Float32Array(14);
    let r = venv.step(acts);
    for (let t = 1; t < 200; t++) r = venv.step(acts);
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(Array.from(r.terminated)).toEqual([0, 0]);
    expect(venv.episodeLengths[0]).toBe(200);
    expect(Array.from(r.finalObs.subarray(24, 27))).toEqual(Array.from(o.subarray(24, 27)));
    expect(Array.from(r.obs.subarray(24, 27))).not.toEqual(Array.from(o.subarray(24, 27)));
    venv.dispose();
  });

  it('rejects malformed variants naming the field and range; joint, block and goal variants take effect', async () => {
    expect(() => parseVariant({ params: { targetX: 5 } }, 'arm7/reach-any')).toThrow(
      'variant.params.targetX: expected a number in [0, 1.2], got 5',
    );
    expect(() => parseVariant({ params: { goalX: 0.5 } }, 'arm7/push-any')).toThrow(/variant\.params\.goalX: unknown field/);
    expect(() => parseVariant({ massScale: { block: 2 } }, 'arm7/reach-any')).toThrow(/variant\.massScale\.block: unknown field/);
    expect(() => parseVariant({ massScale: { block: 20 } }, 'arm7/push-goal')).toThrow(
      /variant\.massScale\.block: expected a number in \[0\.1, 10\]/,
    );
    expect(() => parseVariant({ actuators: { elbow: 1.5 } }, 'arm7/reach-any')).toThrow(
      /variant\.actuators\.elbow: expected a number in \[0, 1\]/,
    );
    expect(() => parseVariant({ params: { blockFriction: 0 } }, 'arm7/push-goal')).toThrow(/variant\.params\.blockFriction.*\[0\.05, 2\]/);
    expect(() => parseVariant({ obstacles: [{ position: [0.5, 0.5], halfExtents: [0.1, 0.1, 0.1] }] }, 'arm7/reach-any')).toThrow(
      /variant\.obstacles\[0\]\.position: expected an array of 3 numbers/,
    );
    await expect(createEnv('arm7/push-goal', { variant: 'nope' })).rejects.toThrow(VariantError);
    for (const t of listTasks().filter((d) => d.robot === 'arm7')) for (const v of t.variants) parseVariant(v.name, t.id);

    // Weakened elbow: 30 % of the speed; disabled: does not follow the command at all.
    const elbowSpeed = async (variant: unknown): Promise<number> => {
      const env = await createEnv('arm7/reach-any', { seed: 1, variant });
      env.reset(1);
      const a = new Float32Array(7);
      a[3] = 1;
      let qd = 0;
      for (let t = 0; t < 3; t++) qd = env.step(a).obs[14 + 3]!;
      env.dispose();
      return qd;
    };
    const full = await elbowSpeed(undefined);
    expect(full).toBeCloseTo(ARM7.joints[3]!.actuator.gear, 1);
    expect((await elbowSpeed({ actuators: { elbow: 0.3 } })) / full).toBeCloseTo(0.3, 1);
    expect(Math.abs(await elbowSpeed({ actuators: { elbow: 0 } }))).toBeLessThan(0.2);

    // A slippery block slides further under the same shove; a variant obstacle is drawn and sensed.
    const shove = async (variant: unknown): Promise<number> => {
      const env = await createEnv('arm7/push-any', { seed: 1, variant });
      const o = Float32Array.from(env.reset(1)); // reset() returns the reused obs buffer
      const b = (env as unknown as { slot: { robot: { bodies: { setLinvel(v: object, w: boolean): void }[]; nTree: number } } }).slot.robot;
      b.bodies[b.nTree]!.setLinvel({ x: 0.5, y: 0, z: 0 }, true);
      let r = env.step(new Float32Array(7));
      for (let t = 0; t < 5; t++) r = env.step(new Float32Array(7));
      env.dispose();
      return r.obs[24]! - o[24]!;
    };
    expect(await shove({ params: { blockFriction: 0.1 } })).toBeGreaterThan(await shove({ params: { blockFriction: 2 } }));
    const boxed = await createEnv('arm7/reach-any', {
      seed: 1,
      variant: { obstacles: [{ position: [0.3, 1.0, 0], halfExtents: [0.3, 0.3, 0.3] }] }, // around the elbow
    });
    expect(boxed.spec.markers.filter((m) => m.kind === 'obstacle')).toHaveLength(2);
    expect(boxed.step(new Float32Array(7)).info.contact).toBe(1);
    boxed.dispose();
  });

  it('push variants keep every block start on the table and the goal on the table within reach, naming the fields', () => {
    // The table top spans x ∈ [0.2, 1], z ∈ [−0.6, 0.6]; default spread 0.1 (push-any), half-edge 0.03.
    expect(() => parseVariant({ params: { blockX: 0.95 } }, 'arm7/push-any')).toThrow(
      'variant.params.blockX: expected a number in [0.33, 0.87] (the table top spans x ∈ [0.2, 1], less blockSpread + blockHalfSize = 0.13 each side), got 0.95',
    );
    expect(parseVariant({ params: { blockX: 0.33 } }, 'arm7/push-any').params.blockX).toBe(0.33);
    expect(() => parseVariant({ params: { blockZ: 0.5, blockSpread: 0.1 } }, 'arm7/push-goal')).toThrow(
      /variant\.params\.blockZ: expected a number in \[-0\.47, 0\.47\] .*got 0\.5/,
    );
    expect(() => parseVariant({ params: { blockX: 0.7, blockSpread: 0.3 } }, 'arm7/push-any')).toThrow(/variant\.params\.blockX/);
    expect(() => parseVariant({ params: { goalX: 1 } }, 'arm7/push-goal')).toThrow(
      'variant.params.goalX: expected a number in [0.23, 0.97] (the block rests on the table top, x ∈ [0.2, 1], less blockHalfSize = 0.03 each side), got 1',
    );
    expect(() => parseVariant({ params: { goalX: 0.8, goalZ: 0.5 } }, 'arm7/push-goal')).toThrow(
      "variant.params.goalX, goalZ: expected a goal within the arm's reach (≤ 0.910 m from the shoulder at [0, 0.733, 0]), got [0.8, 0.5], 0.991 m away",
    );
    expect(parseVariant({ params: { goalX: 0.7, goalZ: -0.4 } }, 'arm7/push-goal').params.goalZ).toBe(-0.4);
    for (const t of listTasks().filter((d) => d.robot === 'arm7')) for (const v of t.variants) parseVariant(v.name, t.id);
  });

  it('the TCP constant matches the hand geometry (between the fingertips)', () => {
    const hand = ARM7.bodies.at(-1)!;
    const finger = hand.geoms.at(-1)!;
    expect(finger.center![1] + finger.halfExtents![1]).toBeGreaterThan(ARM7_TCP[1]);
    expect(finger.center![1]).toBeLessThan(ARM7_TCP[1]);
  });
});
