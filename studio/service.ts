// The application core: implements StudioApi for both hosts (Electron IPC and WebSocket).
// It owns the run store, the live training workers and the viewer simulation.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { listTasks, parseVariant } from '../sim/index.ts';
import type { PolicySnapshot } from '../agents/agent.ts';
import type {
  EvalReport,
  EvalRequest,
  EventName,
  MetricRow,
  RolloutOptions,
  RolloutResult,
  RunInfo,
  RunOverrides,
  SavedVariant,
  SavedVariants,
  StudioApi,
  StudioEvents,
  SystemInfo,
  VideoInfo,
  ViewerFrame,
  ViewerState,
} from './api.ts';
import { canFineTune, MAX_RUNS_LIMIT, runScenario, taskLabel, variantLabel } from './api.ts';
import { resolveConfig, type TrainConfig } from './config.ts';
import { taskInfo } from './task-info.ts';
import { getScenario, scenarioInfo, SCENARIOS, type FineTuneSpec, type Scenario } from './scenarios.ts';
import { RunStore, defaultHome, isHeld, type RunRecord } from './runs/store.ts';
import { readStudioSettings, writeStudioSettings } from './runs/studio-settings.ts';
import { takeStudioSession, writeStudioSession } from './runs/studio-session.ts';
import { listSavedVariants, removeSavedVariant, saveVariant } from './saved-variants.ts';
import { TrainingHandle } from './worker/supervisor.ts';
import { Viewer, type ViewerSource } from './viewer/viewer.ts';
import { describeBackend } from './backend.ts';
import { versions } from './versions.ts';
import { agentFromCheckpoint } from './run-agent.ts';

export interface ServiceOptions {
  home?: string;
  /** Start the viewer loop (off for CLI commands that never display). */
  viewer?: boolean;
  /**
   * How many runs train at once; more wait in a queue. 'saved': the studio's saved choice
   * (<home>/studio.json), else one per logical core: what the studio hosts use. Default: no limit
   * (a CLI command starts what it is told to).
   */
  maxRuns?: number | 'saved';
  /**
   * A studio host: what trains or waits in the queue when it shuts down is saved
   * (<home>/session.json) and continueSession() starts it again next time.
   */
  keepSession?: boolean;
}

/** A run waiting for its worker: what spawning it needs. */
interface Job {
  runId: string;
  config: TrainConfig;
  resume: boolean;
  parent: { runId: string; step: number } | undefined;
  /** A resume: the budget and step before it, put back if it fails before a step (a budget raised for nothing). */
  before?: { steps: number; step: number };
}

export class StudioService implements Omit<StudioApi, 'on'> {
  readonly store: RunStore;
  private readonly events = new EventEmitter();
  private readonly live = new Map<string, TrainingHandle>();
  /** Runs waiting for a slot, first to start first. */
  private readonly queue: Job[] = [];
  private maxRuns: number;
  private readonly saveMaxRuns: boolean;
  private readonly keepSession: boolean;
  private closing = false;
  private readonly reportedProblems = new Set<string>();
  private closed: Promise<void> | null = null;
  private readonly snapshots = new Map<string, PolicySnapshot>();
  private readonly viewerSim: Viewer;
  private watcher: NodeJS.Timeout | null = null;

  constructor(opts: ServiceOptions = {}) {
    this.store = new RunStore(opts.home ?? defaultHome());
    this.events.setMaxListeners(100);
    this.viewerSim = new Viewer((f: ViewerFrame) => this.emit('viewer.frame', f));
    this.saveMaxRuns = opts.maxRuns === 'saved';
    this.keepSession = opts.keepSession ?? false;
    if (opts.maxRuns === 'saved') {
      const { settings, problem } = readStudioSettings(this.store.home);
      if (problem) process.emitWarning(problem);
      this.maxRuns = settings.maxRuns ?? os.availableParallelism();
    } else this.maxRuns = opts.maxRuns ?? Infinity;
  }

