// A one-line progress bar for TTYs: steps, return, steps/s, time left.
import { formatDuration } from './throughput.ts';

export class ProgressBar {
  constructor(private readonly total: number) {}

  /** `secondsLeft`: from the recent training speed (throughput.ts), null in the warm-up. */
  update(step: number, ret: number | null, stepsPerSec: number, secondsLeft: number | null): void {
    const frac = Math.min(1, step / this.total);
    const width = 24;
    const filled = Math.round(frac * width);
    const left = secondsLeft === null ? 'warm-up' : `${formatDuration(secondsLeft)} left`;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  step ${step}/${this.total}  return ${ret == null ? '–' : ret.toFixed(2)}  ${Math.round(stepsPerSec)} steps/s  ${left}`;
    process.stdout.write(`\r${line}\x1b[K`);
  }

  done(): void {
    process.stdout.write('\n');
  }
}
