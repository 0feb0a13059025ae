// The selected run's page header: what it is, its progress, and the actions on it (pause/resume,
// stop, fine-tune on a variant, the scratch control of a fine-tune, delete).
import { taskLabel, type RunInfo, type RunOverrides, type StudioApi } from '../studio/api.ts';
import { errorMessage, fmt, fmtInt, h, labelled, setChildren } from './dom.ts';
import { fineTuneTargets } from './finetune-targets.ts';
import { siblingSeeds } from './seed-groups.ts';
import { describeSettings } from './settings.ts';
import { SettingsForm } from './settings-form.ts';
import { readSeeds, seedsInput, showStarted, startEach } from './start-seeds.ts';
import { CallStatus } from './status.ts';
import type { Store } from './store.ts';

const ACTIVE = new Set(['created', 'running', 'paused']);

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
    del: HTMLButtonElement;
    dir: HTMLElement;
    seeds: HTMLButtonElement;
    settings: HTMLElement;
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
        del: h('button', { type: 'button', 'data-testid': 'delete-run', title: 'Delete this run and its folder' }, 'Delete…'),
        dir: h('div', { class: 'meta', 'data-testid': 'run-dir' }),
        settings: h('div', { class: 'meta', 'data-testid': 'run-settings' }),
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
        const resume = cur.status === 'paused';
        void this.act(resume ? 'Resuming' : 'Pausing', () => (resume ? this.api.resume(id) : this.api.pause(id)));
      });
      refs.stop.addEventListener('click', () => void this.act('Stopping', () => this.api.stop(id)));
      refs.del.addEventListener('click', () => this.confirmDelete(id));
      refs.seeds.addEventListener('click', () => {
        const cur = this.store.runs.get(id);
        if (!cur) return;
        for (const o of siblingSeeds(cur, this.store.runs.values())) this.store.toggleCompare(o.id, true);
        this.store.setGroupSeeds(true);
      });
      this.refs = refs;
      const ft = this.fineTuneControls(r);
      setChildren(
        this.body,
        h('div', { class: 'row' }, h('h2', { 'data-testid': 'run-title', style: 'margin:0' }, r.name), refs.state),
        refs.meta,
        refs.settings,
        refs.progress,
        refs.error,
        h('div', { class: 'row' }, refs.pause, refs.stop, ...ft.inline, refs.seeds, refs.del),
        ft.settings,
        refs.dir,
      );
    }
    const f = this.refs;
    const frac = r.totalSteps > 0 ? Math.min(1, r.step / r.totalSteps) : 0;
    const active = ACTIVE.has(r.status);
    const parent = r.parentRunId ? (this.store.runs.get(r.parentRunId)?.name ?? r.parentRunId) : null;
    f.state.textContent = r.status;
    f.state.dataset.status = r.status;
    f.meta.textContent = `${taskLabel(r)} · ${r.algo} · seed ${r.seed} · backend ${r.backend || '–'} · ${fmtInt(r.step)} / ${fmtInt(r.totalSteps)} steps · last return ${fmt(r.lastReturn)}${parent ? ` · fine-tuned from ${parent}` : ''}${r.elsewhere ? ' · trained by another process' : ''}`;
    f.bar.style.width = `${(frac * 100).toFixed(1)}%`;
    f.progress.setAttribute('aria-valuenow', String(Math.round(frac * 100)));
    f.error.hidden = !r.error;
    f.error.textContent = r.error ?? '';
    // A run another process trains (a terminal's `maxent train`) is followed here, not controlled.
    const elsewhere = r.elsewhere ? 'Trained by another process (e.g. maxent train in a terminal): pause or stop it there' : '';
    f.pause.disabled = !active || r.elsewhere;
    f.pause.textContent = r.status === 'paused' ? 'Resume' : 'Pause';
    f.pause.dataset.testid = r.status === 'paused' ? 'resume-run' : 'pause-run';
    f.stop.disabled = !active || r.elsewhere;
    f.pause.title = f.stop.title = elsewhere;
    f.dir.textContent = `dir: ${r.dir}`;
    f.settings.textContent = describeSettings(r.settings);
    const others = siblingSeeds(r, this.store.runs.values());
    f.seeds.hidden = others.length === 0;
    f.seeds.textContent = `Overlay seeds (${others.length + 1})`;
    f.seeds.setAttribute('aria-label', `Overlay this run's other seeds: ${others.map((o) => o.seed).join(', ')}`);
  }

  /** The fine-tune row's controls, and its Settings (the parent's learner: networks locked). */
  private fineTuneControls(r: RunInfo): { inline: HTMLElement[]; settings: HTMLElement | null } {
    const sc = this.store.runScenario(r);
    const { robot, variants, tasks: others } = fineTuneTargets(r, sc, this.store.tasks);
    const out: HTMLElement[] = [];
    let settings: SettingsForm | null = null;
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
          title: 'Start a new run from this run’s latest checkpoint on the chosen variant or task',
        },
        'Fine-tune',
      );
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
      // Ticked by default where the scenario's variant restarts α (cheetah backward); the user may untick it.
      const byDefault = (): void => {
        const v = variants.find((f) => f.id === select.value);
        resetAlpha.checked = v?.resetAlpha ?? false;
        steps.value = String(v?.steps ?? r.totalSteps);
      };
      select.addEventListener('change', byDefault);
      byDefault();
      const form = new SettingsForm('finetune-settings', r.settings, {
        keys: ['algo', 'policy', 'components', 'hidden'],
        why: "A fine-tune loads its parent's networks, so it keeps them.",
      });
      settings = form;
      const seeds = seedsInput('finetune-seeds', r.seed, 'One fine-tune per seed, e.g. 1 or 1,2,3 or 1-5 (they train at the same time)');
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
        try {
          learner = form.overrides();
        } catch (e) {
          this.status.set('error', errorMessage(e));
          return;
        }
        const variant = select.value;
        const scratch = withScratch.checked;
        void this.startMany(
          `Starting ${list.length > 1 ? `${list.length} fine-tunes` : 'fine-tune'} ${variant}${scratch ? ' and scratch controls' : ''}`,
          list,
          async (seed) => {
            const tuned = await this.api.fineTune(r.id, variant, { ...learner, resetAlpha: resetAlpha.checked, seed, steps: budget });
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
    return { inline: out, settings: settings?.el ?? null };
  }

  /** Asks first (a modal dialog), then deletes the run folder; the studio refuses live runs. */
  private confirmDelete(id: string): void {
    const run = this.store.runs.get(id);
    if (!run) return;
    const cancel = h('button', { type: 'button', 'data-testid': 'delete-cancel', autofocus: true }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger', 'data-testid': 'delete-confirm' }, 'Delete');
    const dialog = h(
      'dialog',
      { class: 'confirm', 'data-testid': 'delete-dialog', 'aria-labelledby': 'delete-title' },
      h('h3', { id: 'delete-title' }, `Delete ${run.name}?`),
      h('p', { class: 'meta' }, `The run folder is removed for good, with its checkpoints, metrics and videos: ${run.dir}`),
      h('div', { class: 'row' }, cancel, confirm),
    );
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', () => dialog.remove());
    confirm.addEventListener('click', () => {
      close();
      void this.status
        .run(`Deleting ${run.name}`, () => this.api.deleteRun(id))
        .then((res) => {
          if (res) this.store.removeRun(id);
        });
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  /** Starts a run (or a fine-tune and its control) per seed: the first is selected, the rest and `compareWith` overlaid. */
  private async startMany(
    label: string,
    seeds: number[],
    start: (seed: number) => Promise<RunInfo | RunInfo[]>,
    compareWith: string,
  ): Promise<void> {
    const runs = await this.status.run(label, () => startEach(seeds, start));
    if (runs) showStarted(this.store, runs, [compareWith]);
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
