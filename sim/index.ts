// Public API of sim/: the studio and the CLI import only this module.
import type { Env, VecEnv } from './env.ts';
import { initRapier } from './physics/rapier.ts';
import type { TaskDescription, TaskEntry } from './registry-types.ts';
import { TASKS } from './tasks/registry.ts';
import { validateVariant, VariantError } from './variant.ts';
import type { Variant } from './variant.ts';

export type { Env, EnvSpec, VecEnv, VecEnvStep, StepResult, BodyVisual, Marker } from './env.ts';
export { EnvError, assertFiniteAction } from './env.ts';
export type { TaskDescription, NamedVariant } from './registry-types.ts';
export type { Variant, ParamSpec, Obstacle } from './variant.ts';
export { VariantError, MASS_SCALE_RANGE, FRICTION_RANGE, ACTUATOR_RANGE } from './variant.ts';

export interface CreateOptions {
  /** Variant JSON, a built-in variant name, or an already parsed Variant. */
  variant?: unknown;
  seed?: number;
}

function entry(taskId: string): TaskEntry {
  const e = TASKS.get(taskId);
  if (!e) throw new Error(`unknown task "${taskId}" (known: ${[...TASKS.keys()].join(', ')})`);
  return e;
}

function isParsed(v: unknown, taskId: string): v is Variant {
  return typeof v === 'object' && v !== null && (v as { taskId?: unknown }).taskId === taskId && 'params' in v && 'massScale' in v;
}

/** Validates variant JSON (object or built-in name) for a task; throws VariantError naming the field. */
export function parseVariant(json: unknown, taskId: string): Variant {
  const e = entry(taskId);
  const named: Record<string, unknown> = {};
  for (const v of e.description.variants) named[v.name] = v.json;
  return validateVariant(json, taskId, e.schema, named);
}

function resolve(taskId: string, opts?: CreateOptions): { e: TaskEntry; variant: Variant; seed: number } {
  const e = entry(taskId);
  const variant = isParsed(opts?.variant, taskId) ? opts.variant : parseVariant(opts?.variant, taskId);
  const seed = opts?.seed ?? 0;
  if (!Number.isInteger(seed)) throw new VariantError(`seed: expected an integer, got ${seed}`);
  return { e, variant, seed };
}

export async function createEnv(taskId: string, opts?: CreateOptions): Promise<Env> {
  const { e, variant, seed } = resolve(taskId, opts);
  if (e.physics) await initRapier();
  return e.createEnv(variant, seed);
}

export async function createVecEnv(taskId: string, n: number, opts?: CreateOptions): Promise<VecEnv> {
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new Error(`createVecEnv: n must be an integer in [1, 4096], got ${n}`);
  const { e, variant, seed } = resolve(taskId, opts);
  if (e.physics) await initRapier();
  return e.createVecEnv(variant, n, seed);
}

export function listTasks(): TaskDescription[] {
  return [...TASKS.values()].map((e) => e.description);
}