  on<E extends EventName>(event: E, handler: (data: StudioEvents[E]) => void): () => void {
    this.events.on(event, handler as (d: unknown) => void);
    return () => this.events.off(event, handler as (d: unknown) => void);
  }

  private emit<E extends EventName>(event: E, data: StudioEvents[E]): void {
    this.events.emit(event, data);
  }

  async listScenarios() {
    return SCENARIOS.map(scenarioInfo);
  }

  async listTasks() {
    return listTasks().map(taskInfo);
  }

  async listRuns(): Promise<RunInfo[]> {
    const runs = this.store.list().map((r) => this.info(r));
    // A run folder that cannot be read is left out of the list: say so, once per problem.
    for (const [file, message] of this.store.problems) {
      const key = `${file}\n${message}`;
      if (this.reportedProblems.has(key)) continue;
      this.reportedProblems.add(key);
      this.emit('log', { level: 'warn', message: `a run is not listed: ${message}` });
    }
    return runs;
  }

  async getRun(runId: string): Promise<RunInfo> {
    return this.info(this.store.read(runId));
  }

  /** Starts a scenario's pretrain run, or a bare task when scenarioId names a task (with `variant`, a user's variant of it). */
  async startRun(scenarioId: string, overrides: RunOverrides = {}, variant?: unknown): Promise<RunInfo> {
    const isTask = listTasks().some((t) => t.id === scenarioId);
    if (variant !== undefined) {
      if (!isTask) throw new Error(`a variant goes with a task id, not the scenario ${JSON.stringify(scenarioId)}`);
      parseVariant(variant, scenarioId); // names the bad field
      return this.startRunWithConfig(scenarioId, overrides, variant as TrainConfig['variant']);
    }
    const scenario = isTask ? null : getScenario(scenarioId);
    const task = overrides.task ?? (scenario ? scenario.pretrain.task : scenarioId);
    const config = resolveConfig(task, scenario && !overrides.task ? scenario.pretrain : {}, overrides);
    return this.launch({ scenarioId: scenario?.id ?? null, parentRunId: null, parentStep: null, config, name: overrides.name });
  }

  /** Starts a bare task with a user variant (already parsed by the caller or parsed here). */
  async startRunWithConfig(task: string, overrides: RunOverrides, variant: TrainConfig['variant']): Promise<RunInfo> {
    const config = resolveConfig(task, { variant }, overrides);
    return this.launch({ scenarioId: null, parentRunId: null, parentStep: null, config, name: overrides.name });
  }

  /**
   * What `variantId` names for a run: one of its scenario's fine-tunes, else a task id, checked
   * against what the run's networks can load; `variantJson` (a user's file) overrides the variant.
   * Used to fine-tune a run, and to evaluate it on the target before any fine-tuning (zero-shot).
   */
  fineTuneTarget(
    parent: RunRecord,
    variantId: string,
    variantJson?: unknown,
  ): { task: string; variant: TrainConfig['variant']; ft: FineTuneSpec | undefined; scenario: Scenario | undefined } {
    const scenario = runScenario({ scenarioId: parent.scenarioId, task: parent.config.task }, SCENARIOS);
    const ft = scenario?.finetunes.find((f) => f.id === variantId);
    const task = ft?.task ?? variantId;
    const tasks = listTasks();
    const target = tasks.find((t) => t.id === task);
    if (!target) {
      throw new Error(
        `unknown fine-tune target ${JSON.stringify(variantId)}: give a task id or one of the scenario's variants (${scenario?.finetunes.map((f) => f.id).join(', ') || 'none'})`,
      );
    }
    const from = tasks.find((t) => t.id === parent.config.task);
    if (from && !canFineTune(from, target)) {
      throw new Error(
        `cannot fine-tune run ${parent.id} (${from.id}, ${from.robot}: obs ${from.obsDim}, act ${from.actDim}) on ${task} (${target.robot}: obs ${target.obsDim}, act ${target.actDim}): the child loads the parent's networks, so the task needs the same robot and the same observation and action sizes`,
      );
    }
    // run.json keeps the user's variant JSON as written (validated here, parsed again by the env).
    const variant = (variantJson ?? ft?.variant ?? null) as TrainConfig['variant'];
    if (variant !== null) parseVariant(variant, task);
    return { task, variant, ft, scenario };
  }

