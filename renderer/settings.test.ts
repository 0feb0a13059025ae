import { describe, expect, it } from 'vitest';
import { resolveConfig, settingsOf } from '../studio/config.ts';
import { runOverridesSchema } from '../studio/api.ts';
import { describeSettings, FIELDS, settingsOverrides, showValue } from './settings.ts';

const defaults = settingsOf(resolveConfig('point/multigoal', {}));
const shown = () => Object.fromEntries(FIELDS.map((f) => [f.key, showValue(f, defaults[f.key])]));

describe('settings form values', () => {
  it('covers every setting, and the defaults as shown read back as no change', () => {
    expect(FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(defaults).sort());
    expect(settingsOverrides(shown(), defaults)).toEqual({});
  });

  it('returns only what changed, typed, and valid for the studio', () => {
    const o = settingsOverrides(
      { ...shown(), hidden: ' 32, 16 ', lr: '1e-3', autoAlpha: false, initAlpha: '0.2', algo: 'sql', numEnvs: '4', particles: '8' },
      defaults,
    );
    expect(o).toEqual({ hidden: [32, 16], lr: 0.001, autoAlpha: false, initAlpha: 0.2, algo: 'sql', numEnvs: 4, particles: 8 });
    expect(runOverridesSchema.check(o, 'overrides')).toEqual(o);
  });

  it('names the field and what it wants', () => {
    const bad = (k: string, v: string) => () => settingsOverrides({ ...shown(), [k]: v }, defaults);
    expect(bad('lr', '0')).toThrow(/^Learning rate: above 0 and at most 1, got "0"/);
    expect(bad('lr', 'fast')).toThrow(/^Learning rate: a number, got "fast"/);
    expect(bad('batchSize', '12.5')).toThrow(/^Batch: a whole number/);
    expect(bad('gamma', '1.5')).toThrow(/^γ: at least 0 and at most 1/);
    expect(bad('hidden', '64,,64')).toThrow(/^Hidden layers: 1 to 8 layer sizes/);
    expect(bad('hidden', '64,0')).toThrow(/^Hidden layers: at least 1/);
    expect(bad('device', 'tpu')).toThrow(/^Device: one of auto, cpu, webgpu, tfjs/);
    expect(bad('numEnvs', '')).toThrow(/^Parallel envs: a whole number/);
    expect(bad('particles', '1')).toThrow(/^SQL particles: at least 2 and at most 256, got "1"/);
  });
});

describe('describeSettings', () => {
  it('says what a run trains with in one line, skipping what an old record lacks', () => {
    expect(describeSettings(defaults)).toBe(
      'SAC · gaussian · 64×64 · batch 128 · lr 0.0003 · γ 0.99 · τ 0.005 · α tuned from 1 · 1,000 random steps · 1 update/step · replay 1,000,000 · 1 env · device auto',
    );
    expect(describeSettings({ ...defaults, policy: 'mixture', components: 4, autoAlpha: false, initAlpha: 0.2 })).toMatch(
      /^SAC · mixture of 4 · .* · α fixed at 0.2 · /,
    );
    expect(describeSettings({ ...defaults, algo: 'sql' })).toMatch(/^SQL · 16 particles · 64×64 · /);
    expect(describeSettings({ ...defaults, particles: 8 })).not.toMatch(/particles/); // SAC has none
    expect(describeSettings({ algo: 'sac', hidden: [8] })).toBe('SAC · 8');
  });
});
