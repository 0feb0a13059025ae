// Steps-to-threshold comparison of runs (pretrained vs scratch): the first step at which the
// moving average of episode returns reaches the threshold.
import type { RunStore } from './runs/store.ts';

/** Intervals averaged before comparing with the threshold (shared by the CLI and the UI). */
export const COMPARE_WINDOW = 3;

/** A run's metric rows, as far as comparing reads them. */
type Rows = readonly { step: number; time?: number; episodeReturn?: number }[];

export interface CompareRow {
  runId: string;
  task: string;
  parentRunId: string | null;
  stepsToThreshold: number | null;
  /** Training seconds to that step (its metric row's clock; a pause does not count). */
  timeToThreshold: number | null;
  finalReturn: number | null;
  steps: number;
}

export function stepsToThreshold(rows: Rows, threshold: number, window: number): number | null {
  const recent: number[] = [];
  for (const r of rows) {
    if (r.episodeReturn === undefined) continue;
    recent.push(r.episodeReturn);
    if (recent.length > window) recent.shift();
    const avg = recent.reduce((a, b) => a + b, 0) / recent.length;
    if (recent.length === window && avg >= threshold) return r.step;
  }
  return null;
}

/** When a run's moving-average return first reached the threshold: the step, and the training
 * seconds of that step's row (null where the rows have no clock); both null if never. */
export function reachOf(rows: Rows, threshold: number, window: number): { step: number | null; time: number | null } {
  const step = stepsToThreshold(rows, threshold, window);
  return { step, time: step === null ? null : (rows.find((r) => r.step === step)?.time ?? null) };
}

/** One run's row from its metrics: when its moving-average return first reached the threshold, and its final average. */
export function rowFromMetrics(
  run: { runId: string; task: string; parentRunId: string | null; steps: number },
  rows: Rows,
  threshold: number,
  window = COMPARE_WINDOW,
): CompareRow {
  const last = rows.filter((r) => r.episodeReturn !== undefined).slice(-window);
  const reached = reachOf(rows, threshold, window);
  return {
    ...run,
    stepsToThreshold: reached.step,
    timeToThreshold: reached.time,
    finalReturn: last.length ? last.reduce((s, r) => s + (r.episodeReturn as number), 0) / last.length : null,
  };
}

/**
 * The last step at which every one of these runs logged a return: runs of different budgets (a
 * run later trained more, a seed still going) are compared up to it, as the plotted group means
 * are, not each at its own end. Null when a run has no return yet.
 */
export function commonLastStep(rowsOfRuns: readonly Rows[]): number | null {
  let at = Infinity;
  for (const rows of rowsOfRuns) {
    const last = rows.findLast((r) => r.episodeReturn !== undefined);
    if (!last) return null;
    at = Math.min(at, last.step);
  }
  return Number.isFinite(at) ? at : null;
}

/** The runs' rows up to their common last step; `cut`: the runs that went on past it. */
export function alignRows<T extends { id: string; rows: Rows }>(runs: readonly T[]): { runs: T[]; at: number | null; cut: string[] } {
  const at = commonLastStep(runs.map((r) => r.rows));
  if (at === null) return { runs: [...runs], at, cut: [] };
  const cut = runs.filter((r) => r.rows.some((x) => x.step > at && x.episodeReturn !== undefined)).map((r) => r.id);
  return { runs: runs.map((r) => ({ ...r, rows: r.rows.filter((x) => x.step <= at) })), at, cut };
}

/** Runs compared up to their common last step (`at`); `cut` names those that went on past it. */
export interface Aligned {
  at: number | null;
  cut: string[];
}

function readRuns(store: RunStore, ids: string[]) {
  return ids.map((id) => ({ id, rec: store.read(id), rows: store.readMetrics(id) as Rows }));
}

function rowOf(r: ReturnType<typeof readRuns>[number], threshold: number, window: number): CompareRow {
  return rowFromMetrics(
    { runId: r.id, task: r.rec.config.task, parentRunId: r.rec.parentRunId, steps: r.rec.step },
    r.rows,
    threshold,
    window,
  );
}

export function compareRuns(
  store: RunStore,
  a: string,
  b: string,
  threshold: number,
  window = COMPARE_WINDOW,
): { threshold: number; window: number; runs: CompareRow[] } & Aligned {
  const { runs, at, cut } = alignRows(readRuns(store, [a, b]));
  return { threshold, window, at, cut, runs: runs.map((r) => rowOf(r, threshold, window)) };
}

/** What a group of runs is, where all agree: fine-tuned (each has a parent) or scratch (none has); else null. */
export function groupKind(parentRunIds: readonly (string | null)[]): 'fine-tuned' | 'scratch' | null {
  if (parentRunIds.every((p) => p !== null)) return 'fine-tuned';
  return parentRunIds.every((p) => p === null) ? 'scratch' : null;
}

/** Several seeds of one setting, summarised: how many reached the threshold, when, and where they ended. */
export interface GroupSummary {
  runs: CompareRow[];
  /** Runs that reached the threshold. */
  reached: number;
  /** Median steps to threshold, a run that never reached it counting as infinitely late; null when half or more never did. */
  medianSteps: number | null;
  meanFinal: number | null;
  /** Sample standard deviation of the final returns (n − 1); null under two runs. */
  stdFinal: number | null;
}

export function summariseGroup(runs: CompareRow[]): GroupSummary {
  const steps = runs.map((r) => r.stepsToThreshold ?? Infinity).sort((a, b) => a - b);
  const n = steps.length;
  const median = n === 0 ? Infinity : n % 2 ? steps[(n - 1) / 2]! : (steps[n / 2 - 1]! + steps[n / 2]!) / 2;
  const finals = runs.map((r) => r.finalReturn).filter((x): x is number => x !== null);
  const mean = finals.length ? finals.reduce((a, b) => a + b, 0) / finals.length : null;
  const std = mean !== null && finals.length > 1 ? Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / (finals.length - 1)) : null;
  return {
    runs,
    reached: runs.filter((r) => r.stepsToThreshold !== null).length,
    medianSteps: Number.isFinite(median) ? median : null,
    meanFinal: mean,
    stdFinal: std,
  };
}

/** Two groups of runs (e.g. fine-tuned and scratch, one run per seed) compared on steps to threshold. */
export function compareGroups(
  store: RunStore,
  a: string[],
  b: string[],
  threshold: number,
  window = COMPARE_WINDOW,
): { threshold: number; window: number; groups: [GroupSummary, GroupSummary] } & Aligned {
  const { runs, at, cut } = alignRows(readRuns(store, [...a, ...b]));
  const rows = runs.map((r) => rowOf(r, threshold, window));
  return { threshold, window, at, cut, groups: [summariseGroup(rows.slice(0, a.length)), summariseGroup(rows.slice(a.length))] };
}
