// "Are you sure?" for what cannot be undone (deleting a run, a video): a modal <dialog> with
// Cancel focused first, so Enter or Escape keep things as they are.
import { h } from './dom.ts';

export interface ConfirmOptions {
  title: string;
  body: string;
  /** The danger button's label, e.g. "Delete". */
  confirm: string;
  /** Test ids: `${prefix}-dialog`, `${prefix}-cancel`, `${prefix}-confirm`. */
  prefix: string;
  onConfirm: () => void;
}

export function confirmDialog(o: ConfirmOptions): HTMLDialogElement {
  const cancel = h('button', { type: 'button', 'data-testid': `${o.prefix}-cancel`, autofocus: true }, 'Cancel');
  const confirm = h('button', { type: 'button', class: 'danger', 'data-testid': `${o.prefix}-confirm` }, o.confirm);
  const titleId = `${o.prefix}-title`;
  const dialog = h(
    'dialog',
    { class: 'confirm', 'data-testid': `${o.prefix}-dialog`, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, o.title),
    h('p', { class: 'meta' }, o.body),
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
    o.onConfirm();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
