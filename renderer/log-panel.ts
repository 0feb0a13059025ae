// Log panel: `log` events from the studio plus the UI's own notices, newest last, bounded.
import type { StudioApi } from '../studio/api.ts';
import { h } from './dom.ts';

const MAX = 200;

export class LogPanel {
  private readonly list: HTMLUListElement;

  constructor(root: HTMLElement, api: StudioApi) {
    this.list = h('ul', { class: 'log-list', 'data-testid': 'log', 'aria-label': 'Studio log', 'aria-live': 'polite' });
    root.append(this.list);
    api.on('log', (e) => this.add(e.level, e.runId ? `[${e.runId}] ${e.message}` : e.message));
  }

  add(level: 'info' | 'warn' | 'error', message: string): void {
    const t = new Date().toLocaleTimeString();
    this.list.append(h('li', { 'data-level': level }, `${t} ${message}`));
    while (this.list.childElementCount > MAX) this.list.firstElementChild?.remove();
    this.list.scrollTop = this.list.scrollHeight;
  }
}
