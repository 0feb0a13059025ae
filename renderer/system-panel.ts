// System panel: numerical backend, device, versions and the studio's home directory.
import type { StudioApi, SystemInfo } from '../studio/api.ts';
import { h, setChildren } from './dom.ts';
import { CallStatus } from './status.ts';
import type { Store } from './store.ts';

export class SystemPanel {
  readonly status = new CallStatus('system-status');
  private readonly dl: HTMLDListElement;
  private info: SystemInfo | null = null;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
  ) {
    this.dl = h('dl', { class: 'kv', 'data-testid': 'system-info' });
    const refresh = h('button', { type: 'button', 'data-testid': 'system-refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    root.append(this.dl, h('div', { class: 'row' }, refresh, this.status.el));
    store.on('selection', () => this.render());
    store.on('runs', () => this.render());
  }

  async refresh(): Promise<void> {
    const info = await this.status.run('Loading system info', () => this.api.system.info());
    if (info) {
      this.info = info;
      this.render();
    }
  }

  private render(): void {
    const i = this.info;
    if (!i) return;
    const rows: [string, string][] = [
      ['backend', i.backend],
      ['device', i.device],
      ['platform', i.platform],
      ['home', i.home],
      ...Object.entries(i.versions).map(([k, v]): [string, string] => [k, v]),
    ];
    const sel = this.store.selected;
    if (sel) rows.push(['run dir', sel.dir]);
    setChildren(this.dl, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-key': k }, v)]));
  }
}
