// What tells runs apart on a shared chart: the learner settings whose values differ between the
// plotted runs, in a few words per run ("SQL · 8 particles · α fixed at 0.1"). Settings a run's
// algorithm does not use (SQL's particles for SAC, SAC's policy head for SQL) never count.
import { SETTING_KEYS, type TrainSettings } from './api.ts';
import { settingsOf, type TrainConfig } from './config.ts';

type Key = (typeof SETTING_KEYS)[number];

function used(s: TrainSettings, k: Key): boolean {
  if (k === 'particles') return s.algo === 'sql';
  if (k === 'policy') return s.algo === 'sac';
  if (k === 'components') return s.algo === 'sac' && s.policy === 'mixture';
  return true;
}

function words(s: TrainSettings, k: Key): string {
  switch (k) {
    case 'algo':
      return s.algo.toUpperCase();
    case 'particles':
      return `${s.particles} particles`;
    case 'policy':
      return s.policy;
    case 'components':
      return `${s.components} components`;
    case 'hidden':
      return s.hidden.join('×');
    case 'batchSize':
      return `batch ${s.batchSize}`;
    case 'lr':
      return `lr ${s.lr}`;
    case 'gamma':
      return `γ ${s.gamma}`;
    case 'tau':
      return `τ ${s.tau}`;
    case 'initAlpha':
    case 'autoAlpha':
      return s.autoAlpha ? `α tuned from ${s.initAlpha}` : `α fixed at ${s.initAlpha}`;
    case 'learningStarts':
      return `${s.learningStarts} random steps`;
    case 'updatesPerStep':
      return `${s.updatesPerStep} updates/step`;
    case 'replaySize':
      return `replay ${s.replaySize}`;
    case 'numEnvs':
      return `${s.numEnvs} envs`;
    case 'device':
      return `device ${s.device}`;
  }
}

/** Per config, the words for the settings that differ among `configs` (empty when all agree). */
export function differingSettings(configs: readonly TrainConfig[]): string[] {
  const all = configs.map(settingsOf);
  const keys = SETTING_KEYS.filter((k) => new Set(all.map((s) => (used(s, k) ? JSON.stringify(s[k]) : '-'))).size > 1);
  return all.map((s) => {
    const parts = keys.filter((k) => used(s, k)).map((k) => words(s, k));
    return [...new Set(parts)].join(' · '); // α's two keys say one thing
  });
}
