// Telling the user a run ended while they were elsewhere: a system notification (Electron shows the
// page's notifications natively; a browser asks once for permission), and the window title with
// the training runs' progress, which the task bar and browser tabs show.
import { taskLabel, type RunInfo, type RunStatus } from '../studio/api.ts';
import { fmt, fmtInt, h, labelled } from './dom.ts';
import type { Store } from './store.ts';

const ENDED: ReadonlySet<RunStatus> = new Set(['finished', 'failed', 'interrupted']);
const TRAINING: ReadonlySet<RunStatus> = new Set(['running', 'created']);
const STORAGE_KEY = 'maxent.notify-run-end';
export const APP_TITLE = 'MaxEnt Studio';

export interface Alert {
  title: string;
  body: string;
}

/** What to say when a run goes from training to an end (a stop the user asked for is no news). */
export function runEndAlert(before: RunStatus | undefined, r: RunInfo): Alert | null {
  if (!before || !TRAINING.has(before) || !ENDED.has(r.status)) return null;
  const what = `${r.name} (${taskLabel(r)})`;
  const steps = `${fmtInt(r.step)} / ${fmtInt(r.totalSteps)} steps`;
  if (r.status === 'finished') return { title: `Run finished: ${r.name}`, body: `${what} · ${steps} · last return ${fmt(r.lastReturn)}` };
  if (r.status === 'failed') return { title: `Run failed: ${r.name}`, body: `${what} at ${steps}: ${r.error ?? 'no reason given'}` };
  return {
    title: `Run interrupted: ${r.name}`,
    body: `${what} at ${steps}: its process ended; Continue resumes it from its last checkpoint`,
  };
}

/** "(42%) MaxEnt Studio" for one training run, "2 training · MaxEnt Studio" for more. */
export function windowTitle(runs: Iterable<RunInfo>): string {
  const training = [...runs].filter((r) => r.status === 'running');
  if (training.length === 0) return APP_TITLE;
  if (training.length > 1) return `${training.length} training · ${APP_TITLE}`;
  const r = training[0]!;
  const pct = r.totalSteps > 0 ? Math.floor((100 * Math.min(r.step, r.totalSteps)) / r.totalSteps) : 0;
  return `(${pct}%) ${APP_TITLE}`;
}

/** Watches the store's runs for ends and keeps the title; `el` is its "Notify when a run ends" box. */
export class RunAlerts {
  readonly el: HTMLElement;
  private readonly statuses = new Map<string, RunStatus>();
  private readonly input: HTMLInputElement;

  constructor(private readonly store: Store) {
    this.input = h('input', {
      type: 'checkbox',
      'data-testid': 'notify-run-end',
      title: 'Show a system notification when a run finishes, fails or is interrupted while this window is in the background',
    });
    this.input.checked = localStorage.getItem(STORAGE_KEY) === '1';
    this.input.addEventListener('change', () => void this.setEnabled(this.input.checked));
    this.el = h('div', { class: 'row' }, labelled('Notify when a run ends', this.input));
    store.on('runs', (id) => this.onRuns(id));
    this.onRuns();
  }

  private async setEnabled(on: boolean): Promise<void> {
    if (on && typeof Notification !== 'undefined' && Notification.permission === 'default') await Notification.requestPermission();
    const allowed = typeof Notification !== 'undefined' && Notification.permission === 'granted';
    if (on && !allowed) {
      this.input.checked = false;
      this.input.title = 'Notifications are blocked for this page: allow them in the browser’s site settings, then tick again';
    }
    localStorage.setItem(STORAGE_KEY, on && allowed ? '1' : '0');
  }

  /** A whole-list refresh (no id) sets what "before" means without alerting: its changes were not seen live. */
  private onRuns(id?: string): void {
    if (id) {
      const r = this.store.runs.get(id);
      if (r) {
        const alert = runEndAlert(this.statuses.get(id), r);
        this.statuses.set(id, r.status);
        if (alert) this.notify(alert, id);
      }
    } else {
      this.statuses.clear();
      for (const r of this.store.runs.values()) this.statuses.set(r.id, r.status);
    }
    const title = windowTitle(this.store.runs.values());
    // The record page (?mode=record) keeps its own title; this runs only in the studio page.
    if (document.title !== title) document.title = title;
  }

  private notify(a: Alert, runId: string): void {
    if (!this.input.checked || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    // In front, the run page says it already.
    if (!document.hidden && document.hasFocus()) return;
    const n = new Notification(a.title, { body: a.body, tag: runId });
    n.onclick = () => {
      window.focus();
      this.store.select(runId);
      n.close();
    };
  }
}
