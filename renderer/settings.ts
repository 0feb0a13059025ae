// The learner's settings as a form shows them (no DOM, unit-tested): one spec per field, text in,
// RunOverrides out. Only fields changed from the defaults are sent, so a scenario's own choices
// (and the studio's defaults) stay in charge of the rest.
import type { RunOverrides, TrainSettings } from '../studio/api.ts';

type Key = keyof TrainSettings;

export interface FieldSpec {
  key: Key;
  label: string;
  /** Tooltip: what the setting does. */
  help: string;
  kind: 'int' | 'number' | 'layers' | 'bool' | 'choice';
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** min is excluded (a rate of 0 learns nothing). */
  minExclusive?: boolean;
}

export const FIELDS: readonly FieldSpec[] = [
  {
    key: 'algo',
    label: 'Algorithm',
    kind: 'choice',
    choices: ['sac', 'sql'],
    help: 'Soft Actor-Critic, or Soft Q-learning (amortised SVGD sampler; at 16 particles an update costs about 9× a SAC update, see SQL particles)',
  },
  {
    key: 'policy',
    label: 'Policy head',
    kind: 'choice',
    choices: ['gaussian', 'mixture'],
    help: 'A tanh-Gaussian, or a mixture of tanh-Gaussians for multimodal policies (SAC only)',
  },
  { key: 'components', label: 'Mixture components', kind: 'int', min: 1, max: 16, help: 'Components of the mixture policy head' },
  {
    key: 'particles',
    label: 'SQL particles',
    kind: 'int',
    min: 2,
    max: 256,
    help: 'Soft Q-learning: samples per state for the soft value and the SVGD sampler. The update time grows with them: on the ant (2×256, batch 256) 16 particles run at 0.11× the SAC update speed, 8 at 0.23×, 4 at 0.49×; fewer are faster and coarser',
  },
  {
    key: 'hidden',
    label: 'Hidden layers',
    kind: 'layers',
    min: 1,
    max: 4096,
    help: 'Units per hidden layer of the actor and the critics, e.g. 256,256',
  },
  { key: 'batchSize', label: 'Batch', kind: 'int', min: 1, max: 65536, help: 'Transitions per gradient update' },
  {
    key: 'lr',
    label: 'Learning rate',
    kind: 'number',
    min: 0,
    max: 1,
    minExclusive: true,
    help: 'Adam step size of the actor, the critics and α',
  },
  { key: 'gamma', label: 'γ', kind: 'number', min: 0, max: 1, help: 'Discount factor' },
  { key: 'tau', label: 'τ', kind: 'number', min: 0, max: 1, minExclusive: true, help: 'Polyak rate of the target critics' },
  {
    key: 'learningStarts',
    label: 'Random steps',
    kind: 'int',
    min: 0,
    max: 100_000_000,
    help: 'Uniform random actions before the first update',
  },
  {
    key: 'updatesPerStep',
    label: 'Updates / step',
    kind: 'number',
    min: 0,
    max: 64,
    minExclusive: true,
    help: 'Gradient updates per environment step (the replay ratio)',
  },
  { key: 'replaySize', label: 'Replay size', kind: 'int', min: 1, max: 100_000_000, help: 'Transitions the replay buffer holds' },
  {
    key: 'autoAlpha',
    label: 'Tune α',
    kind: 'bool',
    help: 'Tune the temperature α toward the target entropy −dim(A); off keeps α fixed at its initial value (SQL always keeps it fixed)',
  },
  {
    key: 'initAlpha',
    label: 'α (initial)',
    kind: 'number',
    min: 0,
    max: 100,
    help: 'Entropy temperature at the start (fixed, when α is not tuned). SQL keeps it fixed, from 0.1 on the ant and the cheetah (their reward scale) and 1 elsewhere',
  },
  { key: 'numEnvs', label: 'Parallel envs', kind: 'int', min: 1, max: 256, help: 'Environments stepped together (vectorised)' },
  {
    key: 'device',
    label: 'Device',
    kind: 'choice',
    choices: ['auto', 'cpu', 'webgpu', 'tfjs'],
    help: 'Where updates run: auto picks a GPU (WebGPU) when one exists, else the CPU kernels',
  },
];

