// Live training charts (uPlot): one small plot per metric, every shown run as a series (the
// selected run plus the comparison set: pretrained vs scratch overlays), EMA smoothing, and a
// steps-to-threshold table. With "Group seeds", the seeds of one setting are drawn as their mean
// in a min–max band. Redraws are throttled; metric events can arrive many per second.
import uPlot from 'uplot';
import type { MetricRow, RunInfo } from '../studio/api.ts';
import { fmt, fmtInt, h, labelled, setChildren } from './dom.ts';
import { smooth } from './series.ts';
import { clockOf, formatDuration, meanTimes, steadyMask } from '../studio/throughput.ts';
import { COMPARE_WINDOW, reachOf } from '../studio/compare.ts';
import { groupCurve, groupLabel, groupShown, groupSummary } from './seed-groups.ts';
import { chartSvg, metricsCsv } from './export.ts';
import { download } from './download.ts';
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

/** Speed charts draw training only: the warm-up's random steps run far faster and would flatten the rest. */
const SPEED_METRICS: ReadonlySet<MetricKey> = new Set(['envStepsPerSec', 'updatesPerSec']);

export const PALETTE = ['#4fa3ff', '#ff9f43', '#4cc38a', '#e05dd8', '#f5d547', '#ff6b6b', '#7fdbda', '#b39ddb'];

interface Plot {
  key: MetricKey;
  title: string;
  box: HTMLElement;
  plotEl: HTMLElement;
  empty: HTMLElement;
  u: uPlot | null;
  /** What the plot last drew, per group (for its SVG export). */
  tables: number[][][];
}

