// Tiny DOM helpers: the UI is a handful of panels, so a hyperscript function is all we need.

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element; attributes go through setAttribute (false/null/undefined are omitted). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces all children. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let uid = 0;
/** Unique id for label/for pairs. */
export function nextId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

/** A labelled control: returns the wrapper and the control. */
export function labelled<T extends HTMLElement>(text: string, control: T): HTMLLabelElement {
  if (!control.id) control.id = nextId('ctl');
  const label = h('label', { for: control.id }, text + ' ');
  label.append(control);
  return label;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(digits);
  return v.toFixed(a >= 100 ? 0 : digits);
}

export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}
