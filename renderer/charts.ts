// Live training charts (uPlot): one small plot per metric, every shown run as a series (the
// selected run plus the comparison set: pretrained vs scratch overlays), EMA smoothing, and a
// steps-to-threshold table. Redraws are throttled; metric events can arrive many per second.
import uPlot from 'uplot';
import type { MetricRow } from '../studio/api.ts';
import { fmt, fmtInt, h, labelled, setChildren } from './dom.ts';
import { smooth } from './series.ts';
import { COMPARE_WINDOW, stepsToThreshold } from '../studio/compare.ts';
import type { Store } from './store.ts';

type MetricKey = Exclude<keyof MetricRow, 'step' | 'time' | 'episodes'>;

export const METRICS: { key: MetricKey; title: string }[] = [
  { key: 'episodeReturn', title: 'Episode return' },
  { key: 'episodeLength', title: 'Episode length' },
  { key: 'entropy', title: 'Policy entropy' },
  { key: 'alpha', title: 'Temperature α' },
  { key: 'qLoss', title: 'Q loss' },
  { key: 'policyLoss', title: 'Policy loss' },
  { key: 'envStepsPerSec', title: 'Env steps / s' },
  { key: 'updatesPerSec', title: 'Updates / s' },
];

export const PALETTE = ['#4fa3ff', '#ff9f43', '#4cc38a', '#e05dd8', '#f5d547', '#ff6b6b', '#7fdbda', '#b39ddb'];

interface Plot {
  key: MetricKey;
  box: HTMLElement;
  plotEl: HTMLElement;
  empty: HTMLElement;
  u: uPlot | null;
}

