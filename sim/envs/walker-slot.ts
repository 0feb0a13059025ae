// The per-robot half of a physics env: reset with noise, action in, observation and
// reward out, instability guard. PhysicsEnv owns one slot in its own world;
// PhysicsVecEnv owns n slots in one shared world.
import type { RobotExtras, RobotInstance } from '../physics/robot-instance.ts';
import { STRIDE } from '../physics/robot-instance.ts';
import { PHYSICS_DT } from '../physics/world.ts';
import { Rng } from '../rng.ts';
import type { PhysicsTask, ResetContext, StepContext } from '../tasks/physics-task.ts';
import type { Variant } from '../variant.ts';

/** Beyond these the state is garbage (solver blow-up): end the episode, flag info.unstable. */
const MAX_LIN_SPEED = 50; // m/s, any body
const MAX_ANG_SPEED = 300; // rad/s, any body (legs legitimately spin at ~20–40 rad/s)
const MAX_HEIGHT = 5; // m, any body
const MIN_HEIGHT = -1;

/** The task's objects and sensor boxes, for RobotInstance. */
export function robotExtras(task: PhysicsTask, variant: Variant): RobotExtras {
  return { objects: task.objects?.(variant) ?? [], sensors: task.sensors?.(variant) ?? [] };
}

export class WalkerSlot {
  readonly rng = new Rng();
  readonly robot: RobotInstance;
  readonly task: PhysicsTask;
  readonly variant: Variant;
  readonly dt: number;
  t = 0;
  /** Root position before the current step. */
  readonly prev = new Float64Array(3);
  readonly info: Record<string, number>;
  /** The task's per-episode state (task.stateSize floats); snapshots carry it. */
  readonly taskState: Float64Array;
  private readonly ref: Float64Array;
  private readonly q0: Float64Array;
  private readonly qd0: Float64Array;
  private readonly pos = new Float64Array(3);
  private readonly quat = new Float64Array([0, 0, 0, 1]);
  private readonly lin = new Float64Array(3);
  private readonly ang = new Float64Array(3);
  private readonly act: Float32Array;
  private readonly ctx: StepContext;
  private readonly resetCtx: ResetContext;

  /** Floats of writeState(): t, rng state, prev xyz, unstable, then the task state. */
  get stateSize(): number {
    return 6 + this.taskState.length;
  }

  /** The slot's state beside the physics (snapshots): stateSize float64s at byte offset off. */
  writeState(dv: DataView, off: number): void {
    const v = [this.t, this.rng.state, this.prev[0]!, this.prev[1]!, this.prev[2]!, this.info.unstable!];
    v.forEach((x, i) => dv.setFloat64(off + i * 8, x, true));
    this.taskState.forEach((x, i) => dv.setFloat64(off + (6 + i) * 8, x, true));
  }

  /** Inverse of writeState(); the robot must already point at the restored world. */
  readState(dv: DataView, off: number): void {
    this.t = dv.getFloat64(off, true);
    this.rng.state = dv.getFloat64(off + 8, true) >>> 0;
    for (let k = 0; k < 3; k++) this.prev[k] = dv.getFloat64(off + 16 + k * 8, true);
    this.info.unstable = dv.getFloat64(off + 40, true);
    for (let i = 0; i < this.taskState.length; i++) this.taskState[i] = dv.getFloat64(off + (6 + i) * 8, true);
    this.robot.read();
  }

  constructor(task: PhysicsTask, variant: Variant, robot: RobotInstance, seed: number) {
    this.task = task;
    this.variant = variant;
    this.robot = robot;
    this.dt = PHYSICS_DT * task.frameSkip;
    this.rng.seed(seed);
    this.ref = new Float64Array(robot.nb * STRIDE);
    this.q0 = new Float64Array(robot.nj);
    this.qd0 = new Float64Array(robot.nj);
    this.act = new Float32Array(robot.nj);
    this.info = { unstable: 0 };
    for (const k of task.infoKeys) this.info[k] = 0;
    this.taskState = new Float64Array(task.stateSize ?? 0);
    const { params } = variant;
    this.ctx = { robot, prev: this.prev, action: this.act, actOff: 0, dt: this.dt, params, info: this.info, taskState: this.taskState };
    this.resetCtx = { robot, rng: this.rng, params, ref: this.ref, taskState: this.taskState };
  }

