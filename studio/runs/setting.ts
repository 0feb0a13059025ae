// What a run trains apart from its seed: runs with the same setting key are seeds of one
// experiment, which the studio's charts can draw as one mean line in a min–max band.
import crypto from 'node:crypto';
import type { TrainConfig } from '../config.ts';

/**
 * Config fields that change neither the task nor the learner: the seed (what varies inside a
 * group), the budget (a group may be resumed past it), the hardware and the bookkeeping cadences.
 */
const NOT_SETTING: ReadonlySet<string> = new Set([
  'seed',
  'steps',
  'device',
  'threads',
  'saveReplay',
  'logEvery',
  'snapshotEvery',
  'checkpointEvery',
  'keepEvery',
]);

/** Sorted keys, so a config written in another field order still gives the same key. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * A short key for the run's setting. A fine-tune's key includes its parent's setting (not the
 * parent's id: seed k's fine-tune of seed k's pretrain belongs with the other seeds'), so a
 * fine-tune and its scratch control, which share task, variant and config, never group together,
 * and the parent checkpoint's step (fine-tunes from 100k and from 250k of a pretrain differ).
 * `parentSetting` is the parent's key, `'missing'` when the parent run was deleted, null for none.
 */
export function settingKey(config: TrainConfig, parentSetting: string | null, parentStep: number | null = null): string {
  const kept: Record<string, unknown> = Object.fromEntries(Object.entries(config).filter(([k]) => !NOT_SETTING.has(k)));
  // Runs recorded before resetAlpha existed lack it; absent and false mean the same.
  if (!kept.resetAlpha) delete kept.resetAlpha;
  // Likewise particles (16 before the setting existed), which only SQL uses.
  if (kept.algo !== 'sql' || kept.particles === undefined || kept.particles === 16) delete kept.particles;
  // SQL's α is fixed whatever autoAlpha says (older SQL runs recorded SAC's true).
  if (kept.algo === 'sql') delete kept.autoAlpha;
  const text = JSON.stringify(canonical({ config: kept, parent: parentSetting, ...(parentSetting !== null ? { parentStep } : {}) }));
  return crypto.createHash('sha1').update(text).digest('hex').slice(0, 12);
}
