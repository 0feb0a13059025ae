// A user's variant of a task as form fields and back: the variant editor's fields (task
// parameters, friction, mass and actuator scales, obstacles and goals as JSON) hold text; empty
// means the task's own value. The studio checks the result again (sim/variant.ts) and names any bad field.
import type { VariantSchemaInfo } from '../studio/api.ts';

/** One editable field: key "param.<name>", "friction", "mass.<body>", "actuator.<name>", "obstacles" or "goals". */
export interface VariantField {
  key: string;
  label: string;
  kind: 'number' | 'json';
  range?: [number, number];
  /** Shown when empty: the task's own value. */
  placeholder: string;
  help: string;
}

export function variantFields(s: VariantSchemaInfo): VariantField[] {
  const out: VariantField[] = s.params.map((p) => ({
    key: `param.${p.name}`,
    label: p.name,
    kind: 'number',
    range: p.range,
    placeholder: String(p.default),
    help: `${p.doc} (${p.range[0]} to ${p.range[1]}; default ${p.default})`,
  }));
  if (s.bodies.length || s.actuators.length)
    out.push({
      key: 'friction',
      label: 'friction ×',
      kind: 'number',
      range: s.friction,
      placeholder: '1',
      help: `Scales every friction coefficient (${s.friction[0]} to ${s.friction[1]})`,
    });
  for (const b of s.bodies)
    out.push({
      key: `mass.${b}`,
      label: `${b} mass ×`,
      kind: 'number',
      range: s.massScale,
      placeholder: '1',
      help: `Scales the mass of ${b} (${s.massScale[0]} to ${s.massScale[1]})`,
    });
  for (const a of s.actuators)
    out.push({
      key: `actuator.${a}`,
      label: `${a} strength`,
      kind: 'number',
      range: s.actuator,
      placeholder: '1',
      help: `Scales the ${a} actuator's gain (0 disables it, 1 is full strength)`,
    });
  if (s.obstacles)
    out.push({
      key: 'obstacles',
      label: 'obstacles',
      kind: 'json',
      placeholder: '[{"position": [2, 0.5, 0], "halfExtents": [0.2, 0.5, 1]}]',
      help: 'Boxes as JSON: [{"position": [x, y, z], "halfExtents": [hx, hy, hz]}, …] (metres, y up)',
    });
  if (s.goals)
    out.push({
      key: 'goals',
      label: 'goals',
      kind: 'json',
      placeholder: '[[5, 0], [0, 5]]',
      help: 'Goal positions on the plane as JSON: [[x, y], …] (1 to 8 goals)',
    });
  return out;
}

/**
 * The variant JSON that the fields describe: only the fields given, under `name`. Throws, naming
 * the field, on an entry that is not a number, outside its range, or not valid JSON.
 */
export function variantFromFields(s: VariantSchemaInfo, name: string, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: name.trim() || 'custom' };
  const params: Record<string, number> = {};
  const mass: Record<string, number> = {};
  const actuators: Record<string, number> = {};
  for (const f of variantFields(s)) {
    const text = (values[f.key] ?? '').trim();
    if (text === '') continue;
    if (f.kind === 'json') {
      try {
        out[f.key] = JSON.parse(text);
      } catch (e) {
        throw new Error(`${f.label}: not valid JSON (${(e as Error).message})`);
      }
      continue;
    }
    const v = Number(text);
    const [lo, hi] = f.range!;
    if (!Number.isFinite(v) || v < lo || v > hi) throw new Error(`${f.label}: a number from ${lo} to ${hi}, got ${JSON.stringify(text)}`);
    const [group, key] = f.key.includes('.') ? (f.key.split(/\.(.*)/) as [string, string]) : [f.key, ''];
    if (group === 'param') params[key] = v;
    else if (group === 'mass') mass[key] = v;
    else if (group === 'actuator') actuators[key] = v;
    else out[group] = v;
  }
  if (Object.keys(params).length) out.params = params;
  if (Object.keys(mass).length) out.massScale = mass;
  if (Object.keys(actuators).length) out.actuators = actuators;
  return out;
}

/** The field texts of a variant JSON (a built-in variant to start from); fields it leaves alone are empty. */
export function fieldsFromVariant(s: VariantSchemaInfo, json: unknown): Record<string, string> {
  const v = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const sub = (k: string) => (typeof v[k] === 'object' && v[k] !== null ? (v[k] as Record<string, unknown>) : {});
  const out: Record<string, string> = {};
  for (const f of variantFields(s)) {
    const [group, key] = f.key.includes('.') ? (f.key.split(/\.(.*)/) as [string, string]) : [f.key, ''];
    const raw =
      group === 'param'
        ? sub('params')[key]
        : group === 'mass'
          ? sub('massScale')[key]
          : group === 'actuator'
            ? sub('actuators')[key]
            : v[group];
    out[f.key] = raw === undefined ? '' : f.kind === 'json' ? JSON.stringify(raw) : String(raw);
  }
  return out;
}

/** The users' variants that runs of `task` trained on (JSON ones, each once, newest first): to start from again. */
export function usedVariants(
  runs: Iterable<{ task: string; variant: string | null; variantSpec: unknown; createdAt: string }>,
  task: string,
): { name: string; json: unknown }[] {
  const out: { name: string; json: unknown; at: string }[] = [];
  for (const r of runs) {
    if (r.task !== task || typeof r.variantSpec !== 'object' || r.variantSpec === null) continue;
    const key = JSON.stringify(r.variantSpec);
    const at = out.find((u) => JSON.stringify(u.json) === key);
    if (at) {
      if (r.createdAt > at.at) at.at = r.createdAt;
      continue;
    }
    out.push({ name: r.variant ?? 'custom', json: r.variantSpec, at: r.createdAt });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : -1)).map(({ name, json }) => ({ name, json }));
}

/** A variant as run.json or a scenario holds it (a built-in's name, JSON, or null) as a name and JSON to fill the fields from. */
export function startingVariant(s: VariantSchemaInfo, spec: unknown): { name: string; json: unknown } | undefined {
  if (typeof spec === 'string') return s.named.find((n) => n.name === spec);
  if (typeof spec !== 'object' || spec === null) return undefined;
  const name = (spec as { name?: unknown }).name;
  return { name: typeof name === 'string' ? name : 'custom', json: spec };
}
