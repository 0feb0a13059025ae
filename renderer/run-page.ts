// The selected run's page header: what it is, its progress, and the actions on it (pause/resume,
// stop, fine-tune on a variant, the scratch control of a fine-tune, delete).
import { confirmDialog } from './confirm-dialog.ts';
import { taskLabel, type RunInfo, type RunOverrides, type StudioApi } from '../studio/api.ts';
import { errorMessage, fmt, fmtInt, h, labelled, setChildren } from './dom.ts';
import { fineTuneTargets } from './finetune-targets.ts';
import { ordinal } from './queue-control.ts';
import { siblingSeeds } from './seed-groups.ts';
import { describeSettings } from './settings.ts';
import { SettingsForm } from './settings-form.ts';
import { VariantEditor } from './variant-editor.ts';
import { usedVariants } from './variant-form.ts';
import { queuedNote, readSeeds, seedsInput, showStarted, startEach } from './start-seeds.ts';
import { CallStatus } from './status.ts';
import { formatDuration, secondsLeft } from '../studio/throughput.ts';
import type { Store } from './store.ts';

const ACTIVE = new Set(['created', 'queued', 'running', 'paused']);
/** Statuses a run can be continued from (its newest checkpoint, or step 0 if it has none). */
const CONTINUABLE = new Set(['stopped', 'interrupted', 'failed', 'finished']);

const FINE_TUNE_TITLE = 'Start a new run from this run’s latest checkpoint on the chosen variant or task';
const LOST_TITLE =
  'This run has no checkpoint left (its folder keeps run.json and metrics only): its curves can be plotted and compared, but there is no policy to continue, fine-tune, evaluate or show';

