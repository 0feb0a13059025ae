// A one-line progress bar for TTYs: steps, return, steps/s, ETA.
export class ProgressBar {
  private readonly start = Date.now();
  constructor(private readonly total: number) {}

  update(step: number, ret: number | null, stepsPerSec: number): void {
    const frac = Math.min(1, step / this.total);
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : NaN;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  step ${step}/${this.total}  return ${ret == null ? '–' : ret.toFixed(2)}  ${Math.round(stepsPerSec)} steps/s  ETA ${fmt(eta)}`;
    process.stdout.write(`\r${line}\x1b[K`);
  }

  done(): void {
    process.stdout.write('\n');
  }
}

function fmt(s: number): string {
  if (!Number.isFinite(s)) return '–';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}