/** The text a field shows for a value. */
export function showValue(spec: FieldSpec, v: TrainSettings[Key]): string | boolean {
  if (spec.kind === 'bool') return !!v;
  if (spec.kind === 'layers') return (v as number[]).join(',');
  return String(v);
}

function parseField(spec: FieldSpec, raw: string | boolean): TrainSettings[Key] {
  const bad = (why: string) => new Error(`${spec.label}: ${why}, got ${JSON.stringify(raw)}`);
  if (spec.kind === 'bool') return !!raw;
  const text = String(raw).trim();
  if (spec.kind === 'choice') {
    if (!spec.choices!.includes(text)) throw bad(`one of ${spec.choices!.join(', ')}`);
    return text as TrainSettings[Key];
  }
  const num = (s: string, int: boolean): number => {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) throw bad(int ? 'a whole number' : 'a number');
    const n = Number(s);
    if (int && !Number.isInteger(n)) throw bad('a whole number');
    const low = spec.min ?? -Infinity;
    if (n < low || (spec.minExclusive && n === low) || n > (spec.max ?? Infinity))
      throw bad(`${spec.minExclusive ? 'above' : 'at least'} ${low} and at most ${spec.max}`);
    return n;
  };
  if (spec.kind === 'layers') {
    const parts = text.split(',').map((p) => p.trim());
    if (parts.length < 1 || parts.length > 8 || parts.some((p) => p === ''))
      throw bad('1 to 8 layer sizes separated by commas, e.g. 256,256');
    return parts.map((p) => num(p, true));
  }
  return num(text, spec.kind === 'int');
}

/**
 * The settings that differ from `defaults`, ready for startRun's overrides. Throws an Error that
 * names the field and what it wants on the first bad entry.
 */
export function settingsOverrides(raw: Partial<Record<Key, string | boolean>>, defaults: TrainSettings): RunOverrides {
  const out: Record<string, unknown> = {};
  for (const spec of FIELDS) {
    const r = raw[spec.key];
    if (r === undefined) continue;
    const v = parseField(spec, r);
    if (JSON.stringify(v) !== JSON.stringify(defaults[spec.key])) out[spec.key] = v;
  }
  return out as RunOverrides;
}

/** One line for a run's page: "SAC · gaussian · 64×64 · batch 128 · lr 0.0003 · …" (missing fields of old runs skipped). */
export function describeSettings(s: Partial<TrainSettings>): string {
  const parts: (string | null)[] = [
    s.algo ? s.algo.toUpperCase() : null,
    s.algo === 'sql' || !s.policy ? null : s.policy === 'mixture' ? `mixture of ${s.components ?? '?'}` : s.policy,
    s.algo === 'sql' && s.particles !== undefined ? `${s.particles} particles` : null,
    s.hidden ? s.hidden.join('×') : null,
    s.batchSize !== undefined ? `batch ${s.batchSize}` : null,
    s.lr !== undefined ? `lr ${s.lr}` : null,
    s.gamma !== undefined ? `γ ${s.gamma}` : null,
    s.tau !== undefined ? `τ ${s.tau}` : null,
    s.initAlpha !== undefined ? (s.autoAlpha === false ? `α fixed at ${s.initAlpha}` : `α tuned from ${s.initAlpha}`) : null,
    s.learningStarts !== undefined ? `${s.learningStarts.toLocaleString('en-US')} random steps` : null,
    s.updatesPerStep !== undefined ? `${s.updatesPerStep} update${s.updatesPerStep === 1 ? '' : 's'}/step` : null,
    s.replaySize !== undefined ? `replay ${s.replaySize.toLocaleString('en-US')}` : null,
    s.numEnvs !== undefined ? `${s.numEnvs} env${s.numEnvs === 1 ? '' : 's'}` : null,
    s.device ? `device ${s.device}` : null,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}
