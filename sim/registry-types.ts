// What every task module registers: a description for listTasks(), a variant
// schema, named built-in variants, and env constructors.
import type { Env, VecEnv } from './env.ts';
import type { ParamSpec, Variant, VariantSchema } from './variant.ts';

export interface NamedVariant {
  name: string;
  description: string;
  json: unknown;
}

export interface TaskDescription {
  id: string;
  robot: string;
  description: string;
  obsDim: number;
  actDim: number;
  maxEpisodeSteps: number;
  /** Control step, seconds. */
  dt: number;
  parameters: ParamSpec[];
  /** The fields every step's info reports (besides `unstable`), so callers need not know task ids. */
  info: string[];
  variants: NamedVariant[];
  /** What a variant may override (massScale bodies, actuator names, obstacles, goals). */
  dynamics: { bodies: string[]; actuators: string[]; obstacles: boolean; goals: boolean };
}

export interface TaskEntry {
  description: TaskDescription;
  schema: VariantSchema;
  createEnv(variant: Variant, seed: number): Env;
  createVecEnv(variant: Variant, n: number, seed: number): VecEnv;
  /** True when the env needs Rapier (createEnv must await its init first). */
  physics: boolean;
}
