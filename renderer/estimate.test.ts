import { expect, it } from 'vitest';
import type { RunInfo, TrainSettings } from '../studio/api.ts';
import { resolveConfig, settingsOf } from '../studio/config.ts';
import { speedReference } from './estimate.ts';

const sac: TrainSettings = settingsOf(resolveConfig('ant/run-any', {}));
const run = (id: string, createdAt: string, over: Partial<RunInfo> = {}, settings: Partial<TrainSettings> = {}): RunInfo =>
  ({
    id,
    name: id,
    task: 'ant/run-any',
    createdAt,
    step: 20_000,
    totalSteps: 100_000,
    status: 'finished',
    settings: { ...sac, ...settings },
    ...over,
  }) as RunInfo;

it('times a new run by the newest run of its task whose settings train at the same speed', () => {
  const runs = [
    run('old', '2026-11-20'),
    run('new', '2026-11-24'),
    run('other-task', '2026-11-25', { task: 'ant/run-direction' }),
    run('wider', '2026-11-25', {}, { hidden: [512, 512] }),
    run('sql', '2026-11-25', {}, { algo: 'sql' }),
    run('in-warm-up', '2026-11-26', { step: 3000 }),
  ];
  expect(speedReference(runs, 'ant/run-any', sac)?.id).toBe('new');
  // What it learns may differ (lr, γ, α): the speed does not.
  expect(speedReference(runs, 'ant/run-any', { ...sac, lr: 1e-3, gamma: 0.9, autoAlpha: false })?.id).toBe('new');
  expect(speedReference(runs, 'ant/run-any', { ...sac, hidden: [512, 512] })?.id).toBe('wider');
  // SQL's speed follows its particles, not the policy head it does not use.
  expect(speedReference(runs, 'ant/run-any', { ...sac, algo: 'sql', policy: 'mixture' })?.id).toBe('sql');
  expect(speedReference(runs, 'ant/run-any', { ...sac, algo: 'sql', particles: 8 })).toBeNull();
  expect(speedReference(runs, 'cheetah/run', sac)).toBeNull();
});
