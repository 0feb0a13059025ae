// Seeds on the charts (no DOM, unit-tested): the shown runs grouped by setting (RunInfo.setting:
// the same task, variant, learner and parent setting), each group of several seeds drawn as its
// mean in a min–max band and summarised like `maxent compare a1,a2 b1,b2`.
import { taskLabel, type MetricRow, type RunInfo } from '../studio/api.ts';
import { alignRows, COMPARE_WINDOW, groupKind, rowFromMetrics, summariseGroup, type GroupSummary } from '../studio/compare.ts';
import { meanBand } from '../studio/plot-svg.ts';

/**
 * The shown runs as groups, in the order shown (the selected run's group first). With grouping
 * off, or for a run with no other seed shown, a group is one run.
 */
export function groupShown(shown: readonly string[], runs: ReadonlyMap<string, Pick<RunInfo, 'setting'>>, on: boolean): string[][] {
  if (!on) return shown.map((id) => [id]);
  const bySetting = new Map<string, string[]>();
  const out: string[][] = [];
  for (const id of shown) {
    const key = runs.get(id)?.setting;
    const g = key ? bySetting.get(key) : undefined;
    if (g) g.push(id);
    else {
      const fresh = [id];
      if (key) bySetting.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** The other runs of a run's setting (its other seeds), oldest first. */
export function siblingSeeds(run: Pick<RunInfo, 'id' | 'setting'>, runs: Iterable<RunInfo>): RunInfo[] {
  return [...runs]
    .filter((r) => r.id !== run.id && r.setting === run.setting)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** A group's curve: mean, min and max at each step every run logged (the slowest seed bounds a live group). */
export function groupCurve(per: readonly { xs: readonly number[]; ys: readonly number[] }[]): {
  xs: number[];
  mean: number[];
  lo: number[];
  hi: number[];
} {
  const g = meanBand(per.map((s) => s.xs.map((x, i) => [x, s.ys[i]!] as [number, number])));
  return { xs: g.mean.map(([x]) => x), mean: g.mean.map(([, y]) => y), lo: g.lo.map(([, y]) => y), hi: g.hi.map(([, y]) => y) };
}

/** "fine-tuned from step 20,000: point/one-goal · seeds 1, 2, 3": what the group's runs share, and their seeds. */
export function groupLabel(
  runs: readonly Pick<RunInfo, 'task' | 'variant' | 'seed' | 'parentRunId' | 'parentStep' | 'name'>[],
  pretrainKind: boolean,
): string {
  const r = runs[0]!;
  const k = groupKind(runs.map((x) => x.parentRunId));
  // Fine-tunes of one parent step say it (one pretrain fine-tuned from two steps: two groups).
  const at =
    new Set(runs.map((x) => x.parentStep)).size === 1 && r.parentStep != null ? ` from step ${r.parentStep.toLocaleString('en-US')}` : '';
  const kind = k === 'fine-tuned' ? `fine-tuned${at}` : k === 'scratch' ? (pretrainKind ? 'pretrain' : 'scratch') : r.name;
  const seeds = runs.map((x) => x.seed).sort((a, b) => a - b);
  return `${kind}: ${taskLabel(r)} · seeds ${seeds.join(', ')}`;
}

/** The group's threshold row, as `maxent compare` computes it from the same metrics. */
export function groupSummary(
  runs: readonly Pick<RunInfo, 'id' | 'task' | 'parentRunId' | 'step'>[],
  metrics: ReadonlyMap<string, MetricRow[]>,
  threshold: number | null,
): GroupSummary {
  // Seeds are summarised up to the step all of them reached, as their mean curve is drawn.
  const aligned = alignRows(runs.map((r) => ({ id: r.id, run: r, rows: metrics.get(r.id) ?? [] }))).runs;
  return summariseGroup(
    aligned.map(({ run: r, rows }) =>
      rowFromMetrics({ runId: r.id, task: r.task, parentRunId: r.parentRunId, steps: r.step }, rows, threshold ?? Infinity, COMPARE_WINDOW),
    ),
  );
}
