// n robots in ONE Rapier world (collision groups keep robots apart, a contact filter keeps each
// env's scenery and objects its own: physics/env-filter.ts; one half-space ground), stepped
// together, auto-reset, per-env seeds (rng.ts envSeed), no per-step allocation.
// Robots sit on a grid (SPACING m) so their broad-phase boxes rarely overlap: filtered
// pairs still cost time. Observations never contain absolute x/z, so the offset is invisible.
import { travels } from '../robots/types.ts';
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import { assertFiniteActions, EnvError } from '../env.ts';
import type { EnvSpec, VecEnv, VecEnvStep } from '../env.ts';
import { EnvFilter, SPACING } from '../physics/env-filter.ts';
import { RobotInstance } from '../physics/robot-instance.ts';
import { rapier } from '../physics/rapier.ts';
import { addStaticBoxes, createWorld, worldFromSnapshot } from '../physics/world.ts';
import { envSeed } from '../rng.ts';
import type { PhysicsTask } from '../tasks/physics-task.ts';
import type { Variant } from '../variant.ts';
import { frameBytes, readFrame, writeFrame, type VecFrame } from './vec-snapshot.ts';
import { robotExtras, WalkerSlot } from './walker-slot.ts';

export { SPACING };

export class PhysicsVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly n: number;
  readonly episodeReturns: Float32Array;
  readonly episodeLengths: Float32Array;
  /** The shared world (bench/sim.ts times world.step() alone on it); restore() replaces it. */
  world: RAPIER_NS.World;
  private serializer: RAPIER_NS.SerializationPipeline | null = null;
  private readonly slots: WalkerSlot[] = [];
  private readonly filter: EnvFilter;
  private readonly task: PhysicsTask;
  private readonly seed: number;
  private readonly out: VecEnvStep;
  private readonly ret: Float64Array;
  private readonly flags = { terminated: false, truncated: false };
  private disposed = false;

  constructor(task: PhysicsTask, variant: Variant, n: number, seed: number) {
    this.task = task;
    this.n = n;
    this.seed = seed;
    this.world = createWorld(variant.friction);
    const side = Math.ceil(Math.sqrt(n));
    const boxes = [...task.scenery(variant), ...variant.obstacles];
    const extras = robotExtras(task, variant);
    const travelling = travels(task.robot);
    this.filter = new EnvFilter();
    for (let i = 0; i < n; i++) {
      const origin: [number, number, number] = [(i % side) * SPACING, 0, Math.floor(i / side) * SPACING];
      this.filter.addScenery(this.world, addStaticBoxes(this.world, boxes, origin, variant.friction, travelling), i);
      const robot = new RobotInstance(this.world, task.robot, variant, origin, extras);
      this.filter.addRobot(robot, i);
      this.slots.push(new WalkerSlot(task, variant, robot, envSeed(seed, i)));
    }
    const r0 = this.slots[0]!.robot;
    this.spec = {
      id: task.id,
      robot: task.robot.id,
      obsDim: task.obsDim,
      actDim: r0.nj,
      actLow: -1,
      actHigh: 1,
      dt: this.slots[0]!.dt,
      maxEpisodeSteps: task.maxEpisodeSteps,
      bodies: r0.visuals,
      markers: task.markers(variant),
      actionNames: task.robot.joints.map((j) => j.name),
      travels: travelling,
    };
    const d = task.obsDim;
    this.out = {
      obs: new Float32Array(n * d),
      finalObs: new Float32Array(n * d),
      rewards: new Float32Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
    };
    this.ret = new Float64Array(n);
    this.episodeReturns = new Float32Array(n).fill(NaN);
    this.episodeLengths = new Float32Array(n).fill(NaN);
    this.reset();
  }

  reset(seed?: number): Float32Array {
    if (this.disposed) throw new EnvError(`${this.spec.id}: VecEnv was disposed`);
    const base = seed ?? this.seed;
    const d = this.task.obsDim;
    for (let i = 0; i < this.n; i++) {
      this.slots[i]!.reset(envSeed(base, i));
      this.slots[i]!.observe(this.out.obs, i * d);
      this.ret[i] = 0;
    }
    this.out.finalObs.set(this.out.obs);
    this.episodeReturns.fill(NaN);
    this.episodeLengths.fill(NaN);
    return this.out.obs;
  }

  step(actions: Float32Array): VecEnvStep {
    if (this.disposed) throw new EnvError(`${this.spec.id}: VecEnv was disposed`);
    const { obsDim: d, actDim: a } = this.spec;
    assertFiniteActions(this.spec.id, actions, this.n, a);
    for (let i = 0; i < this.n; i++) this.slots[i]!.preStep(actions, i * a);
    for (let k = 0; k < this.task.frameSkip; k++) this.filter.step(this.world);
    const o = this.out;
    for (let i = 0; i < this.n; i++) {
      const slot = this.slots[i]!;
      const r = slot.postStep(o.finalObs, i * d, this.flags);
      o.rewards[i] = r;
      o.terminated[i] = this.flags.terminated ? 1 : 0;
      o.truncated[i] = this.flags.truncated ? 1 : 0;
      this.ret[i] += r;
      if (this.flags.terminated || this.flags.truncated) {
        this.episodeReturns[i] = this.ret[i]!;
        this.episodeLengths[i] = slot.t;
        this.ret[i] = 0;
        slot.reset();
        slot.observe(o.obs, i * d);
      } else {
        this.episodeReturns[i] = NaN;
        this.episodeLengths[i] = NaN;
        for (let j = 0; j < d; j++) o.obs[i * d + j] = o.finalObs[i * d + j]!;
      }
    }
    return o;
  }

  /**
   * Poses of every robot, env-major (spec.bodies.length × 7 floats per env), in absolute world
   * coordinates: env i sits at its grid origin, env 0 at the world origin (what the viewer shows,
   * so its poses equal a single Env's). Subtract the grid offset to compare other envs.
   */
  poses(out?: Float32Array): Float32Array {
    const per = this.slots[0]!.robot.geomCount * 7;
    const o = out ?? new Float32Array(per * this.n);
    for (let i = 0; i < this.n; i++) this.slots[i]!.robot.poses(o, i * per);
    return o;
  }

  private frame(): VecFrame {
    const { episodeReturns, episodeLengths } = this;
    return { id: this.spec.id, n: this.n, obsDim: this.task.obsDim, ret: this.ret, out: this.out, episodeReturns, episodeLengths };
  }

  /** The frame, every slot's state (as PhysicsEnv's), then Rapier's bytes of the shared world. */
  snapshot(): Uint8Array {
    if (this.disposed) throw new EnvError(`${this.spec.id}: VecEnv was disposed`);
    const bytes = this.world.takeSnapshot();
    const per = this.slots[0]!.stateSize * 8;
    const f = this.frame();
    const head = frameBytes(f);
    const out = new Uint8Array(head + this.n * per + bytes.byteLength);
    const dv = writeFrame(f, out);
    for (let i = 0; i < this.n; i++) this.slots[i]!.writeState(dv, head + i * per);
    out.set(bytes, head + this.n * per);
    return out;
  }

  restore(state: Uint8Array): void {
    if (this.disposed) throw new EnvError(`${this.spec.id}: VecEnv was disposed`);
    const per = this.slots[0]!.stateSize * 8;
    const f = this.frame();
    const head = frameBytes(f);
    if (state.byteLength <= head + this.n * per) throw new EnvError(`${this.spec.id}: truncated VecEnv snapshot`);
    // check everything before touching any state: a bad snapshot leaves the env as it was
    const { dv, commit } = readFrame(f, state);
    this.serializer ??= new (rapier().SerializationPipeline)();
    const world = worldFromSnapshot(this.serializer, state.subarray(head + this.n * per));
    if (!world) throw new EnvError(`${this.spec.id}: corrupt snapshot`);
    this.world.free();
    this.world = world;
    for (let i = 0; i < this.n; i++) {
      this.slots[i]!.robot.rebind(world);
      this.slots[i]!.readState(dv, head + i * per);
    }
    this.filter.arm(world);
    commit();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.world.free();
    this.serializer?.free();
    this.filter.dispose();
  }
}
