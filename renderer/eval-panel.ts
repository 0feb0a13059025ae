// Evaluate on the run page: N episodes of the latest (or a chosen) checkpoint's policy, deterministic or
// stochastic, on the run's own task or zero-shot on one of its fine-tune targets (before any
// fine-tuning), with the task's own measures (goals, speed and headings, goal distance).
import { HEADING_SECTORS, PUSH_SECTORS, taskLabel, type EvalReport, type RunInfo, type StudioApi } from '../studio/api.ts';
import { compassSvg } from './compass.ts';
import { chosenCheckpoint, fillCheckpoints } from './checkpoint-select.ts';
import { h, labelled, setChildren } from './dom.ts';
import { evalRows } from './eval-report.ts';
import { fineTuneTargets } from './finetune-targets.ts';
import { VariantEditor } from './variant-editor.ts';
import { usedVariants } from './variant-form.ts';
import { CallStatus } from './status.ts';
import type { Store } from './store.ts';

export class EvalPanel {
  readonly status = new CallStatus('eval-status');
  private readonly el: HTMLDetailsElement;
  private readonly episodes: HTMLInputElement;
  private readonly mode: HTMLSelectElement;
  private readonly on: HTMLSelectElement;
  private readonly checkpoint: HTMLSelectElement;
  private readonly button: HTMLButtonElement;
  private readonly result: HTMLElement;
  /** Headings or push directions as a compass rose, beside the figures. */
  private readonly rose: HTMLElement;
  /** A user's variant of the "On" target's task, tried zero-shot. */
  private readonly variant: VariantEditor;
  private shownRun: string | null = null;
  private busy = false;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
  ) {
    this.variant = new VariantEditor(
      'eval-variant-editor',
      'Evaluate',
      (task) => usedVariants(this.store.runs.values(), task),
      api.variants,
    );
    this.episodes = h('input', { type: 'number', min: 1, max: 200, value: 10, 'data-testid': 'eval-episodes' });
    this.mode = h(
      'select',
      { 'data-testid': 'eval-mode' },
      h('option', { value: 'deterministic' }, 'deterministic (mean)'),
      h('option', { value: 'stochastic' }, 'stochastic'),
    );
    this.checkpoint = h('select', { 'data-testid': 'eval-checkpoint', title: 'Which checkpoint to evaluate' });
    this.on = h('select', { 'data-testid': 'eval-on', title: 'A fine-tune target: how the policy does there before any fine-tuning' });
    this.button = h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'eval-start', title: "Run episodes of the latest checkpoint's policy" },
      'Evaluate',
    );
    this.button.addEventListener('click', () => void this.evaluate());
    this.result = h('dl', { class: 'eval-result', 'data-testid': 'eval-result' });
    this.rose = h('figure', { class: 'compass', 'data-testid': 'eval-compass', hidden: true });
    this.el = h(
      'details',
      { class: 'evaluate', 'data-testid': 'eval-panel' },
      h('summary', {}, 'Evaluate'),
      h(
        'div',
        { class: 'row' },
        labelled('Episodes', this.episodes),
        labelled('Policy', this.mode),
        labelled('Checkpoint', this.checkpoint),
        labelled('On', this.on),
      ),
      this.variant.el,
      h('div', { class: 'row' }, this.button, this.status.el),
      h('div', { class: 'eval-body' }, this.result, this.rose),
    );
    this.on.addEventListener('change', () => this.editTarget());
    root.append(this.el);
    store.on('selection', () => this.onSelection());
    store.on('scenarios', () => this.onSelection(true));
    store.on('runs', (id) => {
      if (id && id === this.shownRun) fillCheckpoints(this.checkpoint, this.store.selected?.checkpoints ?? []);
    });
    this.onSelection();
  }

  private onSelection(force = false): void {
    const r = this.store.selected;
    this.el.hidden = !r;
    if (!force && (r?.id ?? null) === this.shownRun) return;
    this.shownRun = r?.id ?? null;
    if (!force) {
      setChildren(this.result);
      this.rose.hidden = true;
      this.status.set('idle', '');
    }
    if (r) this.fillTargets(r);
    if (!force) this.checkpoint.value = '';
    fillCheckpoints(this.checkpoint, r?.checkpoints ?? []);
  }

  private fillTargets(r: RunInfo): void {
    const { variants, tasks } = fineTuneTargets(r, this.store.runScenario(r), this.store.tasks);
    const keep = this.on.value;
    setChildren(
      this.on,
      h('option', { value: '' }, `its own task: ${taskLabel(r)}`),
      ...variants.map((f) => h('option', { value: f.id }, `${f.id} (${f.task}${f.variant ? `, ${f.variant}` : ''}), zero-shot`)),
      ...tasks.map((t) => h('option', { value: t.id }, `${t.id}, zero-shot`)),
    );
    if ([...this.on.options].some((o) => o.value === keep)) this.on.value = keep;
    this.editTarget();
  }

  /** The variant editor edits the chosen target's task, starting from that target's own variant. */
  private editTarget(): void {
    const r = this.store.selected;
    if (!r) return;
    const ft = this.store.runScenario(r)?.finetunes.find((f) => f.id === this.on.value);
    const task = ft?.task ?? (this.on.value || r.task);
    this.variant.setTask(
      this.store.tasks.find((t) => t.id === task),
      this.on.value ? (ft?.variantSpec ?? null) : r.variantSpec,
    );
  }

  private async evaluate(): Promise<void> {
    const r = this.store.selected;
    if (!r || this.busy) return;
    const episodes = Number(this.episodes.value);
    if (!Number.isInteger(episodes) || episodes < 1 || episodes > 200) {
      this.status.set('error', 'Episodes: a whole number from 1 to 200');
      return;
    }
    this.busy = true;
    this.button.disabled = true;
    try {
      const on = this.on.value || undefined;
      const stochastic = this.mode.value === 'stochastic';
      const step = chosenCheckpoint(this.checkpoint);
      let variant: Record<string, unknown> | undefined;
      try {
        variant = this.variant.variant();
      } catch (e) {
        this.status.set('error', (e as Error).message);
        return;
      }
      const rep = await this.status.run(`Evaluating ${episodes} episodes`, () =>
        this.api.evaluate(r.id, { episodes, stochastic, on, step, variant }),
      );
      if (rep && r.id === this.shownRun) this.show(rep);
    } finally {
      this.busy = false;
      this.button.disabled = false;
    }
  }

  private show(rep: EvalReport): void {
    setChildren(this.result, ...evalRows(rep).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, v)]));
    const svg = rep.headingHistogram
      ? compassSvg(rep.headingHistogram, HEADING_SECTORS, 'Headings of the episodes')
      : rep.pushHistogram
        ? compassSvg(rep.pushHistogram, PUSH_SECTORS, 'Push directions of the episodes (seen from above)', true)
        : null;
    this.rose.innerHTML = svg ?? '';
    this.rose.hidden = svg === null;
  }
}
