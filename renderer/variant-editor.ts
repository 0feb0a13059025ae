// "Custom variant": a collapsible editor of a user's variant of a task (its parameters, friction,
// mass and actuator scales, obstacles or goals), beside Fine-tune and on the Any task card. Open,
// it is what the run trains on; closed, the chosen task or scenario variant as is. Built from the
// task's VariantSchemaInfo; the JSON it sends is shown as it is typed.
import type { TaskInfo } from '../studio/api.ts';
import { h, labelled, setChildren } from './dom.ts';
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

  /** What "Start from" offers: value → variant JSON. */
  private choices = new Map<string, unknown>();

  constructor(
    private readonly testPrefix: string,
    /** The button it feeds, for the summary ("used by Fine-tune"). */
    private readonly usedBy: string,
    /** The users' variants that runs of a task trained on, to start from again. */
    private readonly used: (task: string) => { name: string; json: unknown }[] = () => [],
  ) {
    this.name = h('input', {
      type: 'text',
      size: 14,
      value: 'custom',
      'data-testid': `${testPrefix}-name`,
      title: 'A name for the variant (runs show it)',
    });
    this.from = h('select', { 'data-testid': `${testPrefix}-from`, title: "Fill the fields from the task's built-in variant" });
    this.from.addEventListener('change', () => this.fill(this.from.value ? this.choices.get(this.from.value) : undefined));
    this.grid = h('div', { class: 'settings-grid' });
    this.preview = h('pre', { class: 'variant-json', 'data-testid': `${testPrefix}-json` });
    this.summary = h('summary', {});
    this.el = h(
      'details',
      { class: 'settings variant-editor', 'data-testid': testPrefix },
      this.summary,
      h('div', { class: 'row' }, labelled('Name', this.name), labelled('Start from', this.from)),
      this.grid,
      this.preview,
    );
    this.el.addEventListener('toggle', () => {
      if (this.el.open) this.fillFrom(); // runs may have trained on new variants since
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
      this.fillFrom();
      this.el.hidden = this.fields.length === 0;
    }
    if (!same || startFrom !== undefined) {
      const value = typeof startFrom === 'string' ? `builtin:${startFrom}` : '';
      this.from.value = this.choices.has(value) ? value : '';
      this.fill(task ? startingVariant(task.variantSchema, startFrom) : undefined);
    }
  }

  /** "Start from": the task as is, its built-in variants, and the variants its runs trained on. */
  private fillFrom(): void {
    const keep = this.from.value;
    const named = this.task?.variantSchema.named ?? [];
    const used = this.task ? this.used(this.task.id) : [];
    this.choices = new Map<string, unknown>([
      ...named.map((n): [string, unknown] => [`builtin:${n.name}`, { name: n.name, json: n.json }]),
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
      used.length
        ? h(
            'optgroup',
            { label: 'trained on by runs' },
            ...used.map((u, i) => h('option', { value: `run:${i}`, title: JSON.stringify(u.json) }, u.name)),
          )
        : null,
    );
    this.from.value = this.choices.has(keep) ? keep : '';
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
