// StudioApi: the one interface the renderer talks to, identical over Electron IPC and WebSocket.
// Types for both sides plus the schemas that check every message on arrival.
import { SchemaError, t, type Infer, type Schema } from './schema.ts';
import { RUN_ID, VIDEO_NAME } from './runs/pattern.ts';
import { MAX_SEED } from './seeds.ts';

/** At most this many runs at once can be asked for (each run is a worker thread or more). */
export const MAX_RUNS_LIMIT = 64;

/** queued: waiting in a studio's queue for a free slot (SystemInfo.maxRuns); it trains when one frees. */
export const RUN_STATUSES = ['created', 'queued', 'running', 'paused', 'stopped', 'finished', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface ScenarioInfo {
  id: string;
  title: string;
  description: string;
  expect: string;
  /** settings: the pretrain's learner, as resolved from the scenario and its task's defaults;
   * sqlAlpha: the α it starts with instead when the algorithm is switched to SQL. */
  pretrain: { task: string; algo: string; steps: number; settings: TrainSettings; sqlAlpha: number };
  /** variant: variantLabel() of the fine-tune's variant, null when it runs the task as is */
  /** resetAlpha: the fine-tune restarts α by default (the user may still keep the parent's). */
  /** variantSpec: the variant itself (a built-in's name or JSON), for the variant editor to start from. */
  finetunes: {
    id: string;
    task: string;
    variant: string | null;
    variantSpec: unknown;
    steps: number;
    threshold: number;
    resetAlpha: boolean;
  }[];
}

export interface TaskInfo {
  id: string;
  robot: string;
  obsDim: number;
  actDim: number;
  maxEpisodeSteps: number;
  description: string;
  /** What a run of the task alone trains with unless told otherwise (sqlAlpha: α when the algorithm is SQL). */
  defaults: { steps: number; settings: TrainSettings; sqlAlpha: number };
  /** What a variant of the task may change (the studio's variant editor; sim/variant.ts checks it). */
  variantSchema: VariantSchemaInfo;
}

export interface VariantSchemaInfo {
  /** Task parameters (reward weights, target direction, …) with their defaults and ranges. */
  params: { name: string; default: number; range: [number, number]; doc: string }[];
  /** Bodies whose mass may be scaled, within massScale. */
  bodies: string[];
  /** Actuators whose strength may be scaled (0 disables one), within actuator. */
  actuators: string[];
  obstacles: boolean;
  goals: boolean;
  massScale: [number, number];
  friction: [number, number];
  actuator: [number, number];
  /** The task's built-in variants (e.g. cheetah/run's heavy), as JSON to start from. */
  named: { name: string; description: string; json: unknown }[];
}

type AgentShape = Pick<TaskInfo, 'robot' | 'obsDim' | 'actDim'>;

/**
 * Whether a run trained on `from` can be fine-tuned on `to`: the child loads the parent's full
 * agent state, so the robot and the observation and action sizes must match (arm7's reach tasks
 * observe no block, its push tasks do). The service refuses the rest; the UI offers only these.
 */
export function canFineTune(from: AgentShape, to: AgentShape): boolean {
  return from.robot === to.robot && from.obsDim === to.obsDim && from.actDim === to.actDim;
}

/**
 * The scenario a run belongs to: the one it was started from, else (a run trained from the CLI or
 * on a bare task) the only scenario that pretrains on its task, so such a run is offered that
 * scenario's fine-tunes (cheetah/run's heavy, slippery and backward are variants, not tasks).
 */
export function runScenario<S extends { id: string; pretrain: { task: string } }>(
  run: { scenarioId: string | null; task: string },
  scenarios: readonly S[],
): S | undefined {
  if (run.scenarioId) return scenarios.find((s) => s.id === run.scenarioId);
  const mine = scenarios.filter((s) => s.pretrain.task === run.task);
  return mine.length === 1 ? mine[0] : undefined;
}

/** A short label for a run's variant: its built-in name, the JSON's name, else the JSON itself. */
export function variantLabel(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') return (v as { name: string }).name;
  const json = JSON.stringify(v);
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

/** "cheetah/run (heavy)": the task, with the variant label when there is one. */
export function taskLabel(r: { task: string; variant: string | null }): string {
  return r.variant ? `${r.task} (${r.variant})` : r.task;
}

export interface RunInfo {
  id: string;
  /** The user's name for it (Rename), else the one it was created with. */
  name: string;
  /** The user's notes on it ('' when none). */
  notes: string;
  scenarioId: string | null;
  task: string;
  /** variantLabel() of the run's task variant; null when it runs the task as is */
  variant: string | null;
  /** The variant as run.json has it: a built-in variant's name, a user's JSON, or null. */
  variantSpec: unknown;
  algo: string;
  status: RunStatus;
  step: number;
  totalSteps: number;
  seed: number;
  createdAt: string;
  parentRunId: string | null;
  /** The parent's checkpoint step it was fine-tuned from. */
  parentStep: number | null;
  backend: string;
  dir: string;
  lastReturn: number | null;
  error: string | null;
  /** Trained (running, paused or queued) by another process, e.g. `maxent train` in a terminal: watched here, paused or stopped there. */
  elsewhere: boolean;
  /** Env steps with a checkpoint, ascending: the newest full ones and the kept policies (TrainConfig.keepEvery). */
  checkpoints: number[];
  /** No checkpoint left where there was one (past its first checkpoint step, or finished or stopped,
   * which write one): deleted, or a copy of run.json and metrics only, as bench/curves keeps. It can
   * be plotted and compared, not continued, fine-tuned, evaluated or shown. */
  checkpointsLost: boolean;
  /** What the run trains apart from its seed (task, variant, algorithm, hyperparameters, and a
   * fine-tune's parent setting): runs with the same key are seeds of one experiment. */
  setting: string;
  /** The learner's hyperparameters it trains with. */
  settings: TrainSettings;
  /** Queued in this studio: its place in the queue (1 = next to start). */
  queuePosition?: number;
}

/** Compass sectors of 45° turning counterclockwise from +x (E); the keys of EvalReport.headingHistogram beside 'still'. */
export const HEADING_SECTORS = ['E', 'NE', 'N', 'NW', 'W', 'SW', 'S', 'SE'] as const;
/** Push directions in the table plane (x, z): sectors of 45° from +x (away from the arm) turning
 * toward +z; the keys of EvalReport.pushHistogram beside 'still' and 'off table'. */
export const PUSH_SECTORS = ['+x', '+x+z', '+z', '-x+z', '-x', '-x-z', '-z', '+x-z'] as const;

/** `maxent eval` and the run page's Evaluate: N episodes of a checkpoint's policy. */
export interface EvalReport {
  runId: string;
  /** The task and variant evaluated on (the run's own unless EvalOptions.on). */
  task: string;
  variant: string | null;
  checkpointStep: number;
  episodes: number;
  stochastic: boolean;
  meanReturn: number;
  stdReturn: number;
  meanLength: number;
  /** Share of episodes that reached the goal: only for tasks with one (point goals, arm7 targets). */
  successRate?: number;
  /** goal index → episodes that reached it; 'none' for episodes that reached no goal. */
  goalHistogram?: Record<string, number>;
  /** Entropy (nats) of the goal distribution, 'none' included. */
  goalEntropy?: number;
  goalsReached?: number;
  /** Mean over episodes of |episode-mean velocity| (m/s), for tasks reporting info.x_velocity (ant) or info.vx (cheetah). */
  meanSpeed?: number;
  /** Mean of the per-step |velocity| (m/s): far above meanSpeed, the walker moves back and forth in place. */
  meanStepSpeed?: number;
  /** Mean x velocity (m/s), signed: + forward, − backward; for walkers that move along x only (cheetah). */
  meanVelocityX?: number;
  /** Compass sector (E, NE, N, …; +x is E, +y is N) of each episode's mean planar velocity; 'still' under 0.1 m/s. */
  headingHistogram?: Record<string, number>;
  /** Entropy (nats) of the heading distribution, 'still' included: ln 8 = 2.079 for all sectors alike. */
  headingEntropy?: number;
  /**
   * For tasks that report a goal distance (arm7 reach: info.distance, TCP to target; push-goal:
   * info.block_goal, block to goal): its mean at the episode's last step. successRate counts an
   * episode that touched the goal once; finalSuccessRate only one that ends there (it holds it).
   */
  finalDistance?: number;
  finalSuccessRate?: number;
  /** Mean steps to the first success, over the episodes that succeed. */
  stepsToSuccess?: number;
  /** Pushing (arm7 push tasks): share of episodes that end with the block still on the table. */
  blockOnTableRate?: number;
  /** Mean distance (m) in the table plane from the block's start to where it ends, over the episodes that leave it on the table. */
  meanPushDistance?: number;
  /**
   * Direction each episode pushed the block (+x away from the arm, ±z sideways; 'still' under
   * 5 cm), or 'off table'; and its entropy (nats; ln 10 = 2.303 for all ten outcomes alike).
   */
  pushHistogram?: Record<string, number>;
  pushEntropy?: number;
}

/** One row of metrics.jsonl. Fields absent where nothing was measured in the interval. */
export interface MetricRow {
  step: number;
  time: number; // training seconds since run start (a resumed run continues its clock; a pause does not count)
  episodeReturn?: number;
  episodeLength?: number;
  episodes?: number;
  qLoss?: number;
  policyLoss?: number;
  alpha?: number;
  entropy?: number;
  envStepsPerSec?: number;
  updatesPerSec?: number;
}

export interface ViewerFrame {
  runId: string | null;
  task: string;
  /** Gradient updates behind the policy acting; null: no policy yet (uniform random actions). */
  policyStep: number | null;
  episodeStep: number;
  episodeReturn: number;
  /** 7 floats per body (xyz + quat xyzw) in the env spec's body order. */
  poses: number[];
}

export interface GhostRollouts {
  /** k trails, each horizon × 3 positions of the tracked body (root body). */
  trails: number[][];
  /** Final poses of every body for each ghost (k × bodies × 7). */
  finalPoses: number[][];
}

export interface ActionSamples {
  actDim: number;
  /** k × actDim, flattened. */
  actions: number[];
}

export interface QLandscape {
  dimA: number;
  dimB: number;
  grid: number;
  /** grid × grid values of Q (row-major: B rows, A columns), actions span [-1, 1]. */
  q: number[];
  alpha: number;
}

/** Options of recorder.rollout: a deterministic rollout for a video (see studio/record/rollout.ts). */
export interface RolloutOptions {
  episodes?: number;
  /** Episode e resets with seed + e; the stochastic policy's noise is seeded with it too. */
  seed?: number;
  stochastic?: boolean;
  temperature?: number;
  /** Keep every frameSkip-th env state (and always the last of an episode). */
  frameSkip?: number;
  /** Ghost rollouts per episode, branched from its start (0: none). */
  ghosts?: number;
  ghostHorizon?: number;
  /** The checkpoint (env step) to roll out; default the latest. */
  step?: number;
}

export interface RolloutEpisode {
  seed: number;
  /** Env steps in the episode (L). */
  steps: number;
  /** Env step of each kept state: 0, k, 2k, …, and L (so 1 + ceil(L / k) states). */
  stateSteps: number[];
  /** Return accumulated up to each kept state. */
  returns: number[];
  /** Poses of each kept state, 7 floats per body, flattened. */
  poses: number[];
  ghosts?: GhostRollouts;
}

export interface RolloutResult {
  runId: string;
  task: string;
  checkpointStep: number;
  dt: number;
  frameSkip: number;
  stochastic: boolean;
  seed: number;
  spec: ViewerState['spec'];
  episodes: RolloutEpisode[];
}

export interface VideoInfo {
  name: string;
  bytes: number;
  modifiedAt: string;
}

/** Default options of a rollout video: the UI's Record panel and the desktop app's Record menu. */
export const DEFAULT_RECORD_OPTIONS = {
  episodes: 3,
  seed: 0,
  stochastic: true,
  width: 1280,
  height: 720,
  fps: 30,
  camera: 'fixed',
  overlays: true,
  ghosts: false,
} as const;

/** A recorded rollout video, as the renderer's recorder reports it to its host (UI, `maxent record`). */
export interface VideoRecordResult {
  runId: string;
  /** Where recorder.save stored the file. */
  path: string;
  name: string;
  /** The WebCodecs codec string, e.g. avc1.42e01f or vp09.00.40.08. */
  codec: string;
  container: 'mp4' | 'webm';
  frames: number;
  fps: number;
  width: number;
  height: number;
  bytes: number;
  duration: number;
  checkpointStep: number;
  episodeSteps: number[];
  /** Env steps per kept state and video frames per kept-state gap (the frame-count rule). */
  rate: { frameSkip: number; framesPerStep: number };
  /** Wall-clock seconds spent rendering + encoding + muxing (not the rollout or the save). */
  encodeSeconds: number;
  /** Video frames rendered and encoded per wall-clock second. */
  framesPerSecond: number;
}

export interface SystemInfo {
  backend: string;
  device: string;
  versions: Record<string, string>;
  home: string;
  platform: string;
  /** How many runs this studio trains at once; more wait queued. null: no limit (CLI commands). */
  maxRuns: number | null;
  /** Logical CPU cores of the machine (the default maxRuns). */
  cores: number;
}

export interface ViewerState {
  runId: string | null;
  task: string;
  spec: {
    id: string;
    obsDim: number;
    actDim: number;
    bodies: { name: string; shape: string; size: number[]; color: string }[];
    markers: { kind: string; shape: string; position: [number, number, number]; size: number[]; color: string }[];
    actionNames: string[];
    /** The robot's root moves freely (walkers): the 3-D view follows it unless the user says otherwise. */
    travels: boolean;
  };
  mode: 'stochastic' | 'deterministic';
  temperature: number;
  /** Gradient updates behind the policy acting; null: the run has no policy yet (no checkpoint, no live weights), so the viewer acts at random. */
  policyStep: number | null;
  /** The checkpoint (env step) the viewer was asked to show; null: the run's newest policy, live while it trains. */
  checkpointStep: number | null;
}

/** The most env steps a run may be given (or added to it). */
export const MAX_STEPS = 100_000_000;

export const runOverridesSchema = t.object({
  task: t.optional(t.string({ max: 100 })),
  algo: t.optional(t.literal('sac', 'sql')),
  steps: t.optional(t.number({ int: true, min: 1, max: MAX_STEPS })),
  seed: t.optional(t.number({ int: true, min: 0, max: MAX_SEED })),
  name: t.optional(t.string({ max: 200 })),
  numEnvs: t.optional(t.number({ int: true, min: 1, max: 256 })),
  hidden: t.optional(t.array(t.number({ int: true, min: 1, max: 4096 }), { max: 8 })),
  batchSize: t.optional(t.number({ int: true, min: 1, max: 65536 })),
  lr: t.optional(t.number({ min: 0, max: 1 })),
  gamma: t.optional(t.number({ min: 0, max: 1 })),
  tau: t.optional(t.number({ min: 0, max: 1 })),
  learningStarts: t.optional(t.number({ int: true, min: 0, max: 100_000_000 })),
  replaySize: t.optional(t.number({ int: true, min: 1, max: 100_000_000 })),
  updatesPerStep: t.optional(t.number({ min: 0, max: 64 })),
  logEvery: t.optional(t.number({ int: true, min: 1, max: 100_000_000 })),
  snapshotEvery: t.optional(t.number({ int: true, min: 1, max: 100_000_000 })),
  checkpointEvery: t.optional(t.number({ int: true, min: 1, max: 100_000_000 })),
  keepEvery: t.optional(t.number({ int: true, min: 0, max: 100_000_000 })),
  policy: t.optional(t.literal('gaussian', 'mixture')),
  components: t.optional(t.number({ int: true, min: 1, max: 16 })),
  particles: t.optional(t.number({ int: true, min: 2, max: 256 })),
  initAlpha: t.optional(t.number({ above: 0, max: 100 })), // log α: 0 has none
  autoAlpha: t.optional(t.boolean()),
  resetAlpha: t.optional(t.boolean()),
  device: t.optional(t.literal('auto', 'cpu', 'webgpu', 'tfjs')),
  threads: t.optional(t.number({ int: true, min: 0, max: 64 })),
});
export type RunOverrides = Infer<typeof runOverridesSchema>;

/** The learner's hyperparameters a user sets when starting a run (the studio's Settings, the CLI's flags). */
export const SETTING_KEYS = [
  'algo',
  'policy',
  'components',
  'particles',
  'hidden',
  'batchSize',
  'lr',
  'gamma',
  'tau',
  'learningStarts',
  'updatesPerStep',
  'replaySize',
  'autoAlpha',
  'initAlpha',
  'numEnvs',
  'device',
] as const;
export type TrainSettings = Required<Pick<RunOverrides, (typeof SETTING_KEYS)[number]>>;

const runId = t.string({ min: 1, max: 200, pattern: RUN_ID });

/** A user's variant: a built-in variant's name or its JSON. Only its size is checked here; the
 * service checks the fields against the task (sim/variant.ts), naming any bad one. */
const variantJsonSchema: Schema<unknown> = {
  describe: 'a variant (a name or a JSON object of at most 20,000 characters)',
  check(v, path) {
    if (typeof v === 'string') return t.string({ min: 1, max: 80 }).check(v, path);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(`${path}: expected ${this.describe}`);
    if (JSON.stringify(v).length > 20_000) throw new SchemaError(`${path}: the variant is over 20,000 characters of JSON`);
    return v;
  },
};

export const rolloutOptionsSchema = t.object({
  episodes: t.optional(t.number({ int: true, min: 1, max: 100 })),
  seed: t.optional(t.number({ int: true, min: 0, max: MAX_SEED })),
  stochastic: t.optional(t.boolean()),
  temperature: t.optional(t.number({ min: 0, max: 10 })),
  frameSkip: t.optional(t.number({ int: true, min: 1, max: 1000 })),
  ghosts: t.optional(t.number({ int: true, min: 0, max: 64 })),
  ghostHorizon: t.optional(t.number({ int: true, min: 1, max: 1000 })),
  step: t.optional(t.number({ int: true, min: 0 })),
});

export const evalOptionsSchema = t.object({
  episodes: t.optional(t.number({ int: true, min: 1, max: 200 })),
  stochastic: t.optional(t.boolean()),
  seed: t.optional(t.number({ int: true, min: 0, max: MAX_SEED })),
  temperature: t.optional(t.number({ min: 0, max: 10 })),
  /** a checkpoint step; default the latest */
  step: t.optional(t.number({ int: true, min: 0 })),
  /** a fine-tune target (variant id or task id): the policy there, before any fine-tuning */
  on: t.optional(t.string({ min: 1, max: 100 })),
  /** a user's variant of that target's task (of the run's own task without `on`) */
  variant: t.optional(variantJsonSchema),
});
export type EvalRequest = Infer<typeof evalOptionsSchema>;

/** Parameter schemas per method: params is always a positional array. */
export const methodSchemas = {
  listScenarios: t.array(t.any(), { max: 0 }),
  listTasks: t.array(t.any(), { max: 0 }),
  listRuns: t.array(t.any(), { max: 0 }),
  getRun: tuple([runId]),
  startRun: tuple([t.string({ min: 1, max: 100 }), t.optional(runOverridesSchema), t.optional(variantJsonSchema)]),
  fineTune: tuple([runId, t.string({ min: 1, max: 100 }), t.optional(runOverridesSchema), t.optional(variantJsonSchema)]),
  pause: tuple([runId]),
  resume: tuple([runId, t.optional(t.number({ int: true, min: 1, max: MAX_STEPS }))]),
  stop: tuple([runId]),
  deleteRun: tuple([runId]),
  labelRun: tuple([runId, t.object({ name: t.optional(t.string({ max: 200 })), notes: t.optional(t.string({ max: 10_000 })) })]),
  startScratch: tuple([runId]),
  evaluate: tuple([runId, t.optional(evalOptionsSchema)]),
  getMetrics: tuple([runId, t.optional(t.number({ int: true, min: 0 }))]),
  'viewer.load': tuple([t.optional(runId), t.optional(t.number({ int: true, min: 0 }))]),
  'viewer.state': t.array(t.any(), { max: 0 }),
  'viewer.setMode': tuple([t.literal('stochastic', 'deterministic'), t.optional(t.number({ min: 0, max: 10 }))]),
  'viewer.ghosts': tuple([
    t.number({ int: true, min: 1, max: 64 }),
    t.number({ int: true, min: 1, max: 1000 }),
    t.optional(t.literal('current', 'start')),
  ]),
  'viewer.actionSamples': tuple([t.number({ int: true, min: 1, max: 4096 })]),
  'viewer.qLandscape': tuple([
    t.number({ int: true, min: 0, max: 63 }),
    t.number({ int: true, min: 0, max: 63 }),
    t.number({ int: true, min: 2, max: 128 }),
  ]),
  'recorder.rollout': tuple([runId, t.optional(rolloutOptionsSchema)]),
  'recorder.list': tuple([runId]),
  'recorder.remove': tuple([runId, t.string({ min: 1, max: 200, pattern: VIDEO_NAME })]),
  'recorder.save': tuple([
    runId,
    t.string({ min: 1, max: 200, pattern: VIDEO_NAME }),
    t.string({ max: 1_000_000_000 }),
    t.optional(t.boolean()),
  ]),
  'variants.list': tuple([t.string({ min: 1, max: 100 })]),
  'variants.save': tuple([t.string({ min: 1, max: 100 }), variantJsonSchema]),
  'variants.remove': tuple([t.string({ min: 1, max: 100 }), t.string({ min: 1, max: 80 })]),
  'system.info': t.array(t.any(), { max: 0 }),
  'system.setMaxRuns': tuple([t.number({ int: true, min: 1, max: MAX_RUNS_LIMIT })]),
} as const satisfies Record<string, Schema<unknown[]>>;

export type MethodName = keyof typeof methodSchemas;

function tuple(items: Schema<unknown>[]): Schema<unknown[]> {
  const describe = `[${items.map((s) => s.describe).join(', ')}]`;
  return {
    describe,
    check(v, path) {
      if (!Array.isArray(v)) throw new Error(`${path}: expected params ${describe}`);
      if (v.length > items.length) throw new Error(`${path}: expected at most ${items.length} params, got ${v.length}`);
      return items.map((s, i) => s.check(v[i], `${path}[${i}]`));
    },
  };
}

export interface StudioEvents {
  'run.state': RunInfo;
  /** replace: the rows are the run's whole metrics, instead of what was sent before (it was resumed
   * from an earlier checkpoint, so the rows after it were written again). */
  'run.metrics': { runId: string; rows: MetricRow[]; replace?: boolean };
  'viewer.frame': ViewerFrame;
  log: { level: 'info' | 'warn' | 'error'; message: string; runId?: string };
}
export type EventName = keyof StudioEvents;

/** The API the renderer sees as window.studio. */
export interface StudioApi {
  listScenarios(): Promise<ScenarioInfo[]>;
  listTasks(): Promise<TaskInfo[]>;
  listRuns(): Promise<RunInfo[]>;
  getRun(runId: string): Promise<RunInfo>;
  /** variant: for a task id, a user's variant of it (VariantSchemaInfo says what it may change). */
  startRun(scenarioId: string, overrides?: RunOverrides, variant?: unknown): Promise<RunInfo>;
  /** variantId is a task id or a fine-tune id of the parent's scenario; variant, a user's variant of its task. */
  fineTune(parentRunId: string, variantId: string, overrides?: RunOverrides, variant?: unknown): Promise<RunInfo>;
  pause(runId: string): Promise<RunInfo>;
  /**
   * Continues a run: a paused one where it is, a queued one now (past the queue), a stopped,
   * interrupted or failed one from its newest checkpoint. moreSteps raises its budget by that
   * many steps past where it is (needed to continue a finished run).
   */
  resume(runId: string, moreSteps?: number): Promise<RunInfo>;
  stop(runId: string): Promise<RunInfo>;
  /** Starts the "from scratch" control of a fine-tune run: same task, variant, config, seed. */
  startScratch(fineTuneRunId: string): Promise<RunInfo>;
  /** Episodes of the run's checkpoint policy (on its task, or zero-shot on a fine-tune target). */
  evaluate(runId: string, opts?: EvalRequest): Promise<EvalReport>;
  /** Renames a run and sets its notes (blank name: the one it was created with). */
  labelRun(runId: string, label: { name?: string; notes?: string }): Promise<RunInfo>;
  /** Removes a run folder for good (the UI confirms first); refused while the run is live. */
  deleteRun(runId: string): Promise<{ deleted: string }>;
  getMetrics(runId: string, fromStep?: number): Promise<MetricRow[]>;
  viewer: {
    /** step: one of the run's checkpoints, shown as it was (no live updates); default the newest policy. */
    load(runId?: string, step?: number): Promise<ViewerState>;
    state(): Promise<ViewerState>;
    setMode(mode: 'stochastic' | 'deterministic', temperature?: number): Promise<ViewerState>;
    /** from 'current' (default): branch from the displayed state; 'start': from a fresh episode start. */
    ghosts(k: number, horizon: number, from?: 'current' | 'start'): Promise<GhostRollouts>;
    actionSamples(k: number): Promise<ActionSamples>;
    qLandscape(dimA: number, dimB: number, grid: number): Promise<QLandscape>;
  };
  recorder: {
    /** A deterministic rollout of the run's latest checkpoint (or opts.step), for rendering a video frame by frame. */
    rollout(runId: string, opts?: RolloutOptions): Promise<RolloutResult>;
    /** The videos saved in the run's videos/ folder, newest first. */
    list(runId: string): Promise<VideoInfo[]>;
    /** bytes: base64 of the encoded video. Returns the saved file path. A video of that name is
     *  an error unless `overwrite`. */
    save(runId: string, name: string, bytesBase64: string, overwrite?: boolean): Promise<{ path: string }>;
    /** Deletes one of the run's videos for good. */
    remove(runId: string, name: string): Promise<{ removed: string }>;
    /** Desktop only (the preload's maxent-media:// scheme): a playable URL for a saved video. The
     *  browser UI has none and uses the server's /runs/<id>/videos/<name> route. Not an RPC. */
    videoUrl?(runId: string, name: string): string;
  };
  /** A user's variants saved by name per task (<home>/variants/<task>/<name>.json, the `--variant file.json` format). */
  variants: {
    /** The task's saved variants, by file name; a file that is not a valid variant of the task is named in `problems`. */
    list(task: string): Promise<SavedVariants>;
    /** Saves a variant (checked against the task) under its name, replacing the one saved under that name. */
    save(task: string, variant: unknown): Promise<SavedVariant>;
    remove(task: string, name: string): Promise<{ deleted: string }>;
  };
  system: {
    info(): Promise<SystemInfo>;
    /** How many runs train at once (saved for the next start); starts queued runs if that frees slots. */
    setMaxRuns(n: number): Promise<SystemInfo>;
  };
  on<E extends EventName>(event: E, handler: (data: StudioEvents[E]) => void): () => void;
}

export interface SavedVariant {
  task: string;
  name: string;
  /** The variant as saved (what startRun / fineTune / evaluate take). */
  json: unknown;
  /** Where it is saved, for `maxent train <task> --variant <file>`. */
  file: string;
  savedAt: string;
}
export interface SavedVariants {
  variants: SavedVariant[];
  problems: string[];
}

/** Wire format shared by both transports. */
export const requestSchema = t.object({
  id: t.number({ int: true, min: 0 }),
  method: t.string({ max: 64 }),
  params: t.array(t.any(), { max: 8 }),
});
export type Request = Infer<typeof requestSchema>;
export type Response = { id: number; result?: unknown; error?: string };
export type EventMessage = { event: EventName; data: unknown };

/** Checks a raw request: returns the method name and validated params, or throws a clear error. */
export function validateRequest(raw: unknown): { id: number; method: MethodName; params: unknown[] } {
  const req = requestSchema.check(raw, 'request');
  if (!Object.prototype.hasOwnProperty.call(methodSchemas, req.method)) {
    throw new Error(`unknown method ${JSON.stringify(req.method)}`);
  }
  const method = req.method as MethodName;
  const params = methodSchemas[method].check(req.params, method);
  return { id: req.id, method, params };
}
