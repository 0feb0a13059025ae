import { describe, expect, it } from 'vitest';
import { smooth } from './series.ts';
import { stepsToThreshold } from '../studio/compare.ts';
import { Store } from './store.ts';
import { resolveConfig, settingsOf } from '../studio/config.ts';

describe('series helpers', () => {
  it('smooth: weight 0 is identity, a constant stays constant (debiased), and it lags a step', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    for (const v of smooth([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
    const s = smooth([0, 0, 10, 10], 0.5);
    expect(s[2]!).toBeGreaterThan(0);
    expect(s[2]!).toBeLessThan(10);
  });

  it('stepsToThreshold (shared with maxent compare): first step whose window mean of raw returns reaches it', () => {
    const rows = [-50, -10, 0, -1, 2].map((r, i) => ({ step: (i + 1) * 100, episodeReturn: r }));
    expect(stepsToThreshold(rows, -20, 1)).toBe(200);
    // (-50 - 10 + 0) / 3 = -20 at step 300
    expect(stepsToThreshold(rows, -20, 3)).toBe(300);
    expect(stepsToThreshold(rows, 5, 3)).toBeNull();
    // rows without an episode return (no episode ended in the interval) are skipped
    expect(stepsToThreshold([{ step: 100 }, { step: 200, episodeReturn: 1 }], 0, 1)).toBe(200);
  });
});

describe('Store.addMetrics', () => {
  it('merges live rows and a late backfill by step without duplicates', () => {
    const s = new Store();
    let events = 0;
    s.on('metrics', () => events++);
    s.addMetrics('r', [
      { step: 300, time: 1 },
      { step: 600, time: 2 },
    ]);
    s.addMetrics('r', [
      { step: 0, time: 0 },
      { step: 300, time: 1 },
      { step: 450, time: 1.5 },
    ]);
    s.addMetrics('r', [{ step: 900, time: 3 }]);
    expect(s.metrics.get('r')!.map((r) => r.step)).toEqual([0, 300, 450, 600, 900]);
    expect(s.lastStep('r')).toBe(900);
    expect(events).toBe(3);
    // A resume rewrote the rows after its checkpoint (300): the whole file replaces them.
    s.addMetrics(
      'r',
      [
        { step: 0, time: 0 },
        { step: 300, time: 1 },
        { step: 450, time: 9 },
      ],
      true,
    );
    expect(s.metrics.get('r')!.map((r) => [r.step, r.time])).toEqual([
      [0, 0],
      [300, 1],
      [450, 9],
    ]);
    expect(events).toBe(4);
  });

  it('shownRuns: the selection first, then compared runs that exist', () => {
    const s = new Store();
    const run = (id: string) => ({
      id,
      name: id,
      scenarioId: null,
      task: 't',
      variant: null,
      variantSpec: null,
      notes: '',
      algo: 'sac',
      status: 'running' as const,
      step: 0,
      totalSteps: 1,
      seed: 0,
      createdAt: id,
      parentRunId: null,
      parentStep: null,
      backend: '',
      dir: '',
      lastReturn: null,
      error: null,
      checkpoints: [],
      checkpointsLost: false,
      elsewhere: false,
      setting: '',
      settings: settingsOf(resolveConfig('point/multigoal', {})),
    });
    s.setRuns([run('a'), run('b')]);
    s.toggleCompare('b', true);
    s.toggleCompare('ghost', true);
    s.select('a');
    expect(s.shownRuns()).toEqual(['a', 'b']);
  });
});
