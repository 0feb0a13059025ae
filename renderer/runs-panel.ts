// Run history: every run in the store, newest first, with status, progress and last return.
// Clicking selects the run (its page, viewer and charts); the checkbox overlays it on the charts.
// A filter narrows a long history by task, seed, kind or status.
import { taskLabel, type RunInfo, type StudioApi } from '../studio/api.ts';
import { fmt, fmtInt, h, setChildren } from './dom.ts';
import { QueueControl } from './queue-control.ts';
import { RunAlerts } from './run-alerts.ts';
import { runMatches } from './run-filter.ts';
import { CallStatus } from './status.ts';
import type { Store } from './store.ts';

export class RunsPanel {
  readonly status = new CallStatus('runs-status');
  private readonly list: HTMLUListElement;
  private readonly filter: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly queue: QueueControl;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
  ) {
    const refresh = h('button', { type: 'button', 'data-testid': 'runs-refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    this.list = h('ul', { class: 'run-list', 'data-testid': 'run-list', 'aria-label': 'Runs' });
    this.filter = h('input', {
      type: 'search',
      placeholder: 'Filter: task, seed:3, fine-tune, running…',
      'aria-label': 'Filter the runs',
      'data-testid': 'runs-filter',
    });
    this.filter.addEventListener('input', () => this.render());
    this.count = h('span', { class: 'meta', 'data-testid': 'runs-count' });
    this.queue = new QueueControl(api, store, this.status);
    root.append(
      h('div', { class: 'row' }, refresh, this.status.el),
      this.queue.el,
      new RunAlerts(store).el,
      h('div', { class: 'row' }, this.filter, this.count),
      this.list,
    );
    store.on('runs', () => this.render());
    store.on('selection', () => this.render());
    store.on('compare', () => this.render());
  }

  async refresh(): Promise<void> {
    const runs = await this.status.run('Loading runs', () => this.api.listRuns());
    if (runs) this.store.setRuns(runs);
    await this.queue.refresh();
  }

  private readonly items = new Map<
    string,
    { li: HTMLLIElement; btn: HTMLButtonElement; name: HTMLElement; badge: HTMLElement; sub: HTMLElement; cmp: HTMLInputElement }
  >();
  private order = '';

  /** Patches items in place (focus survives the frequent run.state events); reorders only when
   * the set of runs changes. */
  private render(): void {
    const all = [...this.store.runs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    for (const id of this.items.keys()) if (!this.store.runs.has(id)) this.items.delete(id);
    for (const r of all) this.update(r);
    const runs = all.filter((r) => runMatches(r, this.filter.value));
    this.count.textContent = runs.length === all.length ? '' : `${runs.length} of ${all.length}`;
    const order = `${this.filter.value}|${runs.map((r) => r.id).join('|')}`;
    if (order !== this.order) {
      this.order = order;
      if (!all.length)
        setChildren(this.list, h('li', { class: 'meta', 'data-testid': 'runs-empty' }, 'No runs yet: start one from a scenario card.'));
      else if (!runs.length)
        setChildren(this.list, h('li', { class: 'meta', 'data-testid': 'runs-none-match' }, 'No run matches the filter.'));
      else setChildren(this.list, ...runs.map((r) => this.items.get(r.id)!.li));
    }
  }

  private update(r: RunInfo): void {
    let it = this.items.get(r.id);
    if (!it) {
      const name = h('span', { class: 'name' });
      const badge = h('span', { class: 'badge' });
      const sub = h('span', { class: 'sub' });
      const btn = h('button', { type: 'button', class: 'run-item', 'data-testid': 'run-item', 'data-run-id': r.id }, name, badge, sub);
      btn.addEventListener('click', () => this.store.select(r.id));
      const cmp = h('input', { type: 'checkbox', 'data-testid': 'run-compare', 'data-run-id': r.id });
      cmp.addEventListener('change', () => this.store.toggleCompare(r.id, cmp.checked));
      const li = h('li', {}, btn, h('label', { class: 'compare', title: 'Overlay on the charts' }, cmp));
      this.items.set(r.id, (it = { li, btn, name, badge, sub, cmp }));
    }
    const selected = r.id === this.store.selectedRunId;
    it.btn.dataset.status = r.status;
    it.btn.setAttribute('aria-current', selected ? 'true' : 'false');
    it.name.textContent = r.name;
    // The list is narrow and cuts long names: the tooltip has the whole name, the id and the notes.
    it.btn.title = [r.name, r.id, r.checkpointsLost ? 'no checkpoint left (metrics only)' : '', r.notes].filter(Boolean).join('\n');
    it.badge.textContent = r.queuePosition ? `queued #${r.queuePosition}` : r.status;
    it.badge.dataset.status = r.status;
    it.sub.textContent = `${taskLabel(r)} · ${r.algo} · ${fmtInt(r.step)}/${fmtInt(r.totalSteps)} · return ${fmt(r.lastReturn)} · seed ${r.seed}${r.parentRunId ? ' · fine-tune' : ''}`;
    it.cmp.checked = selected || this.store.compare.has(r.id);
    it.cmp.disabled = selected;
    it.cmp.setAttribute('aria-label', `Overlay ${r.name} on the charts`);
  }
}
