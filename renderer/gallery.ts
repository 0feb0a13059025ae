// Scenario gallery: one card per scenario (what it is, what to expect, its fine-tune variants)
// with a step budget, the seeds (a run each) and a button that starts the pretrain runs.
import type { ScenarioInfo, StudioApi } from '../studio/api.ts';
import { parseSeeds } from '../studio/seeds.ts';
import { errorMessage, fmtInt, h, labelled, setChildren } from './dom.ts';
import { showStarted, startEach } from './start-seeds.ts';
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
    const seeds = h('input', {
      type: 'text',
      value: '1',
      size: 6,
      inputmode: 'numeric',
      'data-testid': `seeds-${s.id}`,
      title:
        'One run per seed, e.g. 1 or 1,2,3 or 1-5; several seeds train at the same time and are charted as their mean in a min–max band',
    });
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': `start-run-${s.id}` }, 'Start pretrain');
    const seedList = (): number[] | null => {
      try {
        return parseSeeds(seeds.value);
      } catch {
        return null;
      }
    };
    const label = (): void => {
      const n = seedList()?.length ?? 1;
      start.textContent = n > 1 ? `Start ${n} pretrains` : 'Start pretrain';
    };
    seeds.addEventListener('input', label);
    start.addEventListener('click', async () => {
      const n = Math.round(Number(steps.value));
      if (!Number.isFinite(n) || n < 1) {
        status.set('error', 'Steps must be a positive whole number');
        steps.focus();
        return;
      }
      let list: number[];
      try {
        list = parseSeeds(seeds.value);
      } catch (e) {
        status.set('error', errorMessage(e));
        seeds.focus();
        return;
      }
      start.disabled = true;
      const runs = await status.run(
        list.length > 1 ? `Starting ${list.length} seeds` : 'Starting',
        () => startEach(list, (seed) => this.api.startRun(s.id, { steps: n, seed })),
        '',
      );
      start.disabled = false;
      if (runs) showStarted(this.store, runs);
    });
    return h(
      'article',
      { class: 'card', 'data-testid': `scenario-card-${s.id}`, 'aria-labelledby': `sc-${s.id}` },
      h('h3', { id: `sc-${s.id}` }, s.title),
      h('p', {}, s.description),
      h('p', { class: 'expect' }, s.expect),
      h('div', { class: 'meta' }, `pretrain ${s.pretrain.task} · ${s.pretrain.algo} · ${fmtInt(s.pretrain.steps)} steps`),
      s.finetunes.length ? h('div', { class: 'meta' }, `fine-tune: ${s.finetunes.map((f) => `${f.id} (${f.task})`).join(', ')}`) : null,
      h('div', { class: 'row' }, labelled('Steps', steps), labelled('Seeds', seeds), start),
      status.el,
    );
  }
}
