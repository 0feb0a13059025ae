// Training speed from a run's metric rows, for the speed charts, `maxent plot` and the time left.
// The random warm-up makes no updates and steps the envs 50–200× faster than training does, so a
// row whose interval holds any of it says nothing about how fast the run trains: it is left out.

/** The fields of a metric row that speed is read from. */
export interface SpeedRow {
  step: number;
  time: number;
  envStepsPerSec?: number;
  updatesPerSec?: number;
}

/** A row counts as training when its updates per env step reach this share of the run's highest. */
const STEADY_SHARE = 0.9;

/**
 * Which rows' intervals were training throughout. Updates per env step is a count ratio, the
 * same in every interval of training (the run's `updatesPerStep`) whatever the machine's speed, and
 * lower in an interval that began in the warm-up; rows with no updates are warm-up alone. Without
 * `updatesPerStep` the run's highest ratio stands in for it, which a run whose newest row ends its
 * warm-up (one update so far) cannot tell from training: pass it where the run's settings are known.
 */
export function steadyMask(rows: readonly SpeedRow[], updatesPerStep?: number): boolean[] {
  const ratio = rows.map((r) =>
    r.updatesPerSec !== undefined && r.envStepsPerSec !== undefined && r.updatesPerSec > 0 && r.envStepsPerSec > 0
      ? r.updatesPerSec / r.envStepsPerSec
      : 0,
  );
  const top = updatesPerStep !== undefined && updatesPerStep > 0 ? updatesPerStep : Math.max(0, ...ratio);
  return ratio.map((q) => top > 0 && q >= STEADY_SHARE * top);
}

/** Logged intervals of training that the time left is estimated from (the most recent ones). */
const ETA_WINDOW = 8;

/**
 * Seconds of training left to reach `totalSteps`, from the recent training speed (the last few
 * intervals of training, warm-up left out); null while the run is still in its warm-up or has
 * no rows. A run past its steps has 0 left.
 */
export function secondsLeft(rows: readonly SpeedRow[], totalSteps: number, updatesPerStep?: number): number | null {
  const last = rows.at(-1);
  if (!last) return null;
  if (last.step >= totalSteps) return 0;
  const steady = steadyMask(rows, updatesPerStep);
  let steps = 0;
  let secs = 0;
  let n = 0;
  for (let i = rows.length - 1; i > 0 && n < ETA_WINDOW; i--) {
    if (!steady[i]) continue;
    const ds = rows[i]!.step - rows[i - 1]!.step;
    const dt = rows[i]!.time - rows[i - 1]!.time;
    // Time restarts nowhere (a resume carries it on), but a hand-edited file could: skip such pairs.
    if (ds <= 0 || dt <= 0) continue;
    steps += ds;
    secs += dt;
    n++;
  }
  // A run whose only training row is its first (a fine-tune's first interval) reads its own rate.
  if (n === 0) {
    const r = rows.findLast((row, i) => steady[i] && (row.envStepsPerSec ?? 0) > 0);
    return r ? (totalSteps - last.step) / r.envStepsPerSec! : null;
  }
  return ((totalSteps - last.step) * secs) / steps;
}

/** Seconds as people say them: "45 s", "12 min", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** Each logged step's training time in seconds (a pause does not count; a resume carries on). */
export function clockOf(rows: readonly Pick<SpeedRow, 'step' | 'time'>[]): Map<number, number> {
  return new Map(rows.map((r) => [r.step, r.time]));
}

/** A group of seeds drawn against time: at each step, its runs' mean training time (runs of one
 * setting log the same steps; a step one of them lacks is dropped upstream by the step-aligned mean). */
export function meanTimes(clocks: readonly ReadonlyMap<number, number>[], steps: readonly number[]): number[] {
  return steps.map((s) => {
    let sum = 0;
    for (const c of clocks) sum += c.get(s) ?? Number.NaN;
    return sum / clocks.length;
  });
}

/** A time axis's unit for curves that last `maxSeconds`: minutes up to three hours, then hours. */
export function timeUnit(maxSeconds: number): { name: 'min' | 'h'; seconds: number } {
  return maxSeconds > 3 * 3600 ? { name: 'h', seconds: 3600 } : { name: 'min', seconds: 60 };
}

/** Training intervals a run's speed is read from (its most recent ones). */
const SPEED_WINDOW = 20;

/** A run's training speed in env steps per second: the median of its last training intervals; null before any. */
export function trainingSpeed(rows: readonly SpeedRow[], updatesPerStep?: number): number | null {
  const steady = steadyMask(rows, updatesPerStep);
  const speeds = rows
    .filter((r, i) => steady[i] && (r.envStepsPerSec ?? 0) > 0)
    .slice(-SPEED_WINDOW)
    .map((r) => r.envStepsPerSec!)
    .sort((a, b) => a - b);
  if (!speeds.length) return null;
  const mid = speeds.length >> 1;
  return speeds.length % 2 ? speeds[mid]! : (speeds[mid - 1]! + speeds[mid]!) / 2;
}
