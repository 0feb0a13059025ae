// Application state shared by the panels: runs, their metrics, the selection and the comparison
// set. Panels subscribe to the topics they draw; nothing here talks to the studio.
import { runScenario, type MetricRow, type RunInfo, type ScenarioInfo, type TaskInfo } from '../studio/api.ts';

export type Topic = 'runs' | 'selection' | 'metrics' | 'compare' | 'scenarios';

export class Store {
  readonly runs = new Map<string, RunInfo>();
  readonly metrics = new Map<string, MetricRow[]>();
  scenarios: ScenarioInfo[] = [];
  /** Every task, for fine-tuning a run on another task of its robot. */
  tasks: TaskInfo[] = [];
  selectedRunId: string | null = null;
  /** Runs overlaid on the charts besides the selected one. */
  readonly compare = new Set<string>();
  /** Draw the shown seeds of one setting as one mean line in a min–max band. */
  groupSeeds = false;
  private readonly subs = new Map<Topic, Set<(detail?: string) => void>>();

  on(topic: Topic, fn: (detail?: string) => void): () => void {
    let set = this.subs.get(topic);
    if (!set) this.subs.set(topic, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit(topic: Topic, detail?: string): void {
    for (const fn of this.subs.get(topic) ?? []) fn(detail);
  }

  get selected(): RunInfo | null {
    return this.selectedRunId ? (this.runs.get(this.selectedRunId) ?? null) : null;
  }

  setScenarios(list: ScenarioInfo[], tasks: TaskInfo[] = this.tasks): void {
    this.scenarios = list;
    this.tasks = tasks;
    this.emit('scenarios');
  }

  scenario(id: string | null): ScenarioInfo | undefined {
    return id ? this.scenarios.find((s) => s.id === id) : undefined;
  }

  /** The run's scenario, or for a run without one the scenario that pretrains on its task. */
  runScenario(r: Pick<RunInfo, 'scenarioId' | 'task'>): ScenarioInfo | undefined {
    return runScenario(r, this.scenarios);
  }

  setRuns(list: RunInfo[]): void {
    this.runs.clear();
    for (const r of list) this.runs.set(r.id, r);
    this.emit('runs');
  }

  upsertRun(r: RunInfo): void {
    this.runs.set(r.id, r);
    this.emit('runs', r.id);
  }

  /** Forgets a deleted run (its metrics, comparison and selection). */
  removeRun(runId: string): void {
    this.runs.delete(runId);
    this.metrics.delete(runId);
    if (this.compare.delete(runId)) this.emit('compare', runId);
    if (this.selectedRunId === runId) this.select(null);
    this.emit('runs');
  }

  select(runId: string | null): void {
    if (this.selectedRunId === runId) return;
    this.selectedRunId = runId;
    this.emit('selection', runId ?? undefined);
  }

  toggleCompare(runId: string, on: boolean): void {
    if (on) this.compare.add(runId);
    else this.compare.delete(runId);
    this.emit('compare', runId);
  }

  setGroupSeeds(on: boolean): void {
    if (this.groupSeeds === on) return;
    this.groupSeeds = on;
    this.emit('compare');
  }

  /** The runs drawn on the charts: the selection first, then the comparison set. */
  shownRuns(): string[] {
    const out: string[] = [];
    if (this.selectedRunId) out.push(this.selectedRunId);
    for (const id of this.compare) if (id !== this.selectedRunId && this.runs.has(id)) out.push(id);
    return out;
  }

  /** Merges rows by step: live events and a getMetrics backfill may overlap in any order.
   * replace: the rows are the run's whole metrics (a resume rewrote those after its checkpoint). */
  addMetrics(runId: string, rows: MetricRow[], replace = false): void {
    if (replace) {
      this.metrics.set(
        runId,
        [...rows].sort((a, b) => a.step - b.step),
      );
      this.emit('metrics', runId);
      return;
    }
    if (!rows.length) return;
    let list = this.metrics.get(runId);
    if (!list) this.metrics.set(runId, (list = []));
    for (const row of rows) {
      const last = list.length ? list[list.length - 1]!.step : -Infinity;
      if (row.step > last) {
        list.push(row);
        continue;
      }
      // Rare path (a backfill arriving after live rows): binary-search the slot, skip duplicates.
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.step < row.step) lo = mid + 1;
        else hi = mid;
      }
      if (list[lo]?.step !== row.step) list.splice(lo, 0, row);
    }
    this.emit('metrics', runId);
  }

  lastStep(runId: string): number {
    const list = this.metrics.get(runId);
    return list?.length ? list[list.length - 1]!.step : -1;
  }
}