  /** A child run initialised from the parent's latest checkpoint (full agent state). */
  async fineTune(parentRunId: string, variantId: string, overrides: RunOverrides = {}, variantJson?: unknown): Promise<RunInfo> {
    const parent = this.store.read(parentRunId);
    const parentStep = this.store.newestCheckpoint(parentRunId);
    if (parentStep == null) throw new Error(`${this.store.noCheckpoint(parentRunId)}: nothing to fine-tune from`);
    const { task, variant, ft, scenario } = this.fineTuneTarget(parent, variantId, variantJson);
    // The child keeps the parent's architecture and algorithm: it loads the full state.
    // resetAlpha is the fine-tune's own choice (its variant's default, or the user's), never the parent's.
    const base: Partial<TrainConfig> = {
      ...parent.config,
      variant,
      steps: ft?.steps ?? parent.config.steps,
      resetAlpha: ft?.resetAlpha ?? false,
    };
    const config = resolveConfig(task, base, overrides);
    for (const k of ['hidden', 'algo', 'policy', 'components'] as const) {
      if (JSON.stringify(config[k]) !== JSON.stringify(parent.config[k]))
        throw new Error(`fine-tuning cannot change ${k} (the parent's ${k} is ${JSON.stringify(parent.config[k])})`);
    }
    return this.launch({
      scenarioId: scenario?.id ?? null,
      parentRunId,
      parentStep,
      config,
      // Several seeds fine-tuned from one parent need names apart: a seed other than the parent's is named.
      name:
        overrides.name ??
        `${this.store.displayName(parent)} → ${variantJson !== undefined ? taskLabel({ task, variant: variantLabel(variant) }) : (ft?.label ?? task)}${config.seed !== parent.config.seed ? ` seed ${config.seed}` : ''}`,
    });
  }

  /**
   * Episodes of a run's checkpoint policy; `on` names a fine-tune target to try it on zero-shot,
   * with `variantJson` (a user's file, CLI only) as its variant.
   */
  async evaluate(runId: string, opts: EvalRequest = {}, variantJson?: unknown): Promise<EvalReport> {
    const custom = opts.variant ?? variantJson;
    const rec = this.store.read(runId);
    const on = opts.on === undefined && custom === undefined ? undefined : this.fineTuneTarget(rec, opts.on ?? rec.config.task, custom);
    const { evaluateRun } = await import('./evaluate.ts');
    return evaluateRun(this.store, runId, {
      episodes: opts.episodes ?? 10,
      stochastic: opts.stochastic ?? false,
      seed: opts.seed,
      temperature: opts.temperature,
      step: opts.step,
      on: on && { task: on.task, variant: on.variant },
    });
  }

  /** The "from scratch" control of a fine-tune run: same task, variant, config and seed, no parent. */
  async startScratch(runId: string): Promise<RunInfo> {
    const child = this.store.read(runId);
    if (!child.parentRunId) throw new Error(`run ${runId} is not a fine-tune run; its scratch control would be itself`);
    return this.launch({
      scenarioId: child.scenarioId,
      parentRunId: null,
      parentStep: null,
      config: { ...child.config },
      name: `${child.config.task} from scratch (control for ${runId})`,
    });
  }

