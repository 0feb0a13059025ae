import { expect, it } from 'vitest';
import type { RunInfo } from '../studio/api.ts';
import { runEndAlert, windowTitle } from './run-alerts.ts';

const run = (over: Partial<RunInfo>): RunInfo =>
  ({
    id: 'r1',
    name: 'ant/run-any seed 1',
    task: 'ant/run-any',
    variant: null,
    status: 'running',
    step: 40_000,
    totalSteps: 100_000,
    lastReturn: 1234.5,
    ...over,
  }) as RunInfo;

it('says a run finished, failed or was interrupted only when it was seen training before', () => {
  expect(runEndAlert('running', run({ status: 'finished', step: 100_000 }))).toEqual({
    title: 'Run finished: ant/run-any seed 1',
    body: 'ant/run-any seed 1 (ant/run-any) · 100,000 / 100,000 steps · last return 1235',
  });
  expect(runEndAlert('running', run({ status: 'failed', error: 'NaN in the critic loss' }))?.body).toBe(
    'ant/run-any seed 1 (ant/run-any) at 40,000 / 100,000 steps: NaN in the critic loss',
  );
  expect(runEndAlert('created', run({ status: 'interrupted' }))?.title).toBe('Run interrupted: ant/run-any seed 1');
  // A stop the user asked for, a run first seen already ended, a paused run ending: no news.
  expect(runEndAlert('running', run({ status: 'stopped' }))).toBeNull();
  expect(runEndAlert(undefined, run({ status: 'finished' }))).toBeNull();
  expect(runEndAlert('finished', run({ status: 'finished' }))).toBeNull();
  expect(runEndAlert('paused', run({ status: 'stopped' }))).toBeNull();
  expect(runEndAlert('running', run({ status: 'paused' }))).toBeNull();
});

it('puts the training runs’ progress in the window title', () => {
  expect(windowTitle([])).toBe('MaxEnt Studio');
  expect(windowTitle([run({ status: 'finished' }), run({ status: 'paused' })])).toBe('MaxEnt Studio');
  expect(windowTitle([run({ step: 41_999 }), run({ status: 'finished' })])).toBe('(41%) MaxEnt Studio');
  expect(windowTitle([run({}), run({ id: 'r2', step: 5 })])).toBe('2 training · MaxEnt Studio');
});
