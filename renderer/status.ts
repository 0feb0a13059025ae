// Loading and error state for every call: a status element shows "loading" while a call is in
// flight and the error message (role=alert) when it fails. Errors are shown, not thrown, so a
// failed call never becomes an unhandled rejection (which would be a console error).
import { errorMessage, h } from './dom.ts';

export class CallStatus {
  readonly el: HTMLElement;
  private seq = 0;

  constructor(testId: string) {
    this.el = h('div', { class: 'status', 'data-testid': testId, 'data-state': 'idle', role: 'status', 'aria-live': 'polite' });
  }

  /** Runs fn with the status showing `label…`; returns its result, or undefined if it failed. */
  async run<T>(label: string, fn: () => Promise<T>, okText = ''): Promise<T | undefined> {
    const seq = ++this.seq;
    this.set('loading', `${label}…`);
    try {
      const v = await fn();
      if (seq === this.seq) this.set(okText ? 'ok' : 'idle', okText);
      return v;
    } catch (e) {
      if (seq === this.seq) this.set('error', `${label} failed: ${errorMessage(e)}`);
      return undefined;
    }
  }

  set(state: 'idle' | 'loading' | 'ok' | 'error', text: string): void {
    this.el.dataset.state = state;
    this.el.textContent = text;
    // An error is announced at once; progress updates are polite.
    if (state === 'error') this.el.setAttribute('role', 'alert');
    else this.el.setAttribute('role', 'status');
  }
}
