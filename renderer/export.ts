// Exports of what the charts show (no DOM, unit-tested): the shown runs' metric rows as one CSV
// table (for pandas or a spreadsheet), and a chart as a standalone SVG with the same lines and
// seed bands (the `maxent plot` figure).
import type { MetricRow, RunInfo } from '../studio/api.ts';
import { curvesSvg, type Series } from '../studio/plot-svg.ts';

const METRIC_COLUMNS = [
  'episodeReturn',
  'episodeLength',
  'entropy',
  'alpha',
  'qLoss',
  'policyLoss',
  'envStepsPerSec',
  'updatesPerSec',
] as const;

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break. Text that a spreadsheet
 * would run as a formula (a run named "=HYPERLINK(…)") gets a leading ' ; numbers stay numbers. */
function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function metricsCsv(runs: readonly { run: RunInfo; rows: readonly MetricRow[] }[]): string {
  const head = ['run_id', 'name', 'task', 'variant', 'seed', 'parent_run_id', 'step', 'time', 'episodes', ...METRIC_COLUMNS];
  const lines = [head.join(',')];
  for (const { run, rows } of runs)
    for (const r of rows)
      lines.push(
        [run.id, run.name, run.task, run.variant, run.seed, run.parentRunId, r.step, r.time, r.episodes, ...METRIC_COLUMNS.map((k) => r[k])]
          .map(field)
          .join(','),
      );
  return lines.join('\n') + '\n';
}

/** One chart's lines: [xs, y] for a run, [xs, mean, max, min] for a group of seeds, as the chart draws them. */
export interface ChartLine {
  label: string;
  table: readonly (readonly number[])[];
}

export function chartSvg(lines: readonly ChartLine[], title: string, yLabel: string, xLabel = 'environment steps'): string {
  const series: Series[] = lines.map(({ label, table }) => {
    const pts = (ys: readonly number[]) => table[0]!.map((x, i) => [x, ys[i]!] as [number, number]);
    return table.length === 4
      ? { label: `${label} (mean, band min–max)`, points: pts(table[1]!), band: { hi: pts(table[2]!), lo: pts(table[3]!) } }
      : { label, points: pts(table[1]!) };
  });
  return curvesSvg(series, { title, xLabel, yLabel });
}