  /** Continues an interrupted, stopped or finished run from its latest checkpoint (queued if the studio is full). */
  async resumeRun(runId: string, extraSteps?: number): Promise<RunInfo> {
    const rec = this.store.read(runId);
    const status = this.store.effectiveStatus(rec, (id) => this.isHere(id));
    if (isHeld(status))
      throw new Error(
        `run ${runId} is already ${status === 'created' ? 'starting' : status}${this.isHere(runId) ? '' : ' in another process'}`,
      );
    const before = { steps: rec.config.steps, step: rec.step };
    if (extraSteps) rec.config.steps = Math.max(rec.config.steps, rec.step) + extraSteps;
    if (rec.step >= rec.config.steps && !extraSteps)
      throw new Error(`run ${runId} already finished its ${rec.config.steps} steps (pass more steps to continue)`);
    if (this.store.checkpointsLost(rec))
      throw new Error(
        `${this.store.noCheckpoint(runId)}, so it cannot continue: training again from step 0 would write over its ${rec.step.toLocaleString('en-US')}-step record. Start a new run with its settings instead`,
      );
    // A fine-tune with no checkpoint of its own starts again from its parent's; without the parent
    // it would quietly train from scratch under the fine-tune's name.
    if (rec.parentRunId != null && !this.store.exists(rec.parentRunId) && this.store.checkpointSteps(runId).length === 0)
      throw new Error(
        `run ${runId} is a fine-tune of ${rec.parentRunId}, which was deleted, and has no checkpoint of its own yet, so it cannot continue. Start a new fine-tune or a scratch run instead`,
      );
    this.store.write({ ...rec, status: 'created', error: null, pid: process.pid, hostname: os.hostname() });
    // A fine-tune with no checkpoint of its own yet starts again from its parent's.
    const parent =
      rec.parentRunId != null && rec.parentStep != null && this.store.exists(rec.parentRunId)
        ? { runId: rec.parentRunId, step: rec.parentStep }
        : undefined;
    this.enqueue({ runId: rec.id, config: rec.config, resume: true, parent, before });
    return this.getRun(runId);
  }

  async pause(runId: string): Promise<RunInfo> {
    if (this.queued(runId) >= 0)
      throw new Error(`run ${runId} is queued, not training yet: Start now starts it, Stop takes it off the queue`);
    this.requireLive(runId).pause();
    return this.getRun(runId);
  }

  /** A paused run goes on, a queued one starts now (past the limit), any other continues (StudioApi.resume). */
  async resume(runId: string, moreSteps?: number): Promise<RunInfo> {
    const h = this.live.get(runId);
    const q = this.queued(runId);
    if ((h || q >= 0) && moreSteps)
      throw new Error(`run ${runId} is ${h ? 'training' : 'queued'}: more steps can be added once it has stopped or finished`);
    if (h) {
      h.resume();
      return this.getRun(runId);
    }
    if (q >= 0) {
      this.startQueued(this.queue.splice(q, 1)[0]!);
      this.emitQueue();
      return this.getRun(runId);
    }
    return this.resumeRun(runId, moreSteps);
  }

