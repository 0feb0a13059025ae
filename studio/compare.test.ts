import { expect, it } from 'vitest';
import { alignRows, commonLastStep, rowFromMetrics, summariseGroup } from './compare.ts';

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

it('compares runs of different lengths up to the last step all of them reached, and names those that went on', () => {
  const rows = (n: number, f: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => ({ step: (i + 1) * 1000, episodeReturn: f(i) }));
  // A scratch seed later trained on to 10k (it reaches 5 at 8k); its partner stopped at 4k.
  const long = { id: 'long', rows: rows(10, (i) => i) };
  const short = { id: 'short', rows: rows(4, () => 1) };
  expect(commonLastStep([long.rows, short.rows])).toBe(4000);
  const { runs, at, cut } = alignRows([long, short]);
  expect({ at, cut }).toEqual({ at: 4000, cut: ['long'] });
  const [a, b] = runs.map((r) => rowFromMetrics({ runId: r.id, task: 't', parentRunId: null, steps: 0 }, r.rows, 5));
  // Each at 4k: the long run's final mean is of 2, 3, 4 (not 7, 8, 9), and it has not reached 5 yet.
  expect(a).toMatchObject({ finalReturn: 2, stepsToThreshold: null });
  expect(b).toMatchObject({ finalReturn: 1, stepsToThreshold: null });
  expect(summariseGroup([a!, b!])).toMatchObject({ reached: 0, meanFinal: 1.5 });
  // Equal lengths: nothing is cut; a run with no return yet leaves nothing to align on.
  expect(alignRows([short, { ...short, id: 's2' }])).toMatchObject({ at: 4000, cut: [] });
  expect(commonLastStep([short.rows, [{ step: 1000 }]])).toBeNull();
});
