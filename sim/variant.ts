// Variants: a task plus parameter and dynamics overrides, written by users as JSON.
// Validation is strict (unknown fields rejected) and every error names the field
// path and the allowed range, so a typo in a JSON file is obvious in the UI.

export interface ParamSpec {
  name: string;
  default: number;
  range: [number, number];
  doc: string;
}

export interface Obstacle {
  /** Box centre, world metres (relative to the env's origin). */
  position: [number, number, number];
  halfExtents: [number, number, number];
}

/** What a task allows a variant to change; listTasks() exposes it. */
export interface VariantSchema {
  params: ParamSpec[];
  /** Body names accepted by massScale. */
  bodies: string[];
  /** Actuator names accepted by actuators (gain scale; 0 disables). */
  actuators: string[];
  obstacles: boolean;
  /** Point env only: goal positions allowed within ±goalBound. */
  goals: boolean;
  goalBound?: number;
  /** Set (to a sentence saying why) when the task has no physics: friction, massScale and actuators are refused. */
  noPhysics?: string;
  /** Checks between fields (a block kept on the table, minHeight < maxHeight) once each field is valid. */
  check?(variant: Variant): void;
}

export interface Variant {
  taskId: string;
  name: string;
  /** Every task parameter, defaults filled in. */
  params: Record<string, number>;
  massScale: Record<string, number>;
  /** Multiplies every robot/ground friction coefficient. */
  friction: number;
  /** Actuator gain scale in [0, 1]; missing = 1. */
  actuators: Record<string, number>;
  obstacles: Obstacle[];
  /** Point env goals (plane coordinates); null = the task's own. */
  goals: [number, number][] | null;
}

export const MASS_SCALE_RANGE: [number, number] = [0.1, 10];
export const FRICTION_RANGE: [number, number] = [0.05, 5];
export const ACTUATOR_RANGE: [number, number] = [0, 1];
const MAX_OBSTACLES = 16;
const MAX_GOALS = 8;

export class VariantError extends Error {
  override name = 'VariantError';
}

