// Steps-to-threshold comparison of runs (pretrained vs scratch): the first step at which the
// moving average of episode returns reaches the threshold.
import type { RunStore } from './runs/store.ts';

/** Intervals averaged before comparing with the threshold (shared by the CLI and the UI). */
export const COMPARE_WINDOW = 3;

export interface CompareRow {
  runId: string;
  task: string;
  parentRunId: string | null;
  stepsToThreshold: number | null;
  finalReturn: number | null;
  steps: number;
}

export function stepsToThreshold(rows: { step: number; episodeReturn?: number }[], threshold: number, window: number): number | null {
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

export function compareRuns(
  store: RunStore,
  a: string,
  b: string,
  threshold: number,
  window = COMPARE_WINDOW,
): { threshold: number; window: number; runs: CompareRow[] } {
  const runs = [a, b].map((id) => {
    const rec = store.read(id);
    const rows = store.readMetrics(id);
    const returns = rows.filter((r) => r.episodeReturn !== undefined);
    const last = returns.slice(-window);
    return {
      runId: id,
      task: rec.config.task,
      parentRunId: rec.parentRunId,
      stepsToThreshold: stepsToThreshold(rows, threshold, window),
      finalReturn: last.length ? last.reduce((s, r) => s + (r.episodeReturn as number), 0) / last.length : null,
      steps: rec.step,
    };
  });
  return { threshold, window, runs };
}
