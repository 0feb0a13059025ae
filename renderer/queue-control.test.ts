import { expect, it } from 'vitest';
import type { RunInfo } from '../studio/api.ts';
import { ordinal, queueCounts } from './queue-control.ts';
import { queuedNote } from './start-seeds.ts';

const run = (status: RunInfo['status'], elsewhere = false): RunInfo => ({ status, elsewhere }) as RunInfo;

it('counts the runs this studio trains and holds queued, and apart the runs other processes train', () => {
  const runs = [
    run('running'),
    run('paused'),
    run('created'),
    run('queued'),
    run('queued'),
    run('running', true), // a terminal's maxent train
    run('queued', true), // another studio's queue
    run('paused', true), // paused in a terminal: holds no core
    run('finished'),
    run('stopped'),
  ];
  expect(queueCounts(runs)).toEqual({ training: 3, queued: 2, others: 1 });
  expect(queueCounts([])).toEqual({ training: 0, queued: 0, others: 0 });
});

it('names a place in the queue', () => {
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '23rd',
    '101st',
    '111th',
  ]);
});

it('says which of the runs just started wait queued', () => {
  expect(queuedNote([run('created'), run('running')])).toBe('');
  expect(queuedNote([run('created'), run('queued'), run('queued')])).toMatch(/^2 of 3 wait queued and start as runs end/);
  expect(queuedNote([run('created'), run('queued')])).toMatch(/^1 of 2 waits queued and starts as runs end/);
  expect(queuedNote([run('queued')])).toMatch(/^It waits queued and starts /);
  expect(queuedNote([run('queued'), run('queued')])).toMatch(/^They wait queued and start /);
});
