import { expect, it } from 'vitest';
import { rowFromMetrics } from './compare.ts';

it('says when a run reached the threshold in steps and in training time, and its final mean', () => {
  const rows = [
    { step: 1000, time: 20, episodeReturn: -5 },
    { step: 2000, time: 50, episodeReturn: 2 },
    { step: 3000, time: 80, episodeReturn: 4 },
    { step: 4000, time: 110, episodeReturn: 6 },
  ];
  const run = { runId: 'r', task: 'point/one-goal', parentRunId: null, steps: 4000 };
  // 3-interval means: 0.33 at 3,000, 4 at 4,000.
  expect(rowFromMetrics(run, rows, 3)).toMatchObject({ stepsToThreshold: 4000, timeToThreshold: 110, finalReturn: 4 });
  expect(rowFromMetrics(run, rows, 0)).toMatchObject({ stepsToThreshold: 3000, timeToThreshold: 80 });
  expect(rowFromMetrics(run, rows, 10)).toMatchObject({ stepsToThreshold: null, timeToThreshold: null });
  // Rows without a clock (a hand-made file) reach by steps alone.
  expect(
    rowFromMetrics(
      run,
      rows.map(({ step, episodeReturn }) => ({ step, episodeReturn })),
      3,
    ).timeToThreshold,
  ).toBeNull();
});
