// "Custom variant": a collapsible editor of a user's variant of a task (its parameters, friction,
// mass and actuator scales, obstacles or goals), beside Fine-tune and on the Any task card. Open,
// it is what the run trains on; closed, the chosen task or scenario variant as is. Built from the
// task's VariantSchemaInfo; the JSON it sends is shown as it is typed. Save keeps it by name for
// the task (<home>/variants/, a file `maxent train --variant` reads); saved ones are offered in
// Start from, and Forget removes one.
import type { SavedVariant, StudioApi, TaskInfo } from '../studio/api.ts';
import { errorMessage, h, labelled, setChildren } from './dom.ts';
import { fieldsFromVariant, startingVariant, variantFields, variantFromFields, type VariantField } from './variant-form.ts';

type Input = HTMLInputElement | HTMLTextAreaElement;

export class VariantEditor {
  readonly el: HTMLDetailsElement;
  private task: TaskInfo | undefined;
  private fields: VariantField[] = [];
  private readonly inputs = new Map<string, Input>();
  private readonly grid: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly from: HTMLSelectElement;
  private readonly preview: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly forgetButton: HTMLButtonElement;
  private readonly savedStatus: HTMLElement;
  /** The current task's saved variants, as last listed. */
  private saved: SavedVariant[] = [];

  /** What "Start from" offers: value → variant JSON. */
  private choices = new Map<string, unknown>();

  constructor(
    private readonly testPrefix: string,
    /** The button it feeds, for the summary ("used by Fine-tune"). */
    private readonly usedBy: string,
    /** The users' variants that runs of a task trained on, to start from again. */
    private readonly used: (task: string) => { name: string; json: unknown }[] = () => [],
    /** Where variants are saved by name; without it there is no Save. */
    private readonly store?: StudioApi['variants'],
  ) {
    this.name = h('input', {
      type: 'text',
      size: 14,
      value: 'custom',
      'data-testid': `${testPrefix}-name`,
      title: 'A name for the variant (runs show it)',
    });
    this.from = h('select', { 'data-testid': `${testPrefix}-from`, title: "Fill the fields from the task's built-in variant" });
    this.from.addEventListener('change', () => {
      this.fill(this.from.value ? this.choices.get(this.from.value) : undefined);
      this.forgetButton.disabled = !this.from.value.startsWith('saved:');
    });
    this.saveButton = h(
      'button',
      { type: 'button', 'data-testid': `${testPrefix}-save`, title: 'Keep this variant by its name, to start from it again' },
      'Save',
    );
    this.saveButton.addEventListener('click', () => void this.save());
    this.forgetButton = h(
      'button',
      { type: 'button', 'data-testid': `${testPrefix}-forget`, title: 'Remove the saved variant chosen in Start from', disabled: true },
      'Forget',
    );
    this.forgetButton.addEventListener('click', () => void this.forget());
    this.savedStatus = h('span', { class: 'meta', 'data-testid': `${testPrefix}-saved-status`, role: 'status' });
    this.grid = h('div', { class: 'settings-grid' });
    this.preview = h('pre', { class: 'variant-json', 'data-testid': `${testPrefix}-json` });
    this.summary = h('summary', {});
    this.el = h(
      'details',
      { class: 'settings variant-editor', 'data-testid': testPrefix },
      this.summary,
      h(
        'div',
        { class: 'row' },
        labelled('Name', this.name),
        labelled('Start from', this.from),
        ...(store ? [this.saveButton, this.forgetButton, this.savedStatus] : []),
      ),
      this.grid,
      this.preview,
    );
    this.el.addEventListener('toggle', () => {
      if (this.el.open) {
        this.fillFrom(); // runs may have trained on new variants since
        void this.listSaved();
      }
      this.sync();
    });
    this.name.addEventListener('input', () => this.sync());
    this.sync();
  }

  /**
   * Shows the fields of `task` (kept as typed while the task stays); `startFrom`, a variant as a
   * run or scenario holds it (a built-in's name or JSON; null: the task as is), fills them.
   */
  setTask(task: TaskInfo | undefined, startFrom?: unknown): void {
    const same = task?.id === this.task?.id;
    this.task = task;
    if (!same) {
      const s = task?.variantSchema;
      this.fields = s ? variantFields(s) : [];
      this.inputs.clear();
      setChildren(
        this.grid,
        ...this.fields.map((f) => {
          const attrs = { 'data-testid': `${this.testPrefix}-${f.key}`, title: f.help, placeholder: f.placeholder };
          const input: Input =
            f.kind === 'json'
              ? h('textarea', { ...attrs, rows: 2, cols: 36, spellcheck: 'false' })
              : h('input', { ...attrs, type: 'text', inputmode: 'decimal', size: 7 });
          input.addEventListener('input', () => this.sync());
          this.inputs.set(f.key, input);
          return labelled(f.label, input);
        }),
      );
      this.saved = [];
      this.savedStatus.textContent = '';
      this.fillFrom();
      if (this.el.open) void this.listSaved();
      this.el.hidden = this.fields.length === 0;
    }
    if (!same || startFrom !== undefined) {
      const value = typeof startFrom === 'string' ? `builtin:${startFrom}` : '';
      this.from.value = this.choices.has(value) ? value : '';
      this.fill(task ? startingVariant(task.variantSchema, startFrom) : undefined);
    }
  }

