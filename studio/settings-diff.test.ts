import { expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { differingSettings } from './settings-diff.ts';

it('names the settings that tell plotted runs apart, and only those a run uses', () => {
  const sac = resolveConfig('ant/run-direction', {});
  const sql16 = resolveConfig('ant/run-direction', {}, { algo: 'sql', initAlpha: 0.1, autoAlpha: false });
  const sql8 = resolveConfig('ant/run-direction', {}, { algo: 'sql', initAlpha: 0.1, autoAlpha: false, particles: 8 });
  expect(differingSettings([sql16, sql8, sac])).toEqual([
    'SQL · 16 particles · α fixed at 0.1',
    'SQL · 8 particles · α fixed at 0.1',
    'SAC · gaussian · α tuned from 1',
  ]);
  expect(differingSettings([sac, { ...sac, seed: 2 }])).toEqual(['', '']);
  expect(differingSettings([sac, { ...sac, lr: 1e-3 }])).toEqual(['lr 0.0003', 'lr 0.001']);
});