export class ChartsPanel {
  private readonly plots: Plot[] = [];
  private smoothing = 0.6;
  private threshold: number | null = null;
  private thresholdTouched = false;
  private shownKey = '';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly table: HTMLElement;
  private readonly thresholdInput: HTMLInputElement;
  private readonly grid: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    const smoothInput = h('input', {
      type: 'range',
      min: 0,
      max: 0.99,
      step: 0.01,
      value: this.smoothing,
      'data-testid': 'chart-smoothing',
    });
    const smoothOut = h('output', {}, this.smoothing.toFixed(2));
    smoothInput.addEventListener('input', () => {
      this.smoothing = Number(smoothInput.value);
      smoothOut.textContent = this.smoothing.toFixed(2);
      this.schedule(0);
    });
    this.thresholdInput = h('input', { type: 'number', step: 'any', 'data-testid': 'threshold-input' });
    this.thresholdInput.addEventListener('input', () => {
      this.thresholdTouched = true;
      const v = Number(this.thresholdInput.value);
      this.threshold = this.thresholdInput.value === '' || !Number.isFinite(v) ? null : v;
      this.schedule(0);
    });
    this.table = h('div', { 'data-testid': 'threshold-table' });
    this.grid = h('div', { class: 'charts-grid' });
    root.append(
      h(
        'div',
        { class: 'charts-head' },
        h('h2', {}, 'Training'),
        labelled('Smoothing', smoothInput),
        smoothOut,
        labelled('Return threshold', this.thresholdInput),
      ),
      this.table,
      this.grid,
    );
    for (const m of METRICS) {
      const plotEl = h('div', { class: 'plot' });
      const empty = h('div', { class: 'empty' }, 'No data yet');
      const box = h(
        'figure',
        { class: 'chart', 'data-testid': `chart-${m.key}`, 'data-points': 0, 'data-series': 0, 'aria-label': m.title },
        h('h3', {}, m.title),
        empty,
        plotEl,
      );
      box.style.margin = '0';
      this.grid.append(box);
      this.plots.push({ key: m.key, box, plotEl, empty, u: null });
    }
    new ResizeObserver(() => this.resize()).observe(this.grid);
    for (const topic of ['metrics', 'selection', 'compare', 'runs'] as const) store.on(topic, () => this.schedule(150));
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, ms);
  }

  private series(runId: string, key: MetricKey): { xs: number[]; ys: number[] } {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const row of this.store.metrics.get(runId) ?? []) {
      const v = row[key];
      if (typeof v === 'number' && Number.isFinite(v)) {
        xs.push(row.step);
        ys.push(v);
      }
    }
    return { xs, ys: smooth(ys, this.smoothing) };
  }

  private label(runId: string): string {
    const r = this.store.runs.get(runId);
    if (!r) return runId;
    // A scratch control runs the fine-tune's task and variant: cheetah's variants share the
    // pretrain's task, so only a run of the pretrain task as is counts as the pretrain.
    const kind = r.parentRunId
      ? 'fine-tuned'
      : r.variant == null && this.store.runScenario(r)?.pretrain.task === r.task
        ? 'pretrain'
        : 'scratch';
    return `${r.name} (${kind})`;
  }

  private draw(): void {
    const shown = this.store.shownRuns();
    const key = shown.join('|');
    const rebuild = key !== this.shownKey;
    this.shownKey = key;
    this.updateThresholdDefault();
    for (const p of this.plots) {
      const per = shown.map((id) => this.series(id, p.key));
      const points = per[0]?.xs.length ?? 0;
      p.box.dataset.points = String(points);
      p.box.dataset.series = String(per.filter((s) => s.xs.length > 0).length);
      p.empty.hidden = per.some((s) => s.xs.length > 0);
      const data: uPlot.AlignedData =
        per.length === 0
          ? [[]]
          : per.length === 1
            ? [per[0]!.xs, per[0]!.ys]
            : uPlot.join(per.map((s) => [s.xs, s.ys] as uPlot.AlignedData));
      if (rebuild || !p.u) {
        p.u?.destroy();
        p.u = new uPlot(this.options(p, shown), data, p.plotEl);
      } else {
        p.u.setData(data);
      }
    }
    this.drawTable(shown);
  }

  private options(p: Plot, shown: string[]): uPlot.Options {
    const axis: uPlot.Axis = { stroke: '#9aa3b2', grid: { stroke: '#2a303b', width: 1 }, ticks: { stroke: '#2a303b', width: 1 } };
    return {
      width: Math.max(200, p.box.clientWidth - 12),
      height: 150,
      scales: { x: { time: false } },
      legend: { show: shown.length > 1 },
      cursor: { drag: { x: true, y: false } },
      axes: [
        { ...axis, label: 'env step', labelSize: 14, size: 36 },
        { ...axis, size: 52 },
      ],
      series: [
        { label: 'step' },
        ...shown.map((id, i) => ({
          label: this.label(id),
          stroke: PALETTE[i % PALETTE.length]!,
          width: 1.5,
          spanGaps: true,
          // Points are left on auto: uPlot draws them while the data is sparse (a 1-row run).
        })),
      ],
    };
  }

  private updateThresholdDefault(): void {
    if (this.thresholdTouched) return;
    const r = this.store.selected;
    const sc = r ? this.store.runScenario(r) : undefined;
    const ft =
      sc?.finetunes.find((f) => f.task === r?.task && f.variant === r?.variant) ??
      sc?.finetunes.find((f) => f.task === r?.task) ??
      sc?.finetunes[0];
    const t = ft ? ft.threshold : null;
    if (t !== this.threshold) {
      this.threshold = t;
      this.thresholdInput.value = t === null ? '' : String(t);
    }
  }

  private drawTable(shown: string[]): void {
    if (!shown.length) {
      setChildren(this.table);
      return;
    }
    const rows = shown.map((id, i) => {
      const s = this.series(id, 'episodeReturn');
      // The same definition as `maxent compare` (3-interval mean of the raw returns), so the
      // app and the CLI report the same step for the same runs, whatever the chart smoothing.
      const reach = this.threshold === null ? null : stepsToThreshold(this.store.metrics.get(id) ?? [], this.threshold, COMPARE_WINDOW);
      const swatch = h('span', { 'aria-hidden': 'true' }, '■ ');
      swatch.style.color = PALETTE[i % PALETTE.length]!;
      return h(
        'tr',
        { 'data-run': id },
        h('td', {}, swatch, this.label(id)),
        h('td', {}, s.ys.length ? fmt(s.ys[s.ys.length - 1]) : '–'),
        h('td', {}, s.xs.length ? fmtInt(s.xs[s.xs.length - 1]!) : '–'),
        h('td', { 'data-testid': 'steps-to-threshold' }, reach === null ? 'not reached' : fmtInt(reach)),
      );
    });
    setChildren(
      this.table,
      h(
        'table',
        { class: 'threshold' },
        h('caption', { class: 'visually-hidden' }, 'Steps to reach the return threshold'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'run'),
            h('th', {}, 'return (smoothed)'),
            h('th', {}, 'steps'),
            h('th', {}, `steps to ${this.threshold ?? '—'}`),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    );
  }

  private resize(): void {
    for (const p of this.plots) if (p.u) p.u.setSize({ width: Math.max(200, p.box.clientWidth - 12), height: 150 });
  }
}