  /** "Start from": the task as is, its built-in variants, the saved ones, and the variants its runs trained on. */
  private fillFrom(): void {
    const keep = this.from.value;
    const named = this.task?.variantSchema.named ?? [];
    const used = this.task ? this.used(this.task.id) : [];
    const saved = this.saved;
    this.choices = new Map<string, unknown>([
      ...named.map((n): [string, unknown] => [`builtin:${n.name}`, { name: n.name, json: n.json }]),
      ...saved.map((v): [string, unknown] => [`saved:${v.name}`, { name: v.name, json: v.json }]),
      ...used.map((u, i): [string, unknown] => [`run:${i}`, u]),
    ]);
    setChildren(
      this.from,
      h('option', { value: '' }, 'the task as is'),
      named.length
        ? h(
            'optgroup',
            { label: 'built in' },
            ...named.map((n) => h('option', { value: `builtin:${n.name}`, title: n.description }, `${n.name}: ${n.description}`)),
          )
        : null,
      saved.length
        ? h(
            'optgroup',
            { label: 'saved' },
            ...saved.map((v) => h('option', { value: `saved:${v.name}`, title: `${v.file}\n${JSON.stringify(v.json)}` }, v.name)),
          )
        : null,
      used.length
        ? h(
            'optgroup',
            { label: 'trained on by runs' },
            ...used.map((u, i) => h('option', { value: `run:${i}`, title: JSON.stringify(u.json) }, u.name)),
          )
        : null,
    );
    this.from.value = this.choices.has(keep) ? keep : '';
    this.forgetButton.disabled = !this.from.value.startsWith('saved:');
  }

  /** Lists the task's saved variants into Start from; a damaged file is named, not hidden. */
  private async listSaved(): Promise<void> {
    const task = this.task;
    if (!this.store || !task) return;
    try {
      const { variants, problems } = await this.store.list(task.id);
      if (this.task !== task) return; // the task changed meanwhile
      this.saved = variants;
      this.fillFrom();
      if (problems.length) this.showSaved('error', `Not listed: ${problems.join('; ')}`);
    } catch (e) {
      this.showSaved('error', `Listing saved variants failed: ${errorMessage(e)}`);
    }
  }

  private async save(): Promise<void> {
    if (!this.store || !this.task) return;
    try {
      const v = variantFromFields(this.task.variantSchema, this.name.value, this.values());
      const saved = await this.store.save(this.task.id, v);
      await this.listSaved();
      this.from.value = `saved:${saved.name}`;
      this.forgetButton.disabled = false;
      this.showSaved('ok', `Saved as ${saved.file}`);
    } catch (e) {
      this.showSaved('error', `Save failed: ${errorMessage(e)}`);
    }
  }

  private async forget(): Promise<void> {
    const name = this.from.value.startsWith('saved:') ? this.from.value.slice('saved:'.length) : '';
    if (!this.store || !this.task || !name) return;
    try {
      await this.store.remove(this.task.id, name);
      this.from.value = '';
      await this.listSaved();
      this.showSaved('ok', `Forgot "${name}" (the fields keep it until you change them)`);
    } catch (e) {
      this.showSaved('error', `Forget failed: ${errorMessage(e)}`);
    }
  }

  private showSaved(state: 'ok' | 'error', text: string): void {
    this.savedStatus.dataset.state = state;
    this.savedStatus.textContent = text;
  }

  /** The variant to train on: undefined while the editor is closed. Throws naming a bad field (which gets focus). */
  variant(): Record<string, unknown> | undefined {
    if (!this.el.open || !this.task) return undefined;
    try {
      return variantFromFields(this.task.variantSchema, this.name.value, this.values());
    } catch (e) {
      const bad = this.fields.find((f) => (e as Error).message.startsWith(`${f.label}:`));
      if (bad) this.inputs.get(bad.key)!.focus();
      throw new Error(`Custom variant: ${(e as Error).message}`);
    }
  }

  private values(): Record<string, string> {
    return Object.fromEntries([...this.inputs].map(([k, i]) => [k, i.value]));
  }

  private fill(from: unknown): void {
    if (!this.task) return;
    const v = from as { name: string; json: unknown } | undefined;
    const values = fieldsFromVariant(this.task.variantSchema, v?.json);
    for (const [k, i] of this.inputs) i.value = values[k] ?? '';
    this.name.value = v ? v.name : 'custom';
    this.sync();
  }

  private sync(): void {
    const open = this.el.open;
    this.summary.textContent = open ? `Custom variant (${this.usedBy} trains on it)` : 'Custom variant…';
    if (!open || !this.task) return;
    try {
      this.preview.textContent = JSON.stringify(variantFromFields(this.task.variantSchema, this.name.value, this.values()));
      this.preview.dataset.state = 'ok';
    } catch (e) {
      this.preview.textContent = (e as Error).message;
      this.preview.dataset.state = 'bad';
    }
  }
}