export class ChartsPanel {
  private readonly plots: Plot[] = [];
  private smoothing = 0.6;
  /** x axis: env steps, or training time in minutes (how fast a learner gets there on this machine). */
  private xTime = false;
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
    // The smoothing and the x axis chosen last time (this browser's or app's storage).
    const saved = savedView();
    this.smoothing = saved.smoothing;
    this.xTime = saved.xTime;
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
      saveView(this.smoothing, this.xTime);
      this.schedule(0);
    });
    const xInput = h(
      'select',
      {
        'data-testid': 'chart-x',
        title: 'Draw the curves against env steps, or against training time (minutes on this machine; a pause does not count)',
      },
      h('option', { value: 'steps' }, 'env steps'),
      h('option', { value: 'time' }, 'training time'),
    );
    xInput.value = this.xTime ? 'time' : 'steps';
    xInput.addEventListener('change', () => {
      this.xTime = xInput.value === 'time';
      saveView(this.smoothing, this.xTime);
      this.schedule(0);
    });
    this.thresholdInput = h('input', { type: 'number', step: 'any', 'data-testid': 'threshold-input' });
    this.thresholdInput.addEventListener('input', () => {
      this.thresholdTouched = true;
      const v = Number(this.thresholdInput.value);
      this.threshold = this.thresholdInput.value === '' || !Number.isFinite(v) ? null : v;
      this.schedule(0);
    });
    const groupInput = h('input', {
      type: 'checkbox',
      'data-testid': 'group-seeds',
      title: 'Draw the shown runs of one setting (same task, variant and hyperparameters; different seeds) as their mean in a min–max band',
    });
    groupInput.checked = store.groupSeeds;
    groupInput.addEventListener('change', () => store.setGroupSeeds(groupInput.checked));
    store.on('compare', () => (groupInput.checked = store.groupSeeds));
    const csv = h(
      'button',
      { type: 'button', 'data-testid': 'export-csv', title: 'Save every metric row of the shown runs as one CSV table' },
      'Export CSV',
    );
    csv.addEventListener('click', () => this.exportCsv());
    this.table = h('div', { 'data-testid': 'threshold-table' });
    this.grid = h('div', { class: 'charts-grid' });
    root.append(
      h(
        'div',
        { class: 'charts-head' },
        h('h2', {}, 'Training'),
        labelled('Smoothing', smoothInput),
        smoothOut,
        labelled('x', xInput),
        labelled('Return threshold', this.thresholdInput),
        labelled('Group seeds', groupInput),
        csv,
      ),
      this.table,
      this.grid,
    );
    for (const m of METRICS) {
      const plotEl = h('div', { class: 'plot' });
      const speed = SPEED_METRICS.has(m.key);
      const empty = h('div', { class: 'empty' }, speed ? 'No training interval yet (the warm-up is left out)' : 'No data yet');
      const svg = h(
        'button',
        {
          type: 'button',
          class: 'small',
          'data-testid': `chart-svg-${m.key}`,
          title: `Save this chart as an SVG figure (as maxent plot draws it)`,
        },
        'SVG',
      );
      const box = h(
        'figure',
        { class: 'chart', 'data-testid': `chart-${m.key}`, 'data-points': 0, 'data-series': 0, 'aria-label': m.title },
        h(
          'div',
          { class: 'chart-head' },
          h('h3', speed ? { title: 'Training only: the random warm-up steps run far faster and are left out' } : {}, m.title),
          svg,
        ),
        empty,
        plotEl,
      );
      box.style.margin = '0';
      this.grid.append(box);
      const plot: Plot = { key: m.key, title: m.title, box, plotEl, empty, u: null, tables: [] };
      svg.addEventListener('click', () => this.exportSvg(plot));
      this.plots.push(plot);
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
    const rows = this.store.metrics.get(runId) ?? [];
    const steady = SPEED_METRICS.has(key) ? steadyMask(rows, this.store.runs.get(runId)?.settings?.updatesPerStep) : null;
    for (const [i, row] of rows.entries()) {
      const v = row[key];
      if (typeof v === 'number' && Number.isFinite(v) && (!steady || steady[i])) {
        xs.push(row.step);
        ys.push(v);
      }
    }
    return { xs, ys: smooth(ys, this.smoothing) };
  }

  /** The x values for a group's steps: the steps, or the training time (a group's: its seeds' mean) in minutes. */
  private xs(group: string[], steps: number[]): number[] {
    if (!this.xTime) return steps;
    const clocks = group.map((id) => clockOf(this.store.metrics.get(id) ?? []));
    return meanTimes(clocks, steps).map((t) => t / 60);
  }

  /** A run is a pretrain when it has no parent and runs its scenario's pretrain task as is. */
  private isPretrain(r: RunInfo): boolean {
    // A scratch control runs the fine-tune's task and variant: cheetah's variants share the
    // pretrain's task, so only a run of the pretrain task as is counts as the pretrain.
    return !r.parentRunId && r.variant == null && this.store.runScenario(r)?.pretrain.task === r.task;
  }

  private label(group: string[]): string {
    const runs = group.map((id) => this.store.runs.get(id)).filter((r): r is RunInfo => !!r);
    if (runs.length < group.length) return group.join(', ');
    if (runs.length > 1) return groupLabel(runs, this.isPretrain(runs[0]!));
    const r = runs[0]!;
    return `${r.name} (${r.parentRunId ? 'fine-tuned' : this.isPretrain(r) ? 'pretrain' : 'scratch'})`;
  }

  /** The groups drawn: one run each, or with "Group seeds" the shown seeds of one setting together. */
  private groups(): string[][] {
    return groupShown(this.store.shownRuns(), this.store.runs, this.store.groupSeeds);
  }

  private draw(): void {
    const groups = this.groups();
    const key = `${this.store.groupSeeds}:${this.xTime}:${groups.map((g) => g.join(',')).join('|')}`;
    const rebuild = key !== this.shownKey;
    this.shownKey = key;
    this.updateThresholdDefault();
    for (const p of this.plots) {
      // One table per group: [xs, y] for a run, [xs, mean, max, min] for a group of seeds.
      const tables: number[][][] = groups.map((g) => {
        if (g.length === 1) {
          const s = this.series(g[0]!, p.key);
          return [this.xs(g, s.xs), s.ys];
        }
        const c = groupCurve(g.map((id) => this.series(id, p.key)));
        return [this.xs(g, c.xs), c.mean, c.hi, c.lo];
      });
      p.tables = tables;
      const drawn = tables.filter((t) => t[0].length > 0).length;
      p.box.dataset.points = String(tables[0]?.[0].length ?? 0);
      p.box.dataset.series = String(drawn);
      p.box.dataset.bands = String(tables.filter((t) => t.length === 4 && t[0].length > 0).length);
      p.box.dataset.x = this.xTime ? 'time' : 'steps';
      p.box.dataset.xmax = String(Math.max(0, ...tables.map((t) => t[0].at(-1) ?? 0)));
      p.empty.hidden = drawn > 0;
      const aligned = tables as uPlot.AlignedData[];
      const data: uPlot.AlignedData = aligned.length === 0 ? [[]] : aligned.length === 1 ? aligned[0]! : uPlot.join(aligned);
      if (rebuild || !p.u) {
        p.u?.destroy();
        p.u = new uPlot(this.options(p, groups), data, p.plotEl);
      } else {
        p.u.setData(data);
      }
    }
    this.drawTable(groups);
  }

  private options(p: Plot, groups: string[][]): uPlot.Options {
    const axis: uPlot.Axis = { stroke: '#9aa3b2', grid: { stroke: '#2a303b', width: 1 }, ticks: { stroke: '#2a303b', width: 1 } };
    const series: uPlot.Series[] = [{ label: this.xTime ? 'minutes' : 'step' }];
    const bands: uPlot.Band[] = [];
    groups.forEach((g, i) => {
      const color = PALETTE[i % PALETTE.length]!;
      // Points are left on auto: uPlot draws them while the data is sparse (a 1-row run).
      series.push({ label: this.label(g), stroke: color, width: 1.5, spanGaps: true });
      if (g.length === 1) return;
      const edge = { stroke: `${color}66`, width: 0.5, spanGaps: true, class: 'band-edge', points: { show: false } };
      series.push({ ...edge, label: 'max' }, { ...edge, label: 'min' });
      bands.push({ series: [series.length - 2, series.length - 1], fill: `${color}2e` });
    });
    return {
      width: Math.max(200, p.box.clientWidth - 12),
      height: 150,
      scales: { x: { time: false } },
      legend: { show: groups.length > 1 || (groups[0]?.length ?? 0) > 1 },
      cursor: { drag: { x: true, y: false } },
      axes: [
        { ...axis, label: this.xTime ? 'training time (min)' : 'env step', labelSize: 14, size: 36 },
        { ...axis, size: 52 },
      ],
      series,
      bands,
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

  private drawTable(groups: string[][]): void {
    if (!groups.length) {
      setChildren(this.table);
      return;
    }
    const rows = groups.map((g, i) => {
      const swatch = h('span', { 'aria-hidden': 'true' }, '■ ');
      swatch.style.color = PALETTE[i % PALETTE.length]!;
      if (g.length > 1) return this.groupRow(g, swatch);
      const id = g[0]!;
      const s = this.series(id, 'episodeReturn');
      const rows = this.store.metrics.get(id) ?? [];
      // The same definition as `maxent compare` (3-interval mean of the raw returns), so the
      // app and the CLI report the same step for the same runs, whatever the chart smoothing;
      // and the training time it took (a pause does not count): SQL and SAC differ in it, not only in steps.
      const { step: reach, time: took } =
        this.threshold === null ? { step: null, time: null } : reachOf(rows, this.threshold, COMPARE_WINDOW);
      return h(
        'tr',
        { 'data-run': id },
        h('td', {}, swatch, this.label(g)),
        h('td', {}, s.ys.length ? fmt(s.ys[s.ys.length - 1]) : '–'),
        h('td', {}, s.xs.length ? fmtInt(s.xs[s.xs.length - 1]!) : '–'),
        h(
          'td',
          { 'data-testid': 'steps-to-threshold' },
          reach === null ? 'not reached' : `${fmtInt(reach)}${took === null ? '' : ` · ${formatDuration(took)}`}`,
        ),
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

  /** A group of seeds: final return as mean ± sd over seeds, and how many reached the threshold, at what median step (as `maxent compare a1,a2 b1,b2`). */
  private groupRow(g: string[], swatch: HTMLElement): HTMLElement {
    const runs = g.map((id) => this.store.runs.get(id)!);
    const sum = groupSummary(runs, this.store.metrics, this.threshold);
    const steps = runs.map((r) => this.store.metrics.get(r.id)?.at(-1)?.step ?? 0);
    const lo = Math.min(...steps),
      hi = Math.max(...steps);
    const reach =
      this.threshold === null
        ? '–'
        : `${sum.reached}/${runs.length} reached${sum.medianSteps === null ? '' : ` · median ${fmtInt(sum.medianSteps)}`}`;
    return h(
      'tr',
      { 'data-group': g.join(',') },
      h('td', {}, swatch, this.label(g)),
      h(
        'td',
        { title: `mean ± sd over seeds of each run's last ${COMPARE_WINDOW} logged returns` },
        sum.meanFinal === null ? '–' : `${fmt(sum.meanFinal)}${sum.stdFinal === null ? '' : ` ± ${fmt(sum.stdFinal)}`}`,
      ),
      h('td', {}, lo === hi ? fmtInt(lo) : `${fmtInt(lo)}–${fmtInt(hi)}`),
      h('td', { 'data-testid': 'steps-to-threshold' }, reach),
    );
  }

  private exportCsv(): void {
    const shown = this.store.shownRuns().flatMap((id) => {
      const run = this.store.runs.get(id);
      return run ? [{ run, rows: this.store.metrics.get(id) ?? [] }] : [];
    });
    if (!shown.length) return;
    const name = shown.length === 1 ? shown[0]!.run.id : `${shown.length}-runs`;
    download(`${name}-metrics.csv`, metricsCsv(shown), 'text/csv');
  }

  private exportSvg(p: Plot): void {
    const groups = this.groups();
    const lines = groups.map((g, i) => ({ label: this.label(g), table: p.tables[i] ?? [[], []] })).filter((l) => l.table[0]!.length > 0);
    if (!lines.length) return;
    const smoothing = this.smoothing > 0 ? ` (EMA ${this.smoothing.toFixed(2)})` : '';
    const title =
      lines.length === 1 ? `${p.title}: ${lines[0]!.label}` : `${p.title}: ${lines.length} ${this.store.groupSeeds ? 'groups' : 'runs'}`;
    const xLabel = this.xTime ? 'training time (min)' : 'environment steps';
    download(`${p.key}.svg`, chartSvg(lines, title, `${p.title}${smoothing}`, xLabel), 'image/svg+xml');
  }

  private resize(): void {
    for (const p of this.plots) if (p.u) p.u.setSize({ width: Math.max(200, p.box.clientWidth - 12), height: 150 });
  }
}

const VIEW_KEY = 'maxent.charts';

/** The charts' smoothing and x axis as last chosen; the defaults where none (or a damaged one) is stored. */
function savedView(): { smoothing: number; xTime: boolean } {
  const fallback = { smoothing: 0.6, xTime: false };
  try {
    const v = JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null') as { smoothing?: unknown; x?: unknown } | null;
    const smoothing = typeof v?.smoothing === 'number' && v.smoothing >= 0 && v.smoothing <= 0.99 ? v.smoothing : fallback.smoothing;
    return { smoothing, xTime: v?.x === 'time' };
  } catch {
    return fallback;
  }
}

function saveView(smoothing: number, xTime: boolean): void {
  try {
    localStorage.setItem(VIEW_KEY, JSON.stringify({ smoothing, x: xTime ? 'time' : 'steps' }));
  } catch {
    // storage full or disabled: the choice lasts this session only
  }
}
