import { describe, expect, it } from 'vitest';
import { runMatches, type FilterableRun } from './run-filter.ts';

const run: FilterableRun = {
  id: '20261124-070619-point-multigoal-c665a3',
  name: 'point/multigoal seed 3 → one goal',
  task: 'point/one-goal',
  variant: null,
  status: 'finished',
  algo: 'sac',
  seed: 3,
  parentRunId: 'p',
};

describe('runMatches', () => {
  it('matches every word anywhere, ignoring case; an empty query matches all', () => {
    expect(runMatches(run, '')).toBe(true);
    expect(runMatches(run, '   ')).toBe(true);
    expect(runMatches(run, 'ONE-goal finished')).toBe(true);
    expect(runMatches(run, 'fine-tune seed:3')).toBe(true);
    expect(runMatches(run, 'c665a3')).toBe(true);
    expect(runMatches(run, 'scratch')).toBe(false);
    expect(runMatches(run, 'seed:30')).toBe(false);
    expect(runMatches(run, 'one-goal running')).toBe(false);
    expect(runMatches({ ...run, parentRunId: null, variant: 'heavy torso ×2' }, 'scratch heavy')).toBe(true);
    expect(runMatches({ ...run, notes: 'Baseline for the paper' }, 'baseline one-goal')).toBe(true);
    expect(runMatches(run, 'baseline')).toBe(false);
  });
});
