// "Runs at once": how many runs the studio trains together (saved for the next start); more wait
// queued and start as runs end. Beside it, how many of this studio's runs train and wait now, and how
// many other processes train here (they count against the limit too).
import type { RunInfo, StudioApi, SystemInfo } from '../studio/api.ts';
import { MAX_RUNS_LIMIT } from '../studio/api.ts';
import { h, labelled } from './dom.ts';
import type { CallStatus } from './status.ts';
import type { Store } from './store.ts';

/**
 * Runs this studio trains (starting, running, paused) and holds queued, and runs other processes
 * on this machine train now (a terminal's `maxent train`): those take slots too, paused ones not.
 * (A run held by another machine reads as interrupted, so every `elsewhere` run is on this one.)
 */
export function queueCounts(runs: Iterable<RunInfo>): { training: number; queued: number; others: number } {
  let training = 0;
  let queued = 0;
  let others = 0;
  for (const r of runs) {
    if (r.elsewhere) {
      if (r.status === 'running' || r.status === 'created') others++;
      continue;
    }
    if (r.status === 'queued') queued++;
    else if (r.status === 'running' || r.status === 'paused' || r.status === 'created') training++;
  }
  return { training, queued, others };
}

/** "1st", "2nd", "3rd", "4th", …, "11th", "21st": a queued run's place. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export class QueueControl {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly summary: HTMLElement;
  private info: SystemInfo | null = null;

  constructor(
    private readonly api: StudioApi,
    private readonly store: Store,
    private readonly status: CallStatus,
  ) {
    this.input = h('input', {
      type: 'number',
      min: 1,
      max: MAX_RUNS_LIMIT,
      step: 1,
      'data-testid': 'max-runs',
      title:
        'How many runs train at the same time on this machine (runs of a terminal or another studio count too); more wait queued and start as runs end (saved for the next start)',
    });
    this.input.addEventListener('change', () => void this.set());
    this.summary = h('span', { class: 'meta', 'data-testid': 'queue-summary' });
    this.el = h('div', { class: 'row queue-control' }, labelled('Runs at once', this.input), this.summary);
    store.on('runs', () => this.render());
  }

  async refresh(): Promise<void> {
    const info = await this.status.run('Loading the studio settings', () => this.api.system.info());
    if (info) this.show(info);
  }

  private async set(): Promise<void> {
    const n = Number(this.input.value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS_LIMIT) {
      this.status.set('error', `Runs at once: a whole number from 1 to ${MAX_RUNS_LIMIT}, got ${JSON.stringify(this.input.value)}`);
      if (this.info?.maxRuns) this.input.value = String(this.info.maxRuns);
      return;
    }
    const info = await this.status.run(`Training ${n} at once`, () => this.api.system.setMaxRuns(n));
    if (info) this.show(info);
  }

  private show(info: SystemInfo): void {
    this.info = info;
    if (document.activeElement !== this.input) this.input.value = info.maxRuns == null ? '' : String(info.maxRuns);
    this.input.placeholder = info.maxRuns == null ? 'no limit' : '';
    this.render();
  }

  private render(): void {
    const { training, queued, others } = queueCounts(this.store.runs.values());
    const cores = this.info ? ` (${this.info.cores} cores)` : '';
    const elsewhere = others ? ` · ${others} in ${others === 1 ? 'another process' : 'other processes'}` : '';
    this.summary.textContent = `${training} training${elsewhere}${queued ? ` · ${queued} queued` : ''}${cores}`;
  }
}
