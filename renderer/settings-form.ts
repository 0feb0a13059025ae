// A collapsible "Settings" form for the learner's hyperparameters (a scenario card, the custom-run
// card, a fine-tune): filled with the defaults it is given; overrides() returns only what the user
// changed. Locked fields are shown, not editable.
import type { RunOverrides, TrainSettings } from '../studio/api.ts';
import { h, labelled } from './dom.ts';
import { FIELDS, settingsOverrides, showValue, type FieldSpec } from './settings.ts';

type Control = HTMLInputElement | HTMLSelectElement;

export class SettingsForm {
  readonly el: HTMLDetailsElement;
  private readonly controls = new Map<FieldSpec['key'], Control>();

  /** Fields shown but not editable (a fine-tune keeps its parent's networks), with the reason. */
  private readonly locked: ReadonlySet<FieldSpec['key']>;

  /** The α shown while the algorithm is SQL (it starts there unless the user sets one). */
  private sqlAlpha: number | undefined;
  private shownAlgo = '';

  constructor(
    testPrefix: string,
    private defaults: TrainSettings,
    lock: { keys: FieldSpec['key'][]; why: string } | null = null,
    sqlAlpha?: number,
  ) {
    this.locked = new Set(lock?.keys ?? []);
    const grid = h('div', { class: 'settings-grid' });
    for (const spec of FIELDS) {
      const attrs = { 'data-testid': `${testPrefix}-${spec.key}`, title: spec.help };
      const c: Control =
        spec.kind === 'choice'
          ? h('select', attrs, ...spec.choices!.map((v) => h('option', { value: v }, v)))
          : spec.kind === 'bool'
            ? h('input', { ...attrs, type: 'checkbox' })
            : h('input', {
                ...attrs,
                type: 'text',
                size: spec.kind === 'layers' ? 10 : 7,
                inputmode: spec.kind === 'layers' ? 'text' : 'decimal',
              });
      if (this.locked.has(spec.key)) {
        c.disabled = true;
        c.title = `${spec.help}. ${lock!.why}`;
      }
      c.addEventListener('input', () => this.sync());
      c.addEventListener('change', () => this.sync());
      this.controls.set(spec.key, c);
      grid.append(labelled(spec.label, c));
    }
    const reset = h('button', { type: 'button', 'data-testid': `${testPrefix}-reset`, title: 'Back to the defaults' }, 'Defaults');
    reset.addEventListener('click', () => this.setDefaults(this.defaults));
    this.el = h('details', { class: 'settings', 'data-testid': testPrefix }, h('summary', {}, 'Settings'), grid, reset);
    this.setDefaults(defaults, sqlAlpha);
  }

  /** Fills every field with `d` (a new task's defaults, or Defaults pressed). */
  setDefaults(d: TrainSettings, sqlAlpha = this.sqlAlpha): void {
    this.defaults = d;
    this.sqlAlpha = sqlAlpha;
    for (const spec of FIELDS) {
      const c = this.controls.get(spec.key)!;
      const v = showValue(spec, d[spec.key]);
      if (c instanceof HTMLInputElement && c.type === 'checkbox') c.checked = v as boolean;
      else c.value = v as string;
    }
    this.sync();
  }

  /** The changed settings; throws, naming the field, on a bad entry (the field gets focus). */
  overrides(): RunOverrides {
    try {
      return this.read();
    } catch (e) {
      this.el.open = true;
      const bad = FIELDS.find((f) => (e as Error).message.startsWith(`${f.label}:`));
      if (bad) this.controls.get(bad.key)!.focus();
      throw e;
    }
  }

  /** The settings a run started now would train with: the defaults and what was changed. */
  effective(): TrainSettings {
    return { ...this.defaults, ...this.overrides() } as TrainSettings;
  }

  /** Greys out what the other choices make moot, and marks the summary while anything differs. */
  private sync(): void {
    const get = (k: FieldSpec['key']) => this.controls.get(k)!;
    const sql = get('algo').value === 'sql';
    this.followAlgo(get('algo').value, get('initAlpha') as HTMLInputElement);
    get('policy').disabled = sql || this.locked.has('policy');
    get('components').disabled = sql || get('policy').value !== 'mixture' || this.locked.has('components');
    get('particles').disabled = !sql || this.locked.has('particles');
    // SQL keeps α fixed at its initial value: nothing to tune.
    get('autoAlpha').disabled = sql || this.locked.has('autoAlpha');
    let changed = 0;
    try {
      changed = Object.keys(this.read()).length;
    } catch {
      changed = -1;
    }
    const summary = this.el?.querySelector('summary');
    if (summary)
      summary.textContent = changed === 0 ? 'Settings' : changed < 0 ? 'Settings (check the values)' : `Settings (${changed} changed)`;
  }

  /**
   * SAC and SQL start from different α (SQL's depends on the reward's scale): switching the
   * algorithm moves an untouched α field to the other one's default, so the form shows what the
   * run will train with.
   */
  private followAlgo(algo: string, alpha: HTMLInputElement): void {
    const was = this.shownAlgo;
    this.shownAlgo = algo;
    const sqlAlpha = this.sqlAlpha;
    if (!was || was === algo || sqlAlpha === undefined || this.defaults.algo !== 'sac') return;
    const alphaOf = (a: string) =>
      showValue(
        FIELDS.find((f) => f.key === 'initAlpha')!,
        a === 'sql' ? sqlAlpha : this.defaults.initAlpha,
      );
    if (alpha.value === alphaOf(was)) alpha.value = alphaOf(algo) as string;
  }

  private read(): RunOverrides {
    const raw: Record<string, string | boolean> = {};
    for (const [k, c] of this.controls) raw[k] = c instanceof HTMLInputElement && c.type === 'checkbox' ? c.checked : c.value;
    return settingsOverrides(raw, this.defaults);
  }
}
