import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, settingsOf, type TrainConfig } from '../config.ts';
import { settingKey } from './setting.ts';
import { RunStore } from './store.ts';

const base = resolveConfig('point/multigoal', { steps: 3000 });

describe('settingKey', () => {
  it('is the same across seeds, budgets, devices and bookkeeping, and for any field order', () => {
    const k = settingKey(base, null);
    expect(settingKey({ ...base, seed: 7, steps: 9000, device: 'webgpu', threads: 2, logEvery: 500, keepEvery: 0 }, null)).toBe(k);
    const reversed = Object.fromEntries(Object.entries(base).reverse()) as unknown as TrainConfig;
    expect(settingKey(reversed, null)).toBe(k);
    // Runs written before resetAlpha existed lack the field: the same as false.
    const { resetAlpha: _, ...old } = base;
    expect(settingKey(old as TrainConfig, null)).toBe(k);
    // So do runs written before particles existed (SQL trained with 16); SAC ignores particles.
    const { particles: __, ...noParticles } = base;
    expect(settingKey(noParticles as TrainConfig, null)).toBe(k);
    expect(settingKey({ ...base, particles: 8 }, null)).toBe(k);
    const sql = { ...base, algo: 'sql' as const };
    expect(settingKey({ ...noParticles, algo: 'sql' } as TrainConfig, null)).toBe(settingKey(sql, null));
    expect(settingKey({ ...sql, particles: 8 }, null)).not.toBe(settingKey(sql, null));
    // SQL's α is fixed: an older SQL run.json with SAC's autoAlpha true is the same setting.
    expect(settingKey({ ...sql, autoAlpha: true }, null)).toBe(settingKey({ ...sql, autoAlpha: false }, null));
    expect(settingKey({ ...base, autoAlpha: true }, null)).not.toBe(settingKey({ ...base, autoAlpha: false }, null));
  });

  it('SQL runs record α as fixed, and show it so (runs recorded before say tuned)', () => {
    const sql = resolveConfig('ant/run-direction', {}, { algo: 'sql' });
    expect(sql.autoAlpha).toBe(false);
    expect(resolveConfig('ant/run-direction', {}, { algo: 'sql', autoAlpha: true }).autoAlpha).toBe(false);
    expect(resolveConfig('ant/run-direction', {}, {}).autoAlpha).toBe(true);
    expect(settingsOf({ ...sql, autoAlpha: true }).autoAlpha).toBe(false);
    // Its α follows the reward's scale unless given: the walkers' SQL starts at 0.1 (BENCHMARKS.md).
    expect(sql.initAlpha).toBe(0.1);
    expect(resolveConfig('ant/run-direction', {}, { algo: 'sql', initAlpha: 0.5 }).initAlpha).toBe(0.5);
    expect(resolveConfig('ant/run-direction', { initAlpha: 0.3 }, { algo: 'sql' }).initAlpha).toBe(0.3); // a parent's or scenario's
    expect(resolveConfig('cheetah/run', {}, { algo: 'sql' }).initAlpha).toBe(0.1);
    expect(resolveConfig('point/multigoal', {}, { algo: 'sql' }).initAlpha).toBe(1);
    expect(resolveConfig('arm7/reach-any', {}, { algo: 'sql' }).initAlpha).toBe(1);
    expect(resolveConfig('ant/run-direction', {}, {}).initAlpha).toBe(1); // SAC tunes it from 1
  });

  it('differs with the task, variant, learner or parent', () => {
    const k = settingKey(base, null);
    expect(settingKey({ ...base, lr: 1e-3 }, null)).not.toBe(k);
    expect(settingKey({ ...base, hidden: [32, 32] }, null)).not.toBe(k);
    expect(settingKey({ ...base, variant: { goals: [[5, 0]] } }, null)).not.toBe(k);
    expect(settingKey(resolveConfig('point/one-goal', { steps: 3000 }), null)).not.toBe(k);
    // A fine-tune and its scratch control share task and config: only the parent tells them apart.
    expect(settingKey(base, 'abc')).not.toBe(k);
    expect(settingKey(base, 'abc')).not.toBe(settingKey(base, 'abd'));
    expect(settingKey({ ...base, resetAlpha: true }, 'abc')).not.toBe(settingKey(base, 'abc'));
    // Fine-tuned from another checkpoint of the same parent setting: another experiment.
    expect(settingKey(base, 'abc', 100_000)).not.toBe(settingKey(base, 'abc', 250_000));
    expect(settingKey(base, 'abc', 100_000)).toBe(settingKey({ ...base, seed: 9 }, 'abc', 100_000));
  });
});

describe('RunStore setting', () => {
  let home = '';
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('groups fine-tunes of different seeds’ pretrains, apart from their scratch controls', () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-setting-'));
    const store = new RunStore(home);
    const create = (config: TrainConfig, parentRunId: string | null = null) =>
      store.create({ scenarioId: null, parentRunId, parentStep: parentRunId ? 1000 : null, config, backend: 'cpu', device: 't' });
    const pre1 = create({ ...base, seed: 1 });
    const pre2 = create({ ...base, seed: 2 });
    const target = resolveConfig('point/one-goal', { ...base, steps: 1000 });
    const ft1 = create({ ...target, seed: 1 }, pre1.id);
    const ft2 = create({ ...target, seed: 2 }, pre2.id);
    const sc1 = create({ ...target, seed: 1 });
    const sc2 = create({ ...target, seed: 2 });
    const key = (id: string) => store.info(store.read(id)).setting;
    expect(key(pre1.id)).toBe(key(pre2.id));
    expect(key(ft1.id)).toBe(key(ft2.id));
    expect(key(sc1.id)).toBe(key(sc2.id));
    expect(new Set([key(pre1.id), key(ft1.id), key(sc1.id)]).size).toBe(3);
    // A deleted parent still leaves the fine-tune a setting (not the scratch control's).
    store.remove(pre2.id);
    const fresh = new RunStore(home);
    expect(fresh.info(fresh.read(ft2.id)).setting).not.toBe(fresh.info(fresh.read(sc2.id)).setting);
  });
});
