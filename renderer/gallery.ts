// Scenario gallery: one card per scenario (what it is, what to expect, its fine-tune variants)
// with a step budget and a button that starts the pretrain run.
import type { RunInfo, ScenarioInfo, StudioApi } from '../studio/api.ts';
import { fmtInt, h, labelled, setChildren } from './dom.ts';
import { CallStatus } from './status.ts';
import type { Store } from './store.ts';

export class Gallery {
  readonly status = new CallStatus('gallery-status');
  private readonly cards: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
  ) {
    this.cards = h('div', { class: 'gallery', 'data-testid': 'gallery' });
    root.append(this.status.el, this.cards);
    store.on('scenarios', () => this.render());
  }

  async refresh(): Promise<void> {
    const got = await this.status.run('Loading scenarios', () => Promise.all([this.api.listScenarios(), this.api.listTasks()]));
    if (got) this.store.setScenarios(...got);
  }

  private render(): void {
    setChildren(this.cards, ...this.store.scenarios.map((s) => this.card(s)));
  }

  private card(s: ScenarioInfo): HTMLElement {
    const status = new CallStatus(`start-status-${s.id}`);
    const steps = h('input', { type: 'number', min: 1, step: 1000, value: s.pretrain.steps, 'data-testid': `steps-${s.id}` });
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': `start-run-${s.id}` }, 'Start pretrain');
    start.addEventListener('click', async () => {
      const n = Math.round(Number(steps.value));
      if (!Number.isFinite(n) || n < 1) {
        status.set('error', 'Steps must be a positive whole number');
        steps.focus();
        return;
      }
      start.disabled = true;
      const run: RunInfo | undefined = await status.run('Starting', () => this.api.startRun(s.id, { steps: n }), '');
      start.disabled = false;
      if (run) {
        this.store.upsertRun(run);
        this.store.select(run.id);
      }
    });
    return h(
      'article',
      { class: 'card', 'data-testid': `scenario-card-${s.id}`, 'aria-labelledby': `sc-${s.id}` },
      h('h3', { id: `sc-${s.id}` }, s.title),
      h('p', {}, s.description),
      h('p', { class: 'expect' }, s.expect),
      h('div', { class: 'meta' }, `pretrain ${s.pretrain.task} · ${s.pretrain.algo} · ${fmtInt(s.pretrain.steps)} steps`),
      s.finetunes.length ? h('div', { class: 'meta' }, `fine-tune: ${s.finetunes.map((f) => `${f.id} (${f.task})`).join(', ')}`) : null,
      h('div', { class: 'row' }, labelled('Steps', steps), start),
      status.el,
    );
  }
}