/** Throws "path: expected …, got …", the message every variant check gives. */
export function fail(path: string, expected: string, got: unknown): never {
  let shown: string;
  try {
    // JSON writes Infinity and NaN (1e999 in a file) as null.
    shown = typeof got === 'number' ? String(got) : (JSON.stringify(got) ?? String(got));
  } catch {
    shown = String(got);
  }
  throw new VariantError(`${path}: expected ${expected}, got ${shown}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown, path: string, range: [number, number]): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < range[0] || v > range[1]) {
    fail(path, `a number in [${range[0]}, ${range[1]}]`, v);
  }
  return v;
}

function vec3(v: unknown, path: string, range: [number, number]): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) fail(path, 'an array of 3 numbers', v);
  return [num(v[0], `${path}[0]`, range), num(v[1], `${path}[1]`, range), num(v[2], `${path}[2]`, range)];
}

function rejectUnknown(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw new VariantError(`${path}.${k}: unknown field (allowed: ${allowed.join(', ') || 'none'})`);
    }
  }
}

function scaleMap(v: unknown, path: string, names: string[], range: [number, number]): Record<string, number> {
  if (!isObject(v)) fail(path, `an object mapping ${names.join('|')} to numbers`, v);
  rejectUnknown(v, path, names);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) out[k] = num(x, `${path}.${k}`, range);
  return out;
}

export function defaultVariant(taskId: string, schema: VariantSchema): Variant {
  const params: Record<string, number> = {};
  for (const p of schema.params) params[p.name] = p.default;
  return { taskId, name: 'default', params, massScale: {}, friction: 1, actuators: {}, obstacles: [], goals: null };
}

/**
 * Validates variant JSON against a task's schema. `named` resolves a string (or
 * `{ "extends": name }`-free shorthand) to a built-in variant of the task.
 */
export function validateVariant(json: unknown, taskId: string, schema: VariantSchema, named: Record<string, unknown> = {}): Variant {
  const out = defaultVariant(taskId, schema);
  if (json === undefined || json === null) return out;
  if (typeof json === 'string') {
    if (json === 'default') return out;
    const builtIn = named[json];
    if (builtIn === undefined) {
      const names = ['default', ...Object.keys(named)];
      throw new VariantError(`variant: unknown variant "${json}" for ${taskId} (known: ${names.join(', ')})`);
    }
    return { ...validateVariant(builtIn, taskId, schema, {}), name: json };
  }
  if (!isObject(json)) fail('variant', 'an object or a variant name', json);
  const physical = ['massScale', 'friction', 'actuators'];
  const allowed = ['name', 'description', 'params', ...(schema.noPhysics ? [] : physical)];
  if (schema.obstacles) allowed.push('obstacles');
  if (schema.goals) allowed.push('goals');
  if (schema.noPhysics) {
    const k = physical.find((f) => json[f] !== undefined);
    if (k)
      throw new VariantError(
        `variant.${k}: ${schema.noPhysics}, so massScale, friction and actuators do not apply to ${taskId} (allowed: ${allowed.join(', ')})`,
      );
  }
  rejectUnknown(json, 'variant', allowed);

  if (json.name !== undefined) {
    if (typeof json.name !== 'string' || json.name.length > 80) fail('variant.name', 'a string (≤ 80 chars)', json.name);
    out.name = json.name;
  } else {
    out.name = 'custom';
  }
  if (json.description !== undefined && typeof json.description !== 'string') {
    fail('variant.description', 'a string', json.description);
  }
  if (json.params !== undefined) {
    const names = schema.params.map((p) => p.name);
    if (!isObject(json.params)) fail('variant.params', `an object with fields ${names.join('|') || '(none)'}`, json.params);
    rejectUnknown(json.params, 'variant.params', names);
    for (const p of schema.params) {
      const v = json.params[p.name];
      if (v !== undefined) out.params[p.name] = num(v, `variant.params.${p.name}`, p.range);
    }
  }
  if (json.massScale !== undefined) {
    out.massScale = scaleMap(json.massScale, 'variant.massScale', schema.bodies, MASS_SCALE_RANGE);
  }
  if (json.friction !== undefined) out.friction = num(json.friction, 'variant.friction', FRICTION_RANGE);
  if (json.actuators !== undefined) {
    out.actuators = scaleMap(json.actuators, 'variant.actuators', schema.actuators, ACTUATOR_RANGE);
  }
  if (json.obstacles !== undefined) {
    const obs = json.obstacles;
    if (!Array.isArray(obs) || obs.length > MAX_OBSTACLES) {
      fail('variant.obstacles', `an array of at most ${MAX_OBSTACLES} boxes`, obs);
    }
    out.obstacles = obs.map((o, i) => {
      const path = `variant.obstacles[${i}]`;
      if (!isObject(o)) fail(path, 'an object {position, halfExtents}', o);
      rejectUnknown(o, path, ['position', 'halfExtents']);
      return {
        position: vec3(o.position, `${path}.position`, [-100, 100]),
        halfExtents: vec3(o.halfExtents, `${path}.halfExtents`, [0.005, 50]),
      };
    });
  }
  if (json.goals !== undefined) {
    const b = schema.goalBound ?? 7;
    const g = json.goals;
    if (!Array.isArray(g) || g.length < 1 || g.length > MAX_GOALS) {
      fail('variant.goals', `an array of 1 to ${MAX_GOALS} [x, y] pairs`, g);
    }
    out.goals = g.map((p, i) => {
      const path = `variant.goals[${i}]`;
      if (!Array.isArray(p) || p.length !== 2) fail(path, 'an [x, y] pair', p);
      return [num(p[0], `${path}[0]`, [-b, b]), num(p[1], `${path}[1]`, [-b, b])] as [number, number];
    });
  }
  schema.check?.(out);
  return out;
}

/** Rounds a bound for a message (0.2 + 0.13 shows as 0.33, not 0.33000000000000002). */
const rounded = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Cross-field check: variant.params[name] within [lo + margin, hi − margin], where [lo, hi] is
 * what the message calls `within` and the margin comes from the fields `marginOf` names.
 */
export function checkInside(v: Variant, name: string, [lo, hi]: [number, number], margin: number, within: string, marginOf: string): void {
  const x = v.params[name]!;
  const a = lo + margin,
    b = hi - margin;
  if (x < a - 1e-9 || x > b + 1e-9) {
    fail(
      `variant.params.${name}`,
      `a number in [${rounded(a)}, ${rounded(b)}] (${within} [${rounded(lo)}, ${rounded(hi)}], less ${marginOf} = ${rounded(margin)} each side)`,
      x,
    );
  }
}
