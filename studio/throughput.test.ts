import { describe, expect, it } from 'vitest';
import { clockOf, formatDuration, meanTimes, secondsLeft, steadyMask, timeUnit, trainingSpeed, type SpeedRow } from './throughput.ts';

// Rows as the train loop logs them every 1,000 steps: warm-up to 5,000 at ~4,000 steps/s, the
// interval that ends the warm-up (a few updates), then training at ~25 steps/s, 1 update per step.
function scratchRun(): SpeedRow[] {
  const rows: SpeedRow[] = [];
  let time = 0;
  for (let step = 1000; step <= 4000; step += 1000) rows.push({ step, time: (time += 0.25), envStepsPerSec: 4000, updatesPerSec: 0 });
  rows.push({ step: 5000, time: (time += 0.36), envStepsPerSec: 2772.7, updatesPerSec: 2.8 });
  for (let step = 6000; step <= 10000; step += 1000) rows.push({ step, time: (time += 40), envStepsPerSec: 25, updatesPerSec: 25 });
  return rows;
}

describe('steadyMask', () => {
  it('leaves out the warm-up rows and the row that ends the warm-up', () => {
    expect(steadyMask(scratchRun())).toEqual([false, false, false, false, false, true, true, true, true, true]);
  });

  it('keeps every row of a run with no warm-up (a fine-tune), whatever the speed', () => {
    const rows = [30, 22, 41, 18].map((s, i) => ({ step: 1000 * (i + 1), time: 50 * (i + 1), envStepsPerSec: s, updatesPerSec: s }));
    expect(steadyMask(rows)).toEqual([true, true, true, true]);
  });

  it("with the run's updates per step, the row that ends the warm-up is not taken for training while it is the newest", () => {
    const upToWarmUpEnd = scratchRun().slice(0, 5);
    // Its one update is the highest ratio the run has yet: alone, the mask cannot tell.
    expect(steadyMask(upToWarmUpEnd).at(-1)).toBe(true);
    expect(steadyMask(upToWarmUpEnd, 1)).toEqual([false, false, false, false, false]);
    expect(secondsLeft(upToWarmUpEnd, 100_000, 1)).toBeNull(); // was "2 min left" at 2,773 steps/s
    expect(steadyMask(scratchRun(), 1)).toEqual(steadyMask(scratchRun()));
    expect(trainingSpeed(scratchRun(), 1)).toBe(25);
  });

  it('marks nothing while the run is in its warm-up', () => {
    expect(steadyMask(scratchRun().slice(0, 3))).toEqual([false, false, false]);
    expect(steadyMask([])).toEqual([]);
  });

  it('leaves out an interval half warm-up, half training', () => {
    const rows: SpeedRow[] = [
      { step: 1000, time: 40, envStepsPerSec: 50, updatesPerSec: 25 },
      { step: 2000, time: 80, envStepsPerSec: 25, updatesPerSec: 25 },
    ];
    expect(steadyMask(rows)).toEqual([false, true]);
  });
});

describe('secondsLeft', () => {
  it('reads the training speed, not the warm-up speed', () => {
    // 90,000 steps left at 25 steps/s: an hour; the warm-up's speed would say under a minute.
    expect(secondsLeft(scratchRun(), 100_000)).toBeCloseTo(3600, 6);
  });

  it('follows the recent speed when the run slows down', () => {
    const rows = scratchRun();
    let time = rows.at(-1)!.time;
    for (let step = 11000; step <= 20000; step += 1000) rows.push({ step, time: (time += 100), envStepsPerSec: 10, updatesPerSec: 10 });
    expect(secondsLeft(rows, 100_000)).toBeCloseTo(8000, 6);
  });

  it('is null in the warm-up and with no rows, 0 past the end', () => {
    expect(secondsLeft(scratchRun().slice(0, 4), 100_000)).toBeNull();
    expect(secondsLeft([], 100_000)).toBeNull();
    expect(secondsLeft(scratchRun(), 10_000)).toBe(0);
  });

  it('reads a first training row by its own rate', () => {
    expect(secondsLeft([{ step: 1000, time: 40, envStepsPerSec: 25, updatesPerSec: 25 }], 3000)).toBeCloseTo(80, 6);
  });
});

describe('formatDuration', () => {
  it('says seconds, minutes, hours', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(12 * 60 + 10)).toBe('12 min');
    expect(formatDuration(3600 + 5 * 60)).toBe('1 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('the time axis', () => {
  it('maps a group’s steps to its seeds’ mean training time', () => {
    const a = clockOf([
      { step: 100, time: 10 },
      { step: 200, time: 20 },
    ]);
    const b = clockOf([
      { step: 100, time: 30 },
      { step: 200, time: 60 },
    ]);
    expect(meanTimes([a, b], [100, 200])).toEqual([20, 40]);
    expect(meanTimes([a, b], [300])[0]).toBeNaN();
  });

  it('counts in minutes up to three hours, then in hours', () => {
    expect(timeUnit(2 * 3600)).toEqual({ name: 'min', seconds: 60 });
    expect(timeUnit(5 * 3600)).toEqual({ name: 'h', seconds: 3600 });
  });
});

describe('trainingSpeed', () => {
  it('is the median speed of the training intervals, warm-up left out', () => {
    const rows = scratchRun();
    let time = rows.at(-1)!.time;
    for (const s of [20, 30, 1])
      rows.push({ step: rows.at(-1)!.step + 1000, time: (time += 1000 / s), envStepsPerSec: s, updatesPerSec: s });
    // training intervals: 25 ×5, 20, 30, 1 → median 25 (the warm-up's 4,000 would say otherwise)
    expect(trainingSpeed(rows)).toBe(25);
    expect(trainingSpeed(scratchRun().slice(0, 4))).toBeNull();
  });
});
