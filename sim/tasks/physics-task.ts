// A task on a Rapier robot: reward, termination, initial-state noise, observation,
// static scenery. The env machinery (envs/) is shared by every such task.
import type { Marker } from '../env.ts';
import type { RobotInstance } from '../physics/robot-instance.ts';
import type { NamedVariant } from '../registry-types.ts';
import type { RobotDef } from '../robots/types.ts';
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
  /** Writes obsDim floats at out[off]. */
  observe(robot: RobotInstance, out: Float32Array, off: number): void;
  /** Returns the reward; sets ctx.info fields; terminated via the return flag. */
  reward(ctx: StepContext): { reward: number; terminated: boolean };
  /** Names of the keys this task writes into info (pre-created so steps allocate nothing). */
  infoKeys: string[];
}
