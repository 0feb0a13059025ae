// The Evaluate panel shows the measures each task reports, and only those.
import { expect, it } from 'vitest';
import type { EvalReport } from '../studio/api.ts';
import { evalRows } from './eval-report.ts';

const base: EvalReport = {
  runId: 'r',
  task: 'arm7/reach-obstacle',
  variant: null,
  checkpointStep: 100000,
  episodes: 50,
  stochastic: false,
  meanReturn: -45.44,
  stdReturn: 77.06,
  meanLength: 200,
};

it('shows an arm zero-shot report with its goal distance, and no walker or point rows', () => {
  const rows = Object.fromEntries(
    evalRows({ ...base, successRate: 0.9, finalDistance: 0.0512, finalSuccessRate: 0.7, stepsToSuccess: 9.44 }),
  );
  expect(rows).toEqual({
    evaluated: 'arm7/reach-obstacle · checkpoint 100,000 · 50 episodes, deterministic',
    return: '-45.44 ± 77.06',
    'episode length': '200',
    success: '90 %',
    'final distance to goal': '0.051 m',
    'at the goal at the end': '70 %',
    'steps to first reach': '9.4',
  });
});

it('shows walker speed with headings (ant) or signed x velocity (cheetah), and the variant', () => {
  const ant = Object.fromEntries(
    evalRows({
      ...base,
      task: 'ant/run-any',
      meanSpeed: 0.16,
      meanStepSpeed: 0.6,
      headingHistogram: { N: 3, W: 1 },
      headingEntropy: 0.5623,
    }),
  );
  expect(ant.speed).toBe('0.16 m/s; per step 0.60 m/s');
  expect(ant.headings).toBe('N 3 · W 1 (entropy 0.56 nats)');
  expect(ant).not.toHaveProperty('success');
  const cheetah = Object.fromEntries(
    evalRows({ ...base, task: 'cheetah/run', variant: 'backward', meanSpeed: 3.1, meanStepSpeed: 3.3, meanVelocityX: -3.1 }),
  );
  expect(cheetah.evaluated).toMatch(/^cheetah\/run \(backward\) · /);
  expect(cheetah.speed).toBe('3.10 m/s (x velocity -3.10 m/s); per step 3.30 m/s');
  expect(cheetah).not.toHaveProperty('headings');
});

it('shows where a push task left the block', () => {
  const rows = Object.fromEntries(
    evalRows({
      ...base,
      task: 'arm7/push-any',
      blockOnTableRate: 0.8,
      meanPushDistance: 0.2134,
      pushHistogram: { '+z': 5, '-x+z': 3, 'off table': 2 },
      pushEntropy: 1.0297,
    }),
  );
  expect(rows['block on the table']).toBe('80 %');
  expect(rows.pushed).toBe('0.213 m');
  expect(rows['push directions']).toBe('+z 5 · -x+z 3 · off table 2 (entropy 1.03 nats)');
  expect(rows).not.toHaveProperty('success');
  expect(rows).not.toHaveProperty('final distance to goal');
});

it('shows the goal histogram of a point task', () => {
  const rows = Object.fromEntries(
    evalRows({ ...base, task: 'point/multigoal', successRate: 1, goalHistogram: { '0': 6, '2': 4 }, goalEntropy: 0.673 }),
  );
  expect(rows.goals).toBe('0 6 · 2 4 (entropy 0.67 nats)');
  expect(rows.success).toBe('100 %');
});
