// A single-robot Env on its own Rapier world.
//
// snapshot()/restore() use Rapier's full serialisation (contact manifolds, warm-start
// impulses and pair order included: teleporting bodies alone does not reproduce those,
// so it would not continue bit-identically) plus the env's own state (step counter, RNG,
// previous root position). World.restoreSnapshot() builds a fresh SerializationPipeline
// per call and never frees it; we keep one pipeline and free each replaced world, which
// keeps memory flat over many restores (sim/tasks/ant.test.ts checks it).
import { travels } from '../robots/types.ts';
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import { assertFiniteAction, EnvError } from '../env.ts';
import type { Env, EnvSpec, StepResult } from '../env.ts';
import { RobotInstance } from '../physics/robot-instance.ts';
import { rapier } from '../physics/rapier.ts';
import { addStaticBoxes, createWorld, worldFromSnapshot } from '../physics/world.ts';
import { tagOf } from '../snapshot-codec.ts';
import type { PhysicsTask } from '../tasks/physics-task.ts';
import type { Variant } from '../variant.ts';
import { robotExtras, WalkerSlot } from './walker-slot.ts';

const MAGIC = 0x4d585750; // 'MXWP'

export class PhysicsEnv implements Env {
  readonly spec: EnvSpec;
  private world: RAPIER_NS.World;
  /** The current world (replaced by restore()); bench/sim.ts times world.step() alone on it. */
  get physicsWorld(): RAPIER_NS.World {
    return this.world;
  }
  private readonly serializer: RAPIER_NS.SerializationPipeline;
  private readonly slot: WalkerSlot;
  private readonly task: PhysicsTask;
  private readonly obs: Float32Array;
  private readonly flags = { terminated: false, truncated: false };
  private readonly result: StepResult;
  private readonly tag: number;
  private disposed = false;

  constructor(task: PhysicsTask, variant: Variant, seed: number) {
    const R = rapier();
    this.task = task;
    this.world = createWorld(variant.friction);
    const boxes = [...task.scenery(variant), ...variant.obstacles];
    addStaticBoxes(this.world, boxes, [0, 0, 0], variant.friction, travels(task.robot));
    const robot = new RobotInstance(this.world, task.robot, variant, [0, 0, 0], robotExtras(task, variant));
    this.slot = new WalkerSlot(task, variant, robot, seed);
    this.serializer = new R.SerializationPipeline();
    this.tag = tagOf(task.id);
    this.obs = new Float32Array(task.obsDim);
    this.spec = {
      id: task.id,
      robot: task.robot.id,
      obsDim: task.obsDim,
      actDim: robot.nj,
      actLow: -1,
      actHigh: 1,
      dt: this.slot.dt,
      maxEpisodeSteps: task.maxEpisodeSteps,
      bodies: robot.visuals,
      markers: task.markers(variant),
      actionNames: task.robot.joints.map((j) => j.name),
      travels: travels(task.robot),
      traceBody: robot.traceVisual(),
    };
    this.result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: this.slot.info };
    this.slot.reset();
    this.slot.observe(this.obs, 0);
  }

  private alive(): void {
    if (this.disposed) throw new EnvError(`${this.spec.id}: env was disposed`);
  }

  reset(seed?: number): Float32Array {
    this.alive();
    this.slot.reset(seed);
    this.slot.observe(this.obs, 0);
    return this.obs;
  }

  step(action: Float32Array): StepResult {
    this.alive();
    assertFiniteAction(this.task.id, action, this.spec.actDim);
    this.slot.preStep(action, 0);
    for (let k = 0; k < this.task.frameSkip; k++) this.world.step();
    this.result.reward = this.slot.postStep(this.obs, 0, this.flags);
    this.result.terminated = this.flags.terminated;
    this.result.truncated = this.flags.truncated;
    return this.result;
  }

  snapshot(): Uint8Array {
    this.alive();
    const bytes = this.world.takeSnapshot();
    const head = this.headBytes();
    const out = new Uint8Array(head + bytes.byteLength);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, MAGIC, true);
    dv.setUint32(4, this.tag, true);
    this.slot.writeState(dv, 8);
    out.set(bytes, head);
    return out;
  }

  /** Header + env state + task state, before Rapier's bytes. */
  private headBytes(): number {
    return 8 + this.slot.stateSize * 8;
  }

  restore(state: Uint8Array): void {
    this.alive();
    const dv = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const head = this.headBytes();
    if (state.byteLength < head || dv.getUint32(0, true) !== MAGIC || dv.getUint32(4, true) !== this.tag) {
      throw new EnvError(`${this.spec.id}: snapshot was not taken from this task`);
    }
    const world = worldFromSnapshot(this.serializer, state.subarray(head));
    if (!world) throw new EnvError(`${this.spec.id}: corrupt snapshot`);
    this.world.free();
    this.world = world;
    this.slot.robot.rebind(world);
    this.slot.readState(dv, 8);
    this.slot.observe(this.obs, 0);
  }

  poses(out?: Float32Array): Float32Array {
    const r = this.slot.robot;
    const o = out ?? new Float32Array(r.geomCount * 7);
    r.poses(o, 0);
    return o;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.world.free();
    this.serializer.free();
  }
}
