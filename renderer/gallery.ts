// Scenario gallery: one card per scenario (what it is, what to expect, its fine-tune variants)
// with a step budget, the seeds (a run each), the learner's settings and a button that starts the
// pretrain runs; and an "Any task" card that trains any task of any robot the same way.
import type { RunOverrides, ScenarioInfo, StudioApi, TaskInfo, TrainSettings } from '../studio/api.ts';
import { parseSeeds } from '../studio/seeds.ts';
import { errorMessage, fmtInt, h, labelled, setChildren } from './dom.ts';
import { SettingsForm } from './settings-form.ts';
import { VariantEditor } from './variant-editor.ts';
import { usedVariants } from './variant-form.ts';
import { queuedNote, readSeeds, seedsInput, showStarted, startEach } from './start-seeds.ts';
import { CallStatus } from './status.ts';
import { EstimateLine } from './estimate.ts';
import type { Store } from './store.ts';

/** A card's steps field, settings form, start row (steps, seeds, button) and status. */
interface StartControls {
  steps: HTMLInputElement;
  settings: SettingsForm;
  row: HTMLElement;
  status: CallStatus;
  /** How long the run will take, timed by an earlier run of the task. */
  estimate: EstimateLine;
}

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

  /** The cards' time estimates, stopped when the cards are drawn again. */
  private estimates: EstimateLine[] = [];

  private render(): void {
    for (const e of this.estimates.splice(0)) e.dispose();
    setChildren(
      this.cards,
      ...this.store.scenarios.map((s) => this.card(s)),
      this.store.tasks.length ? this.taskCard(this.store.tasks) : null,
    );
  }

  private startControls(
    id: string,
    steps: number,
    settings: TrainSettings,
    sqlAlpha: number,
    label: string,
    target: () => string,
    task: () => string,
    variant: () => Record<string, unknown> | undefined = () => undefined,
  ): StartControls {
    const status = new CallStatus(`start-status-${id}`);
    const stepsInput = h('input', { type: 'number', min: 1, step: 1000, value: steps, 'data-testid': `steps-${id}` });
    const seeds = seedsInput(
      `seeds-${id}`,
      1,
      'One run per seed, e.g. 1 or 1,2,3 or 1-5; several seeds train side by side (up to Runs at once; the rest wait queued) and are charted as their mean in a min–max band',
    );
    const form = new SettingsForm(`settings-${id}`, settings, null, sqlAlpha);
    const start = h('button', { type: 'button', class: 'primary', 'data-testid': `start-run-${id}` }, label);
    const relabel = (): void => {
      let n = 1;
      try {
        n = parseSeeds(seeds.value).length;
      } catch {
        // shown when Start is pressed
      }
      start.textContent = n > 1 ? `${label} ×${n}` : label;
    };
    seeds.addEventListener('input', relabel);
    start.addEventListener('click', async () => {
      const n = Math.round(Number(stepsInput.value));
      if (!Number.isFinite(n) || n < 1) {
        status.set('error', 'Steps must be a positive whole number');
        stepsInput.focus();
        return;
      }
      const list = readSeeds(seeds, status);
      if (!list) return;
      let overrides: RunOverrides;
      let custom: Record<string, unknown> | undefined;
      try {
        overrides = form.overrides();
        custom = variant();
      } catch (e) {
        status.set('error', errorMessage(e));
        return;
      }
      const what = target();
      // Allowed (a smoke test), but said: a budget inside the random warm-up trains nothing.
      const random = form.effective().learningStarts;
      const note =
        n <= random
          ? `Started. Its ${fmtInt(n)} steps end within the ${fmtInt(random)} random steps before learning starts, so it will not learn: raise Steps or lower Random steps in Settings.`
          : '';
      start.disabled = true;
      const runs = await status.run(
        list.length > 1 ? `Starting ${list.length} seeds` : 'Starting',
        () => startEach(list, (seed) => this.api.startRun(what, { ...overrides, steps: n, seed }, custom)),
        note,
      );
      start.disabled = false;
      if (!runs) return;
      showStarted(this.store, runs);
      const queued = queuedNote(runs);
      if (queued) status.set('ok', note ? `${note} ${queued}` : `Started. ${queued}`);
    });
    const estimate = new EstimateLine(id, this.api, this.store, task, stepsInput, () => form.effective(), form.el);
    this.estimates.push(estimate);
    return {
      steps: stepsInput,
      settings: form,
      status,
      row: h('div', { class: 'row' }, labelled('Steps', stepsInput), labelled('Seeds', seeds), start),
      estimate,
    };
  }

  private card(s: ScenarioInfo): HTMLElement {
    const c = this.startControls(
      s.id,
      s.pretrain.steps,
      s.pretrain.settings,
      s.pretrain.sqlAlpha,
      'Start pretrain',
      () => s.id,
      () => s.pretrain.task,
    );
    return h(
      'article',
      { class: 'card', 'data-testid': `scenario-card-${s.id}`, 'aria-labelledby': `sc-${s.id}` },
      h('h3', { id: `sc-${s.id}` }, s.title),
      h('p', {}, s.description),
      h('p', { class: 'expect' }, s.expect),
      h('div', { class: 'meta' }, `pretrain ${s.pretrain.task} · ${s.pretrain.algo} · ${fmtInt(s.pretrain.steps)} steps`),
      s.finetunes.length ? h('div', { class: 'meta' }, `fine-tune: ${s.finetunes.map((f) => `${f.id} (${f.task})`).join(', ')}`) : null,
      c.row,
      c.estimate.el,
      c.settings.el,
      c.status.el,
    );
  }

  /** Any task of any robot, trained alone (from scratch), with its own defaults. */
  private taskCard(tasks: TaskInfo[]): HTMLElement {
    const robots = [...new Set(tasks.map((t) => t.robot))];
    const select = h(
      'select',
      { 'data-testid': 'task-select' },
      ...robots.map((r) =>
        h('optgroup', { label: r }, ...tasks.filter((t) => t.robot === r).map((t) => h('option', { value: t.id }, t.id))),
      ),
    );
    const about = h('p', { 'data-testid': 'task-about' });
    const task = (): TaskInfo => tasks.find((t) => t.id === select.value) ?? tasks[0]!;
    const editor = new VariantEditor(
      'task-variant-editor',
      'Start run',
      (t) => usedVariants(this.store.runs.values(), t),
      this.api.variants,
    );
    const c = this.startControls(
      'task',
      task().defaults.steps,
      task().defaults.settings,
      task().defaults.sqlAlpha,
      'Start run',
      () => task().id,
      () => task().id,
      () => editor.variant(),
    );
    const show = (): void => {
      const t = task();
      about.textContent = `${t.description} (${t.robot}: ${t.obsDim} observations, ${t.actDim} actions, episodes of ${fmtInt(t.maxEpisodeSteps)} steps)`;
      c.steps.value = String(t.defaults.steps);
      c.settings.setDefaults(t.defaults.settings, t.defaults.sqlAlpha);
      editor.setTask(t);
      c.estimate.refresh();
    };
    select.addEventListener('change', show);
    show();
    return h(
      'article',
      { class: 'card', 'data-testid': 'task-card', 'aria-labelledby': 'sc-any-task' },
      h('h3', { id: 'sc-any-task' }, 'Any task'),
      h('p', {}, 'Train one task of any robot from scratch, with the settings you choose. Fine-tune it later from its run page.'),
      labelled('Task', select),
      about,
      c.row,
      c.estimate.el,
      c.settings.el,
      editor.el,
      c.status.el,
    );
  }
}