  /** Stops a live run (it checkpoints first), or takes a queued one off the queue. */
  async stop(runId: string): Promise<RunInfo> {
    const q = this.queued(runId);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.store.update(runId, { status: 'stopped', pid: null });
      this.emitQueue();
      this.emitState(runId);
      return this.getRun(runId);
    }
    const h = this.requireLive(runId);
    await h.stop().catch(() => undefined);
    return this.getRun(runId);
  }

  async labelRun(runId: string, label: { name?: string; notes?: string }): Promise<RunInfo> {
    this.store.setLabel(runId, label);
    this.emitState(runId);
    return this.getRun(runId);
  }

  async deleteRun(runId: string): Promise<{ deleted: string }> {
    if (this.live.has(runId)) throw new Error(`run ${runId} is running: stop it before deleting it`);
    const q = this.queued(runId);
    if (q < 0) {
      // Another process (a `maxent train` in a terminal, another studio) may be training it.
      const rec = this.store.read(runId);
      const status = this.store.effectiveStatus(rec, () => false);
      if (isHeld(status))
        throw new Error(`run ${runId} is ${status} in another process (pid ${rec.pid}): stop it there before deleting it`);
    }
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.emitQueue();
    }
    if (this.viewerSim.runId === runId) await this.viewer.load();
    return { deleted: this.store.remove(runId) };
  }

  async getMetrics(runId: string, fromStep = 0): Promise<MetricRow[]> {
    this.store.read(runId);
    return this.store.readMetrics(runId, fromStep);
  }

  /** Resolves when the run's worker ends (for the CLI). */
  async waitFor(runId: string): Promise<RunInfo> {
    const h = this.live.get(runId);
    if (h) await h.done.catch(() => undefined);
    // let the exit handler record the final state
    await new Promise((r) => setImmediate(r));
    return this.getRun(runId);
  }

  /** What the viewer shows for a run (a pinned checkpoint, its live policy or newest checkpoint), or the default task. */
  private async viewerSource(runId?: string, step?: number): Promise<ViewerSource> {
    if (!runId) {
      return {
        runId: null,
        config: { task: 'point/multigoal', variant: null, seed: 1 },
        snapshot: null,
        checkpoint: () => null,
      };
    }
    const rec = this.store.read(runId);
    if (step !== undefined) {
      const ck = this.store.readCheckpoint(runId, step); // a missing step names the ones there are
      const snapshot = (await agentFromCheckpoint(rec.config, ck.bytes, ck.file)).exportPolicy();
      return { runId, config: rec.config, snapshot, checkpoint: () => ck, pinned: step };
    }
    let snapshot = this.snapshots.get(runId) ?? null;
    if (!snapshot) {
      const ck = this.viewerCheckpoint(rec);
      if (ck) snapshot = (await agentFromCheckpoint(rec.config, ck.bytes, ck.file)).exportPolicy();
    }
    return {
      runId,
      config: rec.config,
      snapshot,
      checkpoint: () => this.viewerCheckpoint(rec),
      noCheckpoint: () => this.store.noCheckpoint(runId, '; the Q landscape appears after the first one'),
    };
  }

  readonly viewer = {
    // The Viewer takes the source while it is still being read, so runs chosen in quick
    // succession end on the last one chosen.
    load: (runId?: string, step?: number): Promise<ViewerState> => this.viewerSim.load(this.viewerSource(runId, step)),
    // Before any run is chosen the viewer shows the default task, so the scene is never empty.
    state: async (): Promise<ViewerState> => (this.viewerSim.loaded ? this.viewerSim.state() : this.viewer.load()),
    setMode: async (mode: 'stochastic' | 'deterministic', temperature?: number) => this.viewerSim.setMode(mode, temperature),
    ghosts: async (k: number, horizon: number, from: 'current' | 'start' = 'current') => this.viewerSim.ghosts(k, horizon, from),
    actionSamples: async (k: number) => this.viewerSim.actionSamples(k),
    qLandscape: (dimA: number, dimB: number, grid: number) => this.viewerSim.qLandscape(dimA, dimB, grid),
  };

  readonly recorder = {
    rollout: async (runId: string, opts: RolloutOptions = {}): Promise<RolloutResult> => {
      const { computeRollout } = await import('./record/rollout.ts');
      return computeRollout(this.store, runId, opts);
    },
    list: async (runId: string): Promise<VideoInfo[]> => {
      const { listVideos } = await import('./record/videos.ts');
      return listVideos(this.store, runId);
    },
    save: async (runId: string, name: string, bytesBase64: string, overwrite = false): Promise<{ path: string }> => {
      this.store.read(runId);
      const bytes = Buffer.from(bytesBase64, 'base64');
      if (bytes.length === 0) throw new Error('recorder.save: the video is empty');
      return { path: this.store.saveVideo(runId, name, bytes, overwrite) };
    },
    remove: async (runId: string, name: string): Promise<{ removed: string }> => {
      this.store.read(runId);
      return { removed: this.store.removeVideo(runId, name) };
    },
  };

  readonly variants = {
    list: async (task: string): Promise<SavedVariants> => listSavedVariants(this.store.home, this.knownTask(task)),
    save: async (task: string, variant: unknown): Promise<SavedVariant> => saveVariant(this.store.home, this.knownTask(task), variant),
    remove: async (task: string, name: string): Promise<{ deleted: string }> =>
      removeSavedVariant(this.store.home, this.knownTask(task), name),
  };

  /** A task id, checked: it names a folder under <home>/variants. */
  private knownTask(task: string): string {
    if (!listTasks().some((t) => t.id === task)) throw new Error(`unknown task ${JSON.stringify(task)}`);
    return task;
  }

  readonly system = {
    info: async (): Promise<SystemInfo> => {
      const b = await describeBackend();
      return {
        backend: b.backend,
        device: b.device,
        versions: versions(),
        home: this.store.home,
        platform: `${os.platform()} ${os.arch()}`,
        maxRuns: Number.isFinite(this.maxRuns) ? this.maxRuns : null,
        cores: os.availableParallelism(),
      };
    },
    /** Running runs above a lowered limit go on; queued ones start while there is room. */
    setMaxRuns: async (n: number): Promise<SystemInfo> => {
      if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS_LIMIT)
        throw new Error(`runs at once: a whole number from 1 to ${MAX_RUNS_LIMIT}, got ${n}`);
      if (this.saveMaxRuns) writeStudioSettings(this.store.home, { ...readStudioSettings(this.store.home).settings, maxRuns: n });
      this.maxRuns = n;
      this.drain();
      return this.system.info();
    },
  };

  /**
   * Follows runs that other processes write (a `maxent train` in a terminal, another studio) so
   * the run list and charts update as they do for runs trained here: every `intervalMs` it
   * re-reads run.json files, and for each that changed emits run.state and the new metric rows.
   * The studio hosts (serve, Electron) call it; CLI commands do not.
   */
  watchOtherProcesses(intervalMs = 2000): void {
    if (this.watcher) return;
    const metricsStep = new Map<string, number>(); // per run: the last metric row sent (or its step when first seen)
    const stamps = new Map<string, string>();
    let first = true;
    const tick = (): void => {
      let recs: RunRecord[];
      try {
        recs = this.store.listChanged(stamps); // a stat per run; only changed records are read
      } catch {
        return; // the home went away: try again next time
      }
      for (const rec of recs) {
        if (this.isHere(rec.id)) continue; // its worker (or the queue) reports it
        const last = metricsStep.get(rec.id);
        // Known at start, or new: the UI reads its metrics whole when it shows the run. A row is
        // appended before run.json takes its step, so rows after rec.step are the ones still to come.
        // A step below the rows already sent: resumed from an earlier checkpoint, rows written again.
        const rewound = last !== undefined && rec.step < last;
        const rows = last === undefined ? [] : this.store.readMetrics(rec.id, rewound ? 0 : last + 1);
        metricsStep.set(rec.id, last === undefined ? rec.step : (rows.at(-1)?.step ?? (rewound ? rec.step : last)));
        if (first) continue;
        this.emit('run.state', this.info(rec));
        if (rewound) this.emit('run.metrics', { runId: rec.id, rows, replace: true });
        else if (rows.length) this.emit('run.metrics', { runId: rec.id, rows });
      }
      // A slot that another process's run held (it ended, stopped, or its process died) goes to the queue.
      if (this.queue.length && this.live.size < this.maxRuns) this.drain();
      first = false;
    };
    tick();
    this.watcher = setInterval(tick, intervalMs);
    this.watcher.unref();
  }

  /**
   * Stops every live run (each checkpoints first) and the viewer; queued runs are left stopped.
   * A host (keepSession) first saves which runs were training (not paused) and queued, to continue.
   */
  shutdown(): Promise<void> {
    this.closed ??= this.close();
    return this.closed;
  }

  private async close(): Promise<void> {
    this.closing = true; // a run that ends now starts no queued one
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = null;
    if (this.keepSession) {
      const training = [...this.live.keys()].filter((id) => {
        try {
          return ['created', 'running'].includes(this.store.read(id).status);
        } catch {
          return false; // its folder is gone
        }
      });
      try {
        writeStudioSession(this.store.home, [...training, ...this.queue.map((j) => j.runId)]);
      } catch (e) {
        process.emitWarning(`could not save the runs to continue next time: ${(e as Error).message}`);
      }
    }
    for (const job of this.queue.splice(0)) {
      try {
        this.store.update(job.runId, { status: 'stopped', pid: null });
      } catch {
        // its folder is gone: nothing to record
      }
    }
    await Promise.all([...this.live.values()].map((h) => h.stop().catch(() => undefined)));
    this.viewerSim.dispose();
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /**
   * Continues the runs a host was training or queuing when it last closed (see keepSession), in
   * that order and within Runs at once. A run since deleted, finished, or taken up by another
   * process is left as it is, and the log says so.
   */
  async continueSession(): Promise<RunInfo[]> {
    const { runIds, problem } = takeStudioSession(this.store.home);
    if (problem) this.emit('log', { level: 'warn', message: problem });
    const continued: RunInfo[] = [];
    for (const id of runIds) {
      try {
        if (!this.store.exists(id)) throw new Error('it was deleted');
        const rec = this.store.read(id);
        const status = this.store.effectiveStatus(rec, (x) => this.isHere(x));
        if (status !== 'stopped' && status !== 'interrupted') throw new Error(`it is ${status}`);
        continued.push(await this.resumeRun(id));
      } catch (e) {
        this.emit('log', { level: 'warn', message: `run ${id} was not continued: ${(e as Error).message}`, runId: id });
      }
    }
    if (continued.length)
      this.emit('log', {
        level: 'info',
        message: `continued ${continued.length} run${continued.length === 1 ? '' : 's'} from the last session`,
      });
    return continued;
  }

  /** Trained or queued by this studio. */
  private isHere(runId: string): boolean {
    return this.live.has(runId) || this.queued(runId) >= 0;
  }

  private queued(runId: string): number {
    return this.queue.findIndex((j) => j.runId === runId);
  }

  private info(rec: RunRecord): RunInfo {
    const info = this.store.info(rec, (id) => this.isHere(id));
    const q = this.queued(rec.id);
    return q >= 0 ? { ...info, queuePosition: q + 1 } : info;
  }

  private requireLive(runId: string): TrainingHandle {
    const h = this.live.get(runId);
    if (!h) {
      this.store.read(runId); // "not found" beats "not running" when the id is wrong
      throw new Error(`run ${runId} is not running in this studio`);
    }
    return h;
  }

  private async launch(init: {
    scenarioId: string | null;
    parentRunId: string | null;
    parentStep: number | null;
    config: TrainConfig;
    name?: string;
  }): Promise<RunInfo> {
    // Validate before the run folder exists, so a bad variant leaves nothing behind.
    if (init.config.variant) parseVariant(init.config.variant, init.config.task);
    const b = await describeBackend(init.config.device);
    const rec = this.store.create({ ...init, backend: b.backend, device: b.device });
    this.enqueue({
      runId: rec.id,
      config: rec.config,
      resume: false,
      parent: init.parentRunId != null && init.parentStep != null ? { runId: init.parentRunId, step: init.parentStep } : undefined,
    });
    return this.getRun(rec.id);
  }

  /** Starts the run if fewer than maxRuns train here, else queues it (run.json says queued, with this process as holder). */
  private enqueue(job: Job): void {
    if (!this.queue.length && this.live.size + this.othersTraining() < this.maxRuns) return this.start(job);
    this.queue.push(job);
    this.store.update(job.runId, { status: 'queued', pid: process.pid, hostname: os.hostname() });
    this.emitState(job.runId);
  }

  /** Starts queued runs while there is room. */
  private drain(): void {
    if (this.closing) return;
    let started = false;
    const others = this.queue.length ? this.othersTraining() : 0;
    while (this.queue.length && this.live.size + others < this.maxRuns) {
      const job = this.queue.shift()!;
      try {
        this.startQueued(job);
        started = true;
      } catch (e) {
        // Its folder was deleted while it waited (another studio on this home, a user): skip it.
        this.emit('log', { level: 'warn', message: `queued run ${job.runId} was not started: ${(e as Error).message}`, runId: job.runId });
      }
    }
    if (started) this.emitQueue();
  }

  /**
   * Runs that other processes on this machine train now (a `maxent train` in a terminal, another
   * studio): they use the same cores, so they count against Runs at once. Paused ones do not.
   */
  private othersTraining(): number {
    if (!Number.isFinite(this.maxRuns)) return 0; // no limit: nothing to count
    let n = 0;
    for (const rec of this.store.list()) {
      if (this.isHere(rec.id) || rec.hostname !== os.hostname()) continue;
      const status = this.store.effectiveStatus(rec, () => false);
      if (status === 'running' || status === 'created') n++;
    }
    return n;
  }

  /** A queued run's record says starting until its worker says running. */
  private startQueued(job: Job): void {
    this.store.update(job.runId, { status: 'created', pid: process.pid, hostname: os.hostname() });
    this.start(job);
  }

  /** The queued runs' places changed. */
  private emitQueue(): void {
    for (const j of this.queue) this.emitState(j.runId);
  }

  private start({ runId, config, resume, parent, before }: Job): void {
    const handle = new TrainingHandle({ home: this.store.home, runId, config, resume, init: parent });
    this.live.set(runId, handle);
    // A resumed run rewrote its metrics from its checkpoint on: its first row comes with the whole file.
    let replace = resume;
    handle.on('metrics', (row) => {
      if (!replace) return this.emit('run.metrics', { runId, rows: [row] });
      replace = false;
      this.emit('run.metrics', { runId, rows: this.store.readMetrics(runId), replace: true });
    });
    handle.on('snapshot', (snap) => {
      this.snapshots.set(runId, snap);
      this.viewerSim.setSnapshot(runId, snap);
    });
    handle.on('status', () => this.emitState(runId));
    handle.on('checkpoint', () => this.emitState(runId)); // RunInfo.checkpoints grew
    handle.on('log', (level, message) => this.emit('log', { level, message, runId }));
    handle.done.then(
      () => {
        this.live.delete(runId);
        this.emitState(runId);
        this.drain();
      },
      (e: Error) => {
        this.live.delete(runId);
        try {
          const rec = this.store.read(runId);
          // A resume that failed before its first new step keeps the budget it had: the steps it
          // was given were never trained (resume --steps N again adds them).
          const config = before && rec.step <= before.step ? { ...rec.config, steps: before.steps } : rec.config;
          this.store.update(runId, { status: 'failed', error: e.message, pid: null, config });
        } catch {
          // the run folder itself may be gone; nothing left to record
        }
        this.emit('log', { level: 'error', message: `run ${runId} failed: ${e.message}`, runId });
        this.emitState(runId);
        this.drain();
      },
    );
  }

  private emitState(runId: string): void {
    try {
      this.emit('run.state', this.info(this.store.read(runId)));
    } catch {
      // a run removed from disk while running: nothing to report
    }
  }

  /**
   * The state the viewer shows for a run: its newest checkpoint, else, for a fine-tune that has
   * none yet (trained by another process, or interrupted early), the parent checkpoint it started
   * from, not the random actions of an empty policy.
   */
  private viewerCheckpoint(rec: RunRecord): { step: number; bytes: Uint8Array; file: string } | null {
    if (this.store.newestCheckpoint(rec.id) != null) return this.store.readCheckpoint(rec.id);
    if (rec.parentRunId == null || rec.parentStep == null) return null;
    if (!fs.existsSync(this.store.checkpointPath(rec.parentRunId, rec.parentStep))) return null; // parent deleted
    return this.store.readCheckpoint(rec.parentRunId, rec.parentStep);
  }
}