export class RunPage {
  readonly status = new CallStatus('run-status');
  private readonly body: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
  ) {
    root.classList.add('run-page');
    root.setAttribute('data-testid', 'run-page');
    this.body = h('div', {});
    root.append(this.body, this.status.el);
    store.on('selection', () => this.render());
    store.on('runs', (id) => {
      // The selected run, or another seed of its setting (its Overlay seeds count).
      const sel = store.selected;
      if (!id || id === store.selectedRunId || (sel && store.runs.get(id)?.setting === sel.setting)) this.render();
    });
    store.on('scenarios', () => this.render());
    // The time left follows the selected run's speed, row by row.
    store.on('metrics', (id) => {
      if (id === store.selectedRunId && store.selected?.status === 'running') this.render();
    });
    this.render();
  }

  private renderedFor: string | null = null;
  private refs: {
    state: HTMLElement;
    meta: HTMLElement;
    progress: HTMLElement;
    bar: HTMLElement;
    error: HTMLElement;
    pause: HTMLButtonElement;
    stop: HTMLButtonElement;
    more: HTMLInputElement;
    cont: HTMLButtonElement;
    del: HTMLButtonElement;
    dir: HTMLElement;
    seeds: HTMLButtonElement;
    settings: HTMLElement;
    notes: HTMLElement;
    title: HTMLElement;
    /** Fine-tune, where the run has targets. */
    ft: HTMLButtonElement | null;
  } | null = null;

  /** Builds the page once per selected run; later run updates only patch text and states, so
   * focus and the variant choice survive the several run.state events a second. */
  private render(): void {
    const r = this.store.selected;
    if (!r) {
      this.renderedFor = null;
      this.refs = null;
      setChildren(
        this.body,
        h(
          'p',
          { class: 'meta', 'data-testid': 'run-none' },
          'No run selected. Pick a scenario card to start a pretrain run, or select a run from the history.',
        ),
      );
      return;
    }
    const key = `${r.id}|${this.store.scenarios.length}|${this.store.tasks.length}`;
    if (this.renderedFor !== key || !this.refs) {
      this.renderedFor = key;
      const bar = h('div', {});
      const refs = {
        state: h('span', { class: 'badge', 'data-testid': 'run-state' }),
        meta: h('div', { class: 'meta' }),
        progress: h(
          'div',
          { class: 'progress', role: 'progressbar', 'aria-label': 'Training progress', 'aria-valuemin': 0, 'aria-valuemax': 100 },
          bar,
        ),
        bar,
        error: h('div', { class: 'status', 'data-state': 'error', role: 'alert', 'data-testid': 'run-error', hidden: true }),
        pause: h('button', { type: 'button', 'data-testid': 'pause-run' }, 'Pause'),
        stop: h('button', { type: 'button', class: 'danger', 'data-testid': 'stop-run' }, 'Stop'),
        more: h('input', {
          type: 'number',
          min: 1,
          step: 1000,
          placeholder: 'more steps',
          class: 'more-steps',
          'aria-label': 'More steps',
          'data-testid': 'continue-steps',
          title: 'Raise the budget by this many steps past where the run is (needed to go on after it finished)',
        }),
        cont: h('button', { type: 'button', 'data-testid': 'continue-run' }, 'Continue'),
        del: h('button', { type: 'button', 'data-testid': 'delete-run', title: 'Delete this run and its folder' }, 'Delete…'),
        dir: h('div', { class: 'meta', 'data-testid': 'run-dir' }),
        settings: h('div', { class: 'meta', 'data-testid': 'run-settings' }),
        notes: h('p', { class: 'run-notes', 'data-testid': 'run-notes' }),
        title: h('h2', { 'data-testid': 'run-title', style: 'margin:0' }),
        seeds: h(
          'button',
          {
            type: 'button',
            'data-testid': 'overlay-seeds',
            title: 'Overlay the runs of this setting with other seeds, drawn as their mean in a min–max band',
          },
          'Overlay seeds',
        ),
      };
      const id = r.id;
      refs.pause.addEventListener('click', () => {
        const cur = this.store.runs.get(id);
        if (!cur) return;
        if (cur.status === 'queued') return void this.act('Starting now', () => this.api.resume(id));
        const resume = cur.status === 'paused';
        void this.act(resume ? 'Resuming' : 'Pausing', () => (resume ? this.api.resume(id) : this.api.pause(id)));
      });
      refs.cont.addEventListener('click', () => {
        const cur = this.store.runs.get(id);
        if (!cur) return;
        const text = refs.more.value.trim();
        const more = text === '' ? undefined : Number(text);
        if (more !== undefined && (!Number.isInteger(more) || more < 1)) {
          this.status.set('error', `More steps: a positive whole number, got ${JSON.stringify(text)}`);
          return refs.more.focus();
        }
        if (more === undefined && cur.status === 'finished') {
          this.status.set('error', `The run finished its ${fmtInt(cur.totalSteps)} steps: say how many more to train`);
          return refs.more.focus();
        }
        refs.more.value = '';
        void this.act(more ? `Training ${fmtInt(more)} more steps` : 'Continuing', () => this.api.resume(id, more));
      });
      refs.stop.addEventListener('click', () => void this.act('Stopping', () => this.api.stop(id)));
      refs.del.addEventListener('click', () => this.confirmDelete(id));
      refs.seeds.addEventListener('click', () => {
        const cur = this.store.runs.get(id);
        if (!cur) return;
        for (const o of siblingSeeds(cur, this.store.runs.values())) this.store.toggleCompare(o.id, true);
        this.store.setGroupSeeds(true);
      });
      const ft = this.fineTuneControls(r);
      this.refs = { ...refs, ft: ft.button };
      setChildren(
        this.body,
        h('div', { class: 'row' }, refs.title, refs.state),
        refs.meta,
        refs.settings,
        refs.notes,
        refs.progress,
        refs.error,
        h('div', { class: 'row' }, refs.pause, refs.stop, refs.cont, refs.more, ...ft.inline, refs.seeds, refs.del),
        ft.settings,
        this.labelEditor(r),
        refs.dir,
      );
    }
    const f = this.refs;
    const frac = r.totalSteps > 0 ? Math.min(1, r.step / r.totalSteps) : 0;
    const active = ACTIVE.has(r.status);
    const parent = r.parentRunId ? (this.store.runs.get(r.parentRunId)?.name ?? r.parentRunId) : null;
    f.state.textContent = r.status;
    f.state.dataset.status = r.status;
    const queued = r.queuePosition ? ` · queued, ${ordinal(r.queuePosition)} in line: starts when a run ends` : '';
    const eta = r.status === 'running' ? this.timeLeft(r) : '';
    f.meta.textContent = `${taskLabel(r)} · ${r.algo} · seed ${r.seed} · backend ${r.backend || '–'} · ${fmtInt(r.step)} / ${fmtInt(r.totalSteps)} steps · last return ${fmt(r.lastReturn)}${eta}${parent ? ` · fine-tuned from ${parent}` : ''}${queued}${r.elsewhere ? ' · trained by another process' : ''}${r.checkpointsLost ? ' · no checkpoint left (metrics only)' : ''}`;
    f.bar.style.width = `${(frac * 100).toFixed(1)}%`;
    f.progress.setAttribute('aria-valuenow', String(Math.round(frac * 100)));
    f.error.hidden = !r.error;
    f.error.textContent = r.error ?? '';
    // A run another process trains (a terminal's `maxent train`) is followed here, not controlled.
    const elsewhere = r.elsewhere ? 'Trained by another process (e.g. maxent train in a terminal): pause or stop it there' : '';
    const queuedHere = r.status === 'queued' && !r.elsewhere;
    f.pause.disabled = !active || r.elsewhere;
    f.pause.textContent = queuedHere ? 'Start now' : r.status === 'paused' ? 'Resume' : 'Pause';
    f.pause.dataset.testid = queuedHere ? 'start-now' : r.status === 'paused' ? 'resume-run' : 'pause-run';
    f.stop.disabled = !active || r.elsewhere;
    f.pause.title = elsewhere || (queuedHere ? 'Start it now, past the runs-at-once limit' : '');
    f.stop.title = elsewhere || (queuedHere ? 'Take it off the queue (it can be continued later)' : '');
    // Continue: a stopped, interrupted or failed run from its newest checkpoint; a finished one for more steps.
    const continuable = CONTINUABLE.has(r.status) && !r.elsewhere;
    f.cont.hidden = f.more.hidden = !continuable;
    f.cont.textContent = r.status === 'finished' ? 'Train more' : 'Continue';
    f.cont.title =
      r.status === 'finished'
        ? 'Go on training from the newest checkpoint for the steps given'
        : `Go on training from the newest checkpoint${r.checkpoints.length ? '' : ' (it has none yet: from step 0)'} to its budget, or for the steps given`;
    // Without a checkpoint there is nothing to fine-tune from; with none left, nothing to continue from either.
    if (f.ft) {
      f.ft.disabled = r.checkpoints.length === 0;
      f.ft.title = r.checkpointsLost
        ? LOST_TITLE
        : r.checkpoints.length
          ? FINE_TUNE_TITLE
          : 'No checkpoint yet: a fine-tune starts from one';
    }
    f.cont.disabled = r.checkpointsLost;
    if (r.checkpointsLost) f.cont.title = LOST_TITLE;
    f.dir.textContent = `dir: ${r.dir}`;
    f.title.textContent = r.name;
    f.notes.textContent = r.notes;
    f.notes.hidden = !r.notes;
    f.settings.textContent = describeSettings(r.settings);
    const others = siblingSeeds(r, this.store.runs.values());
    f.seeds.hidden = others.length === 0;
    f.seeds.textContent = `Overlay seeds (${others.length + 1})`;
    f.seeds.setAttribute('aria-label', `Overlay this run's other seeds: ${others.map((o) => o.seed).join(', ')}`);
  }

  /** " · about 12 min left" from the recent training speed; the warm-up's random steps say nothing of it. */
  private timeLeft(r: RunInfo): string {
    const rows = this.store.metrics.get(r.id) ?? [];
    if (!rows.length) return '';
    const left = secondsLeft(rows, r.totalSteps, r.settings?.updatesPerStep);
    return left === null ? ' · warm-up (random actions)' : ` · about ${formatDuration(left)} left`;
  }

  /** The fine-tune row's controls, and its Settings (the parent's learner: networks locked). */
  private fineTuneControls(r: RunInfo): { inline: HTMLElement[]; settings: HTMLElement | null; button: HTMLButtonElement | null } {
    const sc = this.store.runScenario(r);
    const { robot, variants, tasks: others } = fineTuneTargets(r, sc, this.store.tasks);
    const out: HTMLElement[] = [];
    let settings: SettingsForm | null = null;
    let editor: VariantEditor | null = null;
    let ftButton: HTMLButtonElement | null = null;
    if (variants.length || others.length) {
      const options = variants.map((f) => h('option', { value: f.id }, `${f.id} (${f.task})`));
      const tasks = others.map((t) => h('option', { value: t.id, title: t.description }, t.id));
      const select = h(
        'select',
        { 'data-testid': 'finetune-variant' },
        ...(variants.length && tasks.length
          ? [
              h('optgroup', { label: `${sc!.title} variants` }, ...options),
              h('optgroup', { label: `other ${robot ?? ''} tasks` }, ...tasks),
            ]
          : [...options, ...tasks]),
      );
      const ft = h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'finetune-run',
          title: FINE_TUNE_TITLE,
        },
        'Fine-tune',
      );
      ftButton = ft;
      const resetAlpha = h('input', {
        type: 'checkbox',
        'data-testid': 'finetune-reset-alpha',
        title:
          "Restart the temperature α at its initial value instead of the parent's learned α, so the fine-tune explores again (helps where the new reward reverses the old one)",
      });
      const steps = h('input', {
        type: 'number',
        min: 1,
        step: 1000,
        'data-testid': 'finetune-steps',
        title: "The fine-tune's budget in env steps (the variant's, or for another task the parent's)",
      });
      // A user's own variant of the chosen target's task (starting from the scenario variant's values).
      editor = new VariantEditor(
        'finetune-variant-editor',
        'Fine-tune',
        (t) => usedVariants(this.store.runs.values(), t),
        this.api.variants,
      );
      // Ticked by default where the scenario's variant restarts α (cheetah backward); the user may untick it.
      const byDefault = (): void => {
        const v = variants.find((f) => f.id === select.value);
        resetAlpha.checked = v?.resetAlpha ?? false;
        steps.value = String(v?.steps ?? r.totalSteps);
        editor!.setTask(
          this.store.tasks.find((t) => t.id === (v?.task ?? select.value)),
          v?.variantSpec ?? null,
        );
      };
      select.addEventListener('change', byDefault);
      byDefault();
      const form = new SettingsForm('finetune-settings', r.settings, {
        keys: ['algo', 'policy', 'components', 'hidden'],
        why: "A fine-tune loads its parent's networks, so it keeps them.",
      });
      settings = form;
      const seeds = seedsInput(
        'finetune-seeds',
        r.seed,
        'One fine-tune per seed, e.g. 1 or 1,2,3 or 1-5 (they train side by side, up to Runs at once)',
      );
      const withScratch = h('input', {
        type: 'checkbox',
        'data-testid': 'finetune-with-scratch',
        title: 'Also train each fine-tune’s scratch control (same task, variant, config and seed, from nothing), overlaid on the charts',
      });
      ft.addEventListener('click', () => {
        const budget = Math.round(Number(steps.value));
        if (!Number.isFinite(budget) || budget < 1) {
          this.status.set('error', 'Fine-tune steps must be a positive whole number');
          steps.focus();
          return;
        }
        const list = readSeeds(seeds, this.status);
        if (!list) return;
        let learner: RunOverrides;
        let custom: Record<string, unknown> | undefined;
        try {
          learner = form.overrides();
          custom = editor!.variant();
        } catch (e) {
          this.status.set('error', errorMessage(e));
          return;
        }
        const variant = select.value;
        const scratch = withScratch.checked;
        const what = custom ? `${variant} (${String(custom.name)})` : variant;
        void this.startMany(
          `Starting ${list.length > 1 ? `${list.length} fine-tunes` : 'fine-tune'} ${what}${scratch ? ' and scratch controls' : ''}`,
          list,
          async (seed) => {
            const tuned = await this.api.fineTune(
              r.id,
              variant,
              { ...learner, resetAlpha: resetAlpha.checked, seed, steps: budget },
              custom,
            );
            return scratch ? [tuned, await this.api.startScratch(tuned.id)] : tuned;
          },
          r.id,
        );
      });
      out.push(
        labelled('Fine-tune on', select),
        labelled('reset α', resetAlpha),
        labelled('steps', steps),
        labelled('seeds', seeds),
        labelled('+ scratch', withScratch),
        ft,
      );
    }
    if (r.parentRunId) {
      // The control: same task, variant, config and seed trained from nothing, overlaid with
      // this fine-tune so the pretraining's head start shows on the charts.
      const scratch = h(
        'button',
        {
          type: 'button',
          'data-testid': 'scratch-run',
          title: 'Train the same task, variant, config and seed from scratch, overlaid with this fine-tune',
        },
        'Scratch control',
      );
      scratch.addEventListener('click', () => void this.act('Starting the scratch control', () => this.api.startScratch(r.id), r.id));
      out.push(scratch);
    }
    return { inline: out, settings: settings ? h('div', {}, settings.el, editor!.el) : null, button: ftButton };
  }

  /** "Name and notes": rename the run (blank: the name it was created with) and keep notes on it. */
  private labelEditor(r: RunInfo): HTMLElement {
    const name = h('input', { type: 'text', size: 40, maxlength: 200, value: r.name, 'data-testid': 'label-name' });
    const notes = h('textarea', { rows: 3, cols: 60, maxlength: 10_000, 'data-testid': 'label-notes' });
    notes.value = r.notes;
    const save = h('button', { type: 'button', 'data-testid': 'label-save' }, 'Save');
    save.addEventListener(
      'click',
      () => void this.act('Saving the name and notes', () => this.api.labelRun(r.id, { name: name.value, notes: notes.value })),
    );
    return h(
      'details',
      { class: 'settings', 'data-testid': 'label-editor' },
      h('summary', {}, 'Name and notes'),
      h('div', { class: 'row' }, labelled('Name', name)),
      labelled('Notes', notes),
      h('div', { class: 'row' }, save),
    );
  }

  /** Asks first (a modal dialog), then deletes the run folder; the studio refuses live runs. */
  private confirmDelete(id: string): void {
    const run = this.store.runs.get(id);
    if (!run) return;
    confirmDialog({
      title: `Delete ${run.name}?`,
      body: `The run folder is removed for good, with its checkpoints, metrics and videos: ${run.dir}`,
      confirm: 'Delete',
      prefix: 'delete',
      onConfirm: () =>
        void this.status
          .run(`Deleting ${run.name}`, () => this.api.deleteRun(id))
          .then((res) => {
            if (res) this.store.removeRun(id);
          }),
    });
  }

  /** Starts a run (or a fine-tune and its control) per seed: the first is selected, the rest and `compareWith` overlaid. */
  private async startMany(
    label: string,
    seeds: number[],
    start: (seed: number) => Promise<RunInfo | RunInfo[]>,
    compareWith: string,
  ): Promise<void> {
    const runs = await this.status.run(label, () => startEach(seeds, start));
    if (!runs) return;
    showStarted(this.store, runs, [compareWith]);
    const queued = queuedNote(runs);
    if (queued) this.status.set('ok', `Started. ${queued}`);
  }

  /** Runs an action; a returned new run is selected, and `compareWith` overlaid beside it. */
  private async act(label: string, fn: () => Promise<RunInfo>, compareWith?: string): Promise<void> {
    const before = this.store.selectedRunId;
    const res = await this.status.run(label, fn);
    if (!res) return;
    this.store.upsertRun(res);
    if (res.id !== before) {
      if (compareWith) this.store.toggleCompare(compareWith, true);
      this.store.select(res.id);
    }
  }
}