  /** Writes the task's observation of the current state at out[off]. */
  observe(out: Float32Array, off: number): void {
    this.task.observe(this.robot, out, off, this.taskState);
  }

  /** Teleports the robot to a noisy initial state (exact: sets every body's pose and velocity). */
  reset(seed?: number): void {
    if (seed !== undefined) this.rng.seed(seed);
    const { task, robot, rng } = this;
    const def = robot.def;
    const pn = task.posNoise,
      vn = task.velNoise;
    const o = robot.origin;
    this.pos[0] = o[0];
    this.pos[1] = o[1] + def.rootHeight + (def.root === 'fixed' ? 0 : rng.uniform(-pn, pn));
    this.pos[2] = o[2];
    def.joints.forEach((j, k) => {
      const q = (j.init ?? 0) + rng.uniform(-pn, pn);
      this.q0[k] = Math.min(j.limits[1], Math.max(j.limits[0], q));
      this.qd0[k] = vn * rng.normal();
    });
    for (let d = 0; d < 3; d++) {
      this.lin[d] = def.root === 'fixed' ? 0 : vn * rng.normal();
      this.ang[d] = def.root === 'fixed' ? 0 : vn * rng.normal();
    }
    if (def.root === 'planar') {
      this.lin[2] = 0;
      this.ang[0] = 0;
      this.ang[1] = 0;
    }
    robot.forward(this.ref, this.pos, this.quat, this.lin, this.ang, this.q0, this.qd0);
    task.resetTask?.(this.resetCtx);
    robot.renewObjectContacts(); // no warm start from the last episode's block–table contact
    robot.write(this.ref);
    robot.applyAction(this.act.fill(0), 0);
    robot.read();
    this.t = 0;
    this.info.unstable = 0;
  }

  /**
   * Clips and applies one action (actDim floats at action[off]); remembers the root position.
   * The caller has checked the action (assertFiniteAction(s)), every env's before any is applied.
   */
  preStep(action: Float32Array, off: number): void {
    const nj = this.robot.nj;
    for (let k = 0; k < nj; k++) {
      const u = action[off + k]!;
      this.act[k] = u > 1 ? 1 : u < -1 ? -1 : u;
    }
    this.robot.applyAction(this.act, 0);
    const s = this.robot.state;
    this.prev[0] = s[0]!;
    this.prev[1] = s[1]!;
    this.prev[2] = s[2]!;
  }

  /**
   * After the world stepped: reads the robot, writes the observation, returns the reward.
   * Sets `terminated`/`truncated` on the returned flags object.
   */
  postStep(obs: Float32Array, off: number, flags: { terminated: boolean; truncated: boolean }): number {
    this.t++;
    const ok = this.robot.read();
    const s = this.robot.state;
    let unstable = !ok;
    if (!unstable) {
      for (let i = 0; i < this.robot.nb; i++) {
        const b = i * STRIDE;
        const v2 = s[b + 7]! ** 2 + s[b + 8]! ** 2 + s[b + 9]! ** 2;
        const w2 = s[b + 10]! ** 2 + s[b + 11]! ** 2 + s[b + 12]! ** 2;
        const y = s[b + 1]!;
        if (v2 > MAX_LIN_SPEED ** 2 || w2 > MAX_ANG_SPEED ** 2 || y > MAX_HEIGHT || y < MIN_HEIGHT) unstable = true;
      }
    }
    if (unstable) {
      // Never hand out garbage: put the robot back to a sane state and end the episode.
      const t = this.t;
      this.reset();
      this.t = t;
      this.info.unstable = 1; // after reset(), which clears it
      this.observe(obs, off);
      flags.terminated = true;
      flags.truncated = false;
      return 0;
    }
    this.info.unstable = 0;
    this.observe(obs, off);
    const r = this.task.reward(this.ctx);
    flags.terminated = r.terminated;
    flags.truncated = !r.terminated && this.t >= this.task.maxEpisodeSteps;
    return r.reward;
  }
}
