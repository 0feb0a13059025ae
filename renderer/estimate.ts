// How long a new run will take, before it starts: timed by the newest run of the same task whose
// settings train at the same speed, at the speed it trained (steps/s of training, warm-up left out).
import type { RunInfo, StudioApi, TrainSettings } from '../studio/api.ts';
import { formatDuration, trainingSpeed } from '../studio/throughput.ts';
import { fmt, h } from './dom.ts';
import type { Store } from './store.ts';

/** The settings that set how fast a run trains; the others change what it learns, not its speed. */
function speedKey(s: TrainSettings): string {
  const head = s.algo === 'sql' ? { particles: s.particles } : { policy: s.policy, components: s.policy === 'mixture' ? s.components : 0 };
  return JSON.stringify([s.algo, head, s.hidden, s.batchSize, s.updatesPerStep, s.numEnvs, s.device]);
}

/** The newest run of `task` with the same speed settings that has trained past its warm-up, or null. */
export function speedReference(runs: Iterable<RunInfo>, task: string, settings: TrainSettings): RunInfo | null {
  const key = speedKey(settings);
  let best: RunInfo | null = null;
  for (const r of runs) {
    if (r.task !== task || !r.settings || r.step <= r.settings.learningStarts) continue;
    if (speedKey(r.settings) !== key) continue;
    if (!best || r.createdAt > best.createdAt) best = r;
  }
  return best;
}

/** A card's "About 1 h 40 min on this machine…" line under its Steps, kept up to date. */
export class EstimateLine {
  readonly el: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Speeds read so far, by run and how far it had trained (a run still training is read again as it goes). */
  private readonly speeds = new Map<string, number | null>();
  private readonly off: () => void;

  constructor(
    id: string,
    private readonly api: Pick<StudioApi, 'getMetrics'>,
    private readonly store: Store,
    private readonly task: () => string,
    private readonly steps: HTMLInputElement,
    private readonly settings: () => TrainSettings,
    settingsEl: HTMLElement,
  ) {
    this.el = h('div', {
      class: 'meta',
      'data-testid': `estimate-${id}`,
      title:
        'Timed by the newest run of this task with the same algorithm, networks, batch, envs and device, at the speed it trained (runs side by side share the cores)',
    });
    const later = (): void => this.schedule(300);
    steps.addEventListener('input', later);
    settingsEl.addEventListener('change', later);
    this.off = store.on('runs', (runId) => {
      // A run's status or step moved: only its own task's estimate may change.
      if (!runId || store.runs.get(runId)?.task === this.task()) this.schedule(2000);
    });
    this.schedule(0);
  }

  /** The card is gone (the gallery drew its cards again): stop following the runs. */
  dispose(): void {
    this.off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The task card's task changed. */
  refresh(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.update();
    }, ms);
  }

  private async update(): Promise<void> {
    const n = Number(this.steps.value);
    let settings: TrainSettings;
    try {
      settings = this.settings();
    } catch {
      this.el.textContent = ''; // a bad value: the form says so
      return;
    }
    const ref = Number.isFinite(n) && n > 0 ? speedReference(this.store.runs.values(), this.task(), settings) : null;
    const speed = ref ? await this.speedOf(ref) : null;
    if (!ref || !speed) {
      this.el.textContent = '';
      return;
    }
    this.el.textContent = `About ${formatDuration(n / speed)} on this machine, at the ${fmt(speed, 1)} steps/s of ${ref.name}`;
  }

  private async speedOf(r: RunInfo): Promise<number | null> {
    const key = `${r.id}@${r.status === 'running' ? Math.floor((10 * r.step) / Math.max(1, r.totalSteps)) : r.status}`;
    if (this.speeds.has(key)) return this.speeds.get(key)!;
    let speed: number | null = null;
    try {
      speed = trainingSpeed(await this.api.getMetrics(r.id), r.settings?.updatesPerStep);
    } catch {
      speed = null; // a run deleted meanwhile, say: no estimate rather than an error on a card
    }
    this.speeds.set(key, speed);
    return speed;
  }
}
