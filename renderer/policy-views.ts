// Policy views, the point of the studio: stochastic/deterministic switch with a sampling
// temperature, ghost rollouts (K sampled futures from the current state drawn in the 3-D view),
// and the action cloud (K sampled actions on two action dimensions over exp(Q/alpha)).
import type { ActionSamples, QLandscape, StudioApi, ViewerState } from '../studio/api.ts';
import { h, labelled, setChildren } from './dom.ts';
import { CallStatus } from './status.ts';
import type { ViewerPanel } from './viewer.ts';

// A perceptual-ish dark-to-bright ramp (viridis stops) for the Q heat map.
const RAMP: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function ramp(t: number, out: Uint8ClampedArray, o: number): void {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  out[o] = a[0] + (b[0] - a[0]) * f;
  out[o + 1] = a[1] + (b[1] - a[1]) * f;
  out[o + 2] = a[2] + (b[2] - a[2]) * f;
  out[o + 3] = 255;
}

export class PolicyViews {
  readonly modeStatus = new CallStatus('mode-status');
  readonly ghostStatus = new CallStatus('ghost-status');
  readonly cloudStatus = new CallStatus('cloud-status');
  private readonly stochastic: HTMLInputElement;
  private readonly deterministic: HTMLInputElement;
  private readonly temperature: HTMLInputElement;
  private readonly temperatureOut: HTMLOutputElement;
  private readonly ghostK: HTMLInputElement;
  private readonly ghostHorizon: HTMLInputElement;
  private readonly ghostFromStart: HTMLInputElement;
  private fromStartTouched = false;
  private ghostTask = '';
  private readonly dimA: HTMLSelectElement;
  private readonly dimB: HTMLSelectElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cloudCaption: HTMLElement;
  private modeTimer: ReturnType<typeof setTimeout> | null = null;
  private autoTimer: ReturnType<typeof setInterval> | null = null;
  private ghostBusy = false;
  private actionNames: string[] = [];

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly viewer: ViewerPanel,
  ) {
    // Mode + temperature.
    this.stochastic = h('input', {
      type: 'radio',
      name: 'policy-mode',
      value: 'stochastic',
      checked: true,
      'data-testid': 'mode-stochastic',
    });
    this.deterministic = h('input', { type: 'radio', name: 'policy-mode', value: 'deterministic', 'data-testid': 'mode-deterministic' });
    this.temperature = h('input', { type: 'range', min: 0, max: 2, step: 0.05, value: 1, 'data-testid': 'temperature' });
    this.temperatureOut = h('output', { 'data-testid': 'temperature-value' }, '1.00');
    for (const r of [this.stochastic, this.deterministic]) r.addEventListener('change', () => this.sendMode(0));
    this.temperature.addEventListener('input', () => {
      this.temperatureOut.textContent = Number(this.temperature.value).toFixed(2);
      this.sendMode(200);
    });
    root.append(
      h(
        'div',
        { class: 'policy-block' },
        h(
          'fieldset',
          {},
          h('legend', {}, 'Action selection'),
          labelled('Stochastic', this.stochastic),
          ' ',
          labelled('Deterministic (mean)', this.deterministic),
        ),
        h('div', { class: 'row' }, labelled('Sampling temperature', this.temperature), this.temperatureOut),
        this.modeStatus.el,
      ),
    );

    // Ghost rollouts.
    this.ghostK = h('input', { type: 'number', min: 1, max: 64, value: 16, 'data-testid': 'ghost-k' });
    this.ghostHorizon = h('input', { type: 'number', min: 1, max: 1000, value: 30, 'data-testid': 'ghost-horizon' });
    // From a fresh episode start every future begins at the same point, so a multimodal policy
    // visibly fans out toward its modes; on by default for point tasks, where that is the story.
    this.ghostFromStart = h('input', { type: 'checkbox', checked: true, 'data-testid': 'ghost-from-start' });
    this.ghostFromStart.addEventListener('change', () => (this.fromStartTouched = true));
    const show = h('button', { type: 'button', class: 'primary', 'data-testid': 'show-ghosts' }, 'Show ghosts');
    show.addEventListener('click', () => void this.ghosts());
    const clear = h('button', { type: 'button', 'data-testid': 'clear-ghosts' }, 'Clear');
    clear.addEventListener('click', () => {
      this.viewer.scene.clearGhosts();
      this.ghostStatus.set('idle', '');
    });
    const auto = h('input', { type: 'checkbox', 'data-testid': 'ghost-auto' });
    auto.addEventListener('change', () => {
      if (this.autoTimer) clearInterval(this.autoTimer);
      this.autoTimer = auto.checked ? setInterval(() => void this.ghosts(), 1500) : null;
      if (auto.checked) void this.ghosts();
    });
    root.append(
      h(
        'div',
        { class: 'policy-block' },
        h('h3', {}, 'Ghost rollouts'),
        h(
          'p',
          { class: 'meta', style: 'margin:0' },
          'K sampled futures from the current state (or a fresh episode start): several distinct trails mean a multimodal policy.',
        ),
        h(
          'div',
          { class: 'row' },
          labelled('K', this.ghostK),
          labelled('Horizon', this.ghostHorizon),
          labelled('From episode start', this.ghostFromStart),
        ),
        h('div', { class: 'row' }, show, clear, labelled('Auto', auto)),
        this.ghostStatus.el,
      ),
    );

    // Action cloud.
    this.dimA = h('select', { 'data-testid': 'cloud-dim-a' });
    this.dimB = h('select', { 'data-testid': 'cloud-dim-b' });
    this.canvas = h('canvas', {
      class: 'cloud',
      width: 280,
      height: 280,
      'data-testid': 'action-cloud',
      'data-samples': 0,
      role: 'img',
      'aria-label': 'Sampled actions over the Q landscape',
    });
    this.cloudCaption = h('div', { class: 'meta' });
    const refresh = h('button', { type: 'button', 'data-testid': 'cloud-refresh' }, 'Sample actions');
    refresh.addEventListener('click', () => void this.cloud());
    root.append(
      h(
        'div',
        { class: 'policy-block' },
        h('h3', {}, 'Action cloud'),
        h('div', { class: 'row' }, labelled('x', this.dimA), labelled('y', this.dimB), refresh),
        this.canvas,
        this.cloudCaption,
        this.cloudStatus.el,
      ),
    );
    this.drawCloud(null, null);
    viewer.onState((s) => this.sync(s));
  }

  private sync(s: ViewerState): void {
    if (s.spec.id !== this.ghostTask) {
      this.ghostTask = s.spec.id;
      if (!this.fromStartTouched) this.ghostFromStart.checked = s.spec.id.startsWith('point/');
    }
    if (this.viewer.scene.ghostCount() === 0 && this.ghostStatus.el.dataset.state === 'ok') this.ghostStatus.set('idle', '');
    this.stochastic.checked = s.mode === 'stochastic';
    this.deterministic.checked = s.mode === 'deterministic';
    this.temperature.value = String(s.temperature);
    this.temperatureOut.textContent = s.temperature.toFixed(2);
    this.temperature.disabled = s.mode === 'deterministic';
    const names = s.spec.actionNames.length ? s.spec.actionNames : Array.from({ length: s.spec.actDim }, (_, i) => `a${i}`);
    if (names.join('|') !== this.actionNames.join('|')) {
      this.actionNames = names;
      const opts = (sel: number) => names.map((n, i) => h('option', { value: i, selected: i === sel }, `${i}: ${n}`));
      setChildren(this.dimA, ...opts(0));
      setChildren(this.dimB, ...opts(Math.min(1, names.length - 1)));
      this.drawCloud(null, null);
    }
  }

  private sendMode(delay: number): void {
    if (this.modeTimer) clearTimeout(this.modeTimer);
    this.temperature.disabled = this.deterministic.checked;
    this.modeTimer = setTimeout(async () => {
      this.modeTimer = null;
      const mode = this.deterministic.checked ? 'deterministic' : 'stochastic';
      const s = await this.modeStatus.run(
        'Switching policy mode',
        () => this.api.viewer.setMode(mode, Number(this.temperature.value)),
        `${mode}`,
      );
      if (s) this.viewer.applyState(s);
    }, delay);
  }

  private async ghosts(): Promise<void> {
    if (this.ghostBusy) return;
    const k = Math.round(Number(this.ghostK.value));
    const horizon = Math.round(Number(this.ghostHorizon.value));
    if (!(k >= 1 && k <= 64) || !(horizon >= 1 && horizon <= 1000)) {
      this.ghostStatus.set('error', 'K must be 1–64 and the horizon 1–1000');
      return;
    }
    this.ghostBusy = true;
    const from = this.ghostFromStart.checked ? 'start' : 'current';
    const g = await this.ghostStatus.run('Rolling out ghosts', () => this.api.viewer.ghosts(k, horizon, from));
    this.ghostBusy = false;
    if (g) {
      this.viewer.scene.setGhosts(g);
      this.ghostStatus.set(
        'ok',
        `${g.trails.length} futures from the ${from === 'start' ? 'episode start' : 'current state'}, end points up to ${this.viewer.scene.ghostSpread().toFixed(2)} m apart`,
      );
    }
  }

  private async cloud(): Promise<void> {
    const a = Number(this.dimA.value || 0);
    const b = Number(this.dimB.value || 0);
    const res = await this.cloudStatus.run('Sampling actions', () =>
      Promise.all([this.api.viewer.actionSamples(256), this.api.viewer.qLandscape(a, b, 48)]),
    );
    if (res) this.drawCloud(res[0], res[1]);
  }

  private drawCloud(samples: ActionSamples | null, q: QLandscape | null): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const W = this.canvas.width;
    const H = this.canvas.height;
    ctx.fillStyle = '#0e1014';
    ctx.fillRect(0, 0, W, H);
    if (q && q.grid > 1 && q.q.length >= q.grid * q.grid) {
      // exp((Q - max Q) / alpha): the Boltzmann policy's unnormalised density, in (0, 1].
      const n = q.grid;
      let max = -Infinity;
      for (const v of q.q) if (v > max) max = v;
      const alpha = q.alpha > 0 && Number.isFinite(q.alpha) ? q.alpha : 1;
      const img = new ImageData(n, n);
      for (let row = 0; row < n; row++) {
        for (let col = 0; col < n; col++) {
          const v = Math.exp((q.q[row * n + col]! - max) / alpha);
          // Row 0 is b = -1: draw it at the bottom.
          ramp(v, img.data, ((n - 1 - row) * n + col) * 4);
        }
      }
      const tmp = document.createElement('canvas');
      tmp.width = n;
      tmp.height = n;
      tmp.getContext('2d')?.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tmp, 0, 0, W, H);
      this.cloudCaption.textContent = `heat: exp(Q/α), α = ${alpha.toPrecision(3)}; dots: sampled actions`;
    } else {
      this.cloudCaption.textContent = 'Press “Sample actions” to draw the policy’s samples over its Q landscape.';
    }
    // Axes at a = 0 and b = 0.
    ctx.strokeStyle = 'rgba(255,255,255,0.25)';
    ctx.beginPath();
    ctx.moveTo(W / 2, 0);
    ctx.lineTo(W / 2, H);
    ctx.moveTo(0, H / 2);
    ctx.lineTo(W, H / 2);
    ctx.stroke();
    let count = 0;
    if (samples && samples.actDim > 0) {
      const a = Number(this.dimA.value || 0);
      const b = Number(this.dimB.value || 0);
      ctx.fillStyle = 'rgba(255,255,255,0.8)';
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      for (let i = 0; i + samples.actDim <= samples.actions.length; i += samples.actDim) {
        const x = ((samples.actions[i + a]! + 1) / 2) * W;
        const y = (1 - (samples.actions[i + b]! + 1) / 2) * H;
        ctx.beginPath();
        ctx.arc(x, y, 2.5, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
        count++;
      }
    }
    this.canvas.dataset.samples = String(count);
    ctx.fillStyle = '#cfd6e2';
    ctx.font = '11px system-ui, sans-serif';
    // Right-aligned at the right edge: long joint names ("front_left_hip") stay inside the plot.
    ctx.textAlign = 'right';
    ctx.fillText(this.actionNames[Number(this.dimA.value || 0)] ?? 'a0', W - 4, H / 2 - 4);
    ctx.textAlign = 'left';
    ctx.fillText(this.actionNames[Number(this.dimB.value || 0)] ?? 'a1', W / 2 + 4, 12);
  }
}
