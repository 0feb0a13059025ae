import { describe, expect, it } from 'vitest';
import type { MetricRow, RunInfo } from '../studio/api.ts';
import { resolveConfig, settingsOf } from '../studio/config.ts';
import { groupCurve, groupLabel, groupShown, groupSummary, siblingSeeds } from './seed-groups.ts';

const run = (id: string, setting: string, seed: number, parentRunId: string | null = null): RunInfo => ({
  id,
  name: `${id} seed ${seed}`,
  scenarioId: null,
  task: 'point/one-goal',
  variant: null,
  variantSpec: null,
  notes: '',
  algo: 'sac',
  status: 'finished',
  step: 0,
  totalSteps: 1,
  seed,
  createdAt: id,
  parentRunId,
  parentStep: parentRunId ? 20000 : null,
  backend: '',
  dir: '',
  lastReturn: null,
  error: null,
  elsewhere: false,
  checkpoints: [],
  checkpointsLost: false,
  setting,
  settings: settingsOf(resolveConfig('point/one-goal', {})),
});

describe('seed groups', () => {
  const runs = new Map(
    [run('a', 'ft', 1, 'p'), run('b', 'sc', 1), run('c', 'ft', 2, 'p'), run('d', 'pre', 1), run('e', 'sc', 2)].map((r) => [r.id, r]),
  );

  it('groups the shown runs by setting in the order shown, or not at all', () => {
    expect(groupShown(['a', 'b', 'c', 'd', 'e'], runs, true)).toEqual([['a', 'c'], ['b', 'e'], ['d']]);
    expect(groupShown(['a', 'b', 'c'], runs, false)).toEqual([['a'], ['b'], ['c']]);
    // A run the store does not know (yet) stays on its own.
    expect(groupShown(['x', 'a', 'y', 'c'], runs, true)).toEqual([['x'], ['a', 'c'], ['y']]);
  });

  it('finds a run’s other seeds, oldest first', () => {
    expect(siblingSeeds(runs.get('c')!, runs.values()).map((r) => r.id)).toEqual(['a']);
    expect(siblingSeeds(runs.get('d')!, runs.values())).toEqual([]);
  });

  it('draws a group as mean, min and max at the steps every seed logged', () => {
    const c = groupCurve([
      { xs: [100, 200, 300], ys: [1, 2, 3] },
      { xs: [100, 200], ys: [3, 6] },
    ]);
    expect(c).toEqual({ xs: [100, 200], mean: [2, 4], lo: [1, 2], hi: [3, 6] });
    expect(
      groupCurve([
        { xs: [100], ys: [1] },
        { xs: [150], ys: [1] },
      ]).xs,
    ).toEqual([]);
  });

  it('labels a group by what its runs share, seeds ascending', () => {
    expect(groupLabel([runs.get('c')!, runs.get('a')!], false)).toBe('fine-tuned from step 20,000: point/one-goal · seeds 1, 2');
    expect(groupLabel([runs.get('b')!, runs.get('e')!], false)).toBe('scratch: point/one-goal · seeds 1, 2');
    expect(groupLabel([runs.get('b')!, runs.get('e')!], true)).toBe('pretrain: point/one-goal · seeds 1, 2');
  });

  it('summarises a group as maxent compare does: reached k/n, median steps, final mean ± sd', () => {
    const rows = (rets: number[]): MetricRow[] => rets.map((r, i) => ({ step: (i + 1) * 100, time: i, episodes: i, episodeReturn: r }));
    const metrics = new Map([
      ['a', rows([-9, -4, -3, -2, -1])], // 3-row mean first >= -5 at step 400 (-3); final -2
      ['c', rows([-9, -9, -9, -9, -9])], // never
    ]);
    const s = groupSummary([runs.get('a')!, runs.get('c')!], metrics, -5);
    expect(s.reached).toBe(1);
    expect(s.runs.map((r) => r.stepsToThreshold)).toEqual([400, null]);
    expect(s.medianSteps).toBeNull(); // half never reached it
    expect(s.meanFinal).toBeCloseTo((-2 + -9) / 2);
    expect(s.stdFinal).toBeCloseTo(Math.SQRT2 * 3.5);
    expect(groupSummary([runs.get('a')!], metrics, null).reached).toBe(0);
  });
});
