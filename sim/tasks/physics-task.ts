// A task on a Rapier robot: reward, termination, initial-state noise, observation,
// static scenery. The env machinery (envs/) is shared by every such task.
import type { Marker } from '../env.ts';
import type { RobotInstance } from '../physics/robot-instance.ts';
import type { NamedVariant } from '../registry-types.ts';
import type { Rng } from '../rng.ts';
import type { ObjectDef, RobotDef } from '../robots/types.ts';
import type { Obstacle, ParamSpec, Variant } from '../variant.ts';

export interface StepContext {
  robot: RobotInstance;
  /** Root body position before this control step (world). */
  prev: Float64Array;
  /** Clipped action. */
  action: Float32Array;
  actOff: number;
  dt: number;
  params: Record<string, number>;
  info: Record<string, number>;
  /** The task's per-episode state (stateSize floats), as set by resetTask(). */
  taskState: Float64Array;
}

/** What resetTask() may change: object rows of `ref` and the task state. */
export interface ResetContext {
  robot: RobotInstance;
  rng: Rng;
  params: Record<string, number>;
  /** The state about to be written: STRIDE floats per body (objects after the tree), world frame. */
  ref: Float64Array;
  taskState: Float64Array;
}

export interface PhysicsTask {
  id: string;
  description: string;
  robot: RobotDef;
  obsDim: number;
  maxEpisodeSteps: number;
  frameSkip: number;
  params: ParamSpec[];
  variants: NamedVariant[];
  /** Whether variants may add obstacles. */
  obstacles: boolean;
  /** Uniform noise on root height and joint angles; Gaussian std on velocities. */
  posNoise: number;
  velNoise: number;
  /** Static boxes (walls) from the task itself, relative to the env origin. */
  scenery(variant: Variant): Obstacle[];
  markers(variant: Variant): Marker[];
  /** Writes obsDim floats at out[off]; taskState as in StepContext. */
  observe(robot: RobotInstance, out: Float32Array, off: number, taskState: Float64Array): void;
  /** Returns the reward; sets ctx.info fields; terminated via the return flag. */
  reward(ctx: StepContext): { reward: number; terminated: boolean };
  /** Names of the keys this task writes into info (pre-created so steps allocate nothing). */
  infoKeys: string[];
  /** Bodies besides the robot (a block, a target marker); see ObjectDef. */
  objects?(variant: Variant): ObjectDef[];
  /** Boxes (env frame) whose contact with the robot the reward can read (robot.touching()). */
  sensors?(variant: Variant): Obstacle[];
  /** Floats of per-episode task state (a target, the block's start), saved in snapshots. Default 0. */
  stateSize?: number;
  /** At reset, after the joints got their noisy start: places objects and fills the task state. */
  resetTask?(ctx: ResetContext): void;
  /** Checks between variant fields (throws VariantError naming them), after each field is valid. */
  checkVariant?(variant: Variant): void;
}
