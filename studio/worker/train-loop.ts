// One training run: VecEnv + Agent + replay, {act, step, store, update}. Runs inside a worker
// thread (studio/worker/worker.ts) or in-process for tests. It is the only writer of its run's
// files while it runs, so a killed host process cannot tear them.
import fs from 'node:fs';
import os from 'node:os';
import { createVecEnv } from '../../sim/index.ts';
import {
  isGpuSacAgent,
  isParallelSacAgent,
  ReplayBuffer,
  createRng,
  encodeCheckpoint,
  decodeCheckpoint,
  addReplayToCheckpoint,
  restoreReplayFromCheckpoint,
} from '../../agents/index.ts';
import type { Checkpoint } from '../../agents/agent.ts';
import type { Agent, PolicySnapshot } from '../../agents/agent.ts';
import type { MetricRow } from '../api.ts';
import type { TrainConfig } from '../config.ts';
import { RunStore } from '../runs/store.ts';
import { agentConfigFrom } from './agent-config.ts';
import { createTrainingAgent } from '../backend.ts';
import { addLoopState, readLoopState, type LoopState, type MetricsInterval } from './loop-state.ts';

/** Control word shared with the host: the loop polls it once per vector step. */
export const CONTROL = { run: 0, pause: 1, stop: 2 } as const;

export interface TrainJob {
  home: string;
  runId: string;
  config: TrainConfig;
  /** Continue this run from its own latest checkpoint (crash resume or `maxent resume`). */
  resume: boolean;
  /** Fine-tuning: initialise the full agent state from this parent checkpoint. */
  init?: { runId: string; step: number };
}

export interface TrainHooks {
  control: Int32Array;
  onMetrics?(row: MetricRow): void;
  onSnapshot?(snap: PolicySnapshot): void;
  onCheckpoint?(step: number): void;
  onStatus?(status: 'running' | 'paused' | 'stopped' | 'finished', step: number): void;
  /** What the user should know about this run (the backend chosen and why): the CLI and UI log. */
  onLog?(level: 'info' | 'warn', message: string): void;
}

export interface TrainResult {
  step: number;
  status: 'stopped' | 'finished';
  lastReturn: number | null;
  episodes: number;
}

export async function runTraining(job: TrainJob, hooks: TrainHooks): Promise<TrainResult> {
  const store = new RunStore(job.home);
  const cfg = job.config;
  const vec = await createVecEnv(cfg.task, cfg.numEnvs, { variant: cfg.variant ?? undefined, seed: cfg.seed });
  const n = vec.n;
  const { obsDim, actDim } = vec.spec;
  const agentConfig = agentConfigFrom(cfg, obsDim, actDim);
  // A resumed run keeps the thread count it ran with (each thread has its own noise stream), so
  // the continuation is the same as if it had never stopped.
  // The newest full checkpoint; where only kept policies are left (full files deleted to save
  // space), the newest of those, without its replay and loop state.
  const resumeCk = job.resume ? readableCheckpoint(store, job.runId, (m) => hooks.onLog?.('warn', m)) : null;
  const resumeFrom = resumeCk?.step ?? null;
  const resumeKept = resumeCk?.kept ?? false;
  const resumeMeta = resumeFrom != null ? readCheckpointMeta(store, job.runId, resumeFrom) : {};
  const t = resumeMeta.threads;
  if (!agentConfig.threads && typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 64) agentConfig.threads = t;
  const { agent, info } = await createTrainingAgent(agentConfig, cfg.device ?? 'auto', cfg.replaySize);
  // WebGPU learns asynchronously: updates in batches of submits from its GPU replay ring; it acts
  // with a CPU copy of the policy refreshed after every submit (so acting lags by <= one submit).
  const gpu = isGpuSacAgent(agent) ? agent : null;
  hooks.onLog?.('info', `training on ${info.backend}: ${info.device}${info.notes.length ? ` (${info.notes.join('; ')})` : ''}`);
  const rec = store.read(job.runId);
  // The run was created with a guess (auto, no agent config): record what really runs.
  if (rec.backend !== info.backend || rec.device !== info.device) store.update(job.runId, { backend: info.backend, device: info.device });
  let step = 0;
  let episodes = 0;
  let warm = false; // skip the random warm-up when starting from a trained agent
  let timeOffset = 0; // training seconds before this segment: a resumed run's clock continues

  const replay = new ReplayBuffer(cfg.replaySize, obsDim, actDim);
  let loop: LoopState | null = null;
  if (job.resume) {
    // A crash mid-write (of a checkpoint, say) left its temp file: nothing will finish it.
    const swept = store.sweepTemp(job.runId);
    if (swept.length) hooks.onLog?.('info', `removed ${swept.length} temp file(s) a crashed write left: ${swept.join(', ')}`);
    if (resumeCk) {
      const { step: ck, file } = resumeCk;
      const c = loadInto(agent, resumeCk.checkpoint, file);
      // Resuming continues with the same data when the checkpoint carries the buffer.
      const hasReplay = restoreReplayFromCheckpoint(c, replay);
      gpu?.loadReplay(replay.exportState());
      step = ck;
      episodes = typeof resumeMeta.episodes === 'number' ? resumeMeta.episodes : 0;
      try {
        loop = readLoopState(c, n * obsDim);
        if (loop) vec.restore(loop.env); // before anything of the run changes
      } catch (e) {
        throw new Error(`cannot resume from ${file}: ${(e as Error).message}`);
      }
      // With the loop's own state the run continues exactly (warm-up rule included); without it
      // (older checkpoints) it continues from a trained agent with reseeded envs.
      warm = loop == null;
      if (resumeKept)
        hooks.onLog?.(
          'warn',
          `only a kept policy is left at step ${ck} (no replay buffer, no loop state): the run resumes from that policy with an empty replay buffer and reseeded envs`,
        );
      else if (!loop)
        hooks.onLog?.(
          'warn',
          `checkpoint ${ck} has no training-loop state (older format): the run resumes with reseeded envs, not exactly where it stopped`,
        );
      else if (!hasReplay)
        hooks.onLog?.('warn', `checkpoint ${ck} holds no replay buffer (too large to save): the run resumes with an empty one`);
    } else
      hooks.onLog?.(
        'warn',
        `run ${job.runId} stopped before its first checkpoint: it starts again from step 0${job.init ? ", from its parent's checkpoint" : ''}`,
      );
    store.truncateMetrics(job.runId, step);
    timeOffset = store.readMetrics(job.runId).at(-1)?.time ?? 0;
  }
  // A fine-tune starts from its parent's checkpoint: when it is new, and when it is resumed
  // before it wrote a checkpoint of its own (else it would quietly train from scratch).
  if (job.init && (!job.resume || resumeFrom == null)) {
    const { bytes, file } = store.readCheckpoint(job.init.runId, job.init.step);
    loadInto(agent, decodeFile(bytes, file), file, cfg.resetAlpha ? cfg.initAlpha : undefined);
    warm = true;
  }

  if (agent.obsDim !== obsDim || agent.actDim !== actDim) {
    throw new Error(`agent dims (${agent.obsDim}→${agent.actDim}) do not match ${cfg.task} (${obsDim}→${actDim})`);
  }
  const rng = createRng(cfg.seed * 7919 + step + 17);
  const obs = new Float32Array(n * obsDim);
  obs.set(loop ? loop.obs : vec.reset(cfg.seed + step));
  const randomActions = new Float32Array(n * actDim);

  // Interval accumulators for the metrics row.
  const acc: MetricsInterval = { ret: 0, len: 0, eps: 0, q: 0, pi: 0, alpha: 0, ent: 0, upd: 0 };
  let updateDebt = 0;
  let lastReturn: number | null = null;
  if (loop) {
    rng.setState(loop.rng); // checked by readLoopState
    updateDebt = loop.updateDebt;
    lastReturn = loop.lastReturn;
    Object.assign(acc, loop.acc);
  }
  let t0 = performance.now();
  let tInterval = t0;
  let stepInterval = step;
  let updInterval = 0;
  let nextLog = Math.ceil((step + 1) / cfg.logEvery) * cfg.logEvery;
  let nextSnap = step + cfg.snapshotEvery;
  let nextCkpt = Math.ceil((step + 1) / cfg.checkpointEvery) * cfg.checkpointEvery;

  store.update(job.runId, { status: 'running', pid: process.pid, hostname: os.hostname(), step, error: null });
  hooks.onStatus?.('running', step);
  hooks.onSnapshot?.(agent.exportPolicy());

  // WebGPU updates overlap env stepping: at most one train() in flight, collected before the next
  // one starts, before checkpoints and at the end. Acting lags the learner by <= two submits.
  let pendingGpu: ReturnType<NonNullable<typeof gpu>['train']> | null = null;
  const collectGpu = async (): Promise<void> => {
    if (!pendingGpu) return;
    const { count, mean } = await pendingGpu;
    pendingGpu = null;
    checkFinite(mean, agent.updates);
    acc.q += mean.qLoss * count;
    acc.pi += mean.policyLoss * count;
    acc.alpha += mean.alpha * count;
    acc.ent += mean.entropy * count;
    acc.upd += count;
    updInterval += count;
  };

  let lastCkptStep = step;
  const saveCheckpoint = async (): Promise<void> => {
    await collectGpu();
    await gpu?.sync(); // the GPU holds the newest state; the checkpoint is the CPU format either way
    const ck = agent.save();
    ck.meta.extra = { ...ck.meta.extra, envStep: step, episodes };
    // Encoded before the replay and loop state join it: a kept policy is a few MB, not the replay's hundreds.
    const kept = keepsPolicy(cfg, lastCkptStep, step) ? encodeCheckpoint(ck) : undefined;
    lastCkptStep = step;
    if (saveReplay(cfg, replay)) addReplayToCheckpoint(ck, replay);
    addLoopState(ck, { rng: rng.getState(), env: vec.snapshot(), obs, updateDebt, lastReturn, acc });
    store.writeCheckpoint(
      job.runId,
      step,
      encodeCheckpoint(ck),
      {
        episodes,
        updates: agent.updates,
        task: cfg.task,
        threads: info.threads ?? 1,
      },
      3,
      kept,
    );
    hooks.onCheckpoint?.(step);
  };

  while (step < cfg.steps) {
    const c = Atomics.load(hooks.control, 0);
    if (c === CONTROL.stop) break;
    if (c === CONTROL.pause) {
      store.update(job.runId, { status: 'paused', step });
      hooks.onStatus?.('paused', step);
      const pausedAt = performance.now();
      while (Atomics.load(hooks.control, 0) === CONTROL.pause) Atomics.wait(hooks.control, 0, CONTROL.pause, 1000);
      // A run's clock counts training only: a pause would read as a slow interval and a late ETA.
      const paused = performance.now() - pausedAt;
      t0 += paused;
      tInterval += paused;
      store.update(job.runId, { status: 'running', step });
      hooks.onStatus?.('running', step);
      continue;
    }

    let actions: Float32Array;
    if (!warm && step < cfg.learningStarts) {
      for (let i = 0; i < randomActions.length; i++) randomActions[i] = rng.uniform() * 2 - 1;
      actions = randomActions;
    } else {
      actions = agent.actBatch(obs, n);
    }
    const res = vec.step(actions);
    replay.addBatch(obs, actions, res.rewards, res.finalObs, res.terminated, n);
    gpu?.addTransitions(obs, actions, res.rewards, res.finalObs, res.terminated, n);
    obs.set(res.obs);
    step += n;

    for (let i = 0; i < n; i++) {
      const r = vec.episodeReturns[i];
      if (!Number.isNaN(r)) {
        acc.ret += r;
        acc.len += vec.episodeLengths[i];
        acc.eps++;
        episodes++;
        lastReturn = r;
      }
    }

    if (replay.size >= cfg.batchSize && (warm || step >= cfg.learningStarts)) {
      updateDebt += cfg.updatesPerStep * n;
      if (gpu && updateDebt >= gpu.updatesPerSubmit) {
        // The previous submit ran on the GPU while the envs stepped; collect it, launch the next.
        await collectGpu();
        const k = Math.floor(updateDebt);
        updateDebt -= k;
        pendingGpu = gpu.train(k);
      }
      while (!gpu && updateDebt >= 1) {
        updateDebt -= 1;
        const m = agent.update(replay.sample(cfg.batchSize, rng));
        checkFinite(m, agent.updates);
        acc.q += m.qLoss;
        acc.pi += m.policyLoss;
        acc.alpha += m.alpha;
        acc.ent += m.entropy;
        acc.upd++;
        updInterval++;
      }
    }

    if (step >= nextLog || step >= cfg.steps) {
      nextLog += cfg.logEvery;
      const now = performance.now();
      const dt = Math.max(1e-9, (now - tInterval) / 1000);
      const row: MetricRow = { step, time: round(timeOffset + (now - t0) / 1000, 3), episodes };
      if (acc.eps > 0) {
        row.episodeReturn = round(acc.ret / acc.eps, 5);
        row.episodeLength = round(acc.len / acc.eps, 3);
      }
      if (acc.upd > 0) {
        row.qLoss = round(acc.q / acc.upd, 6);
        row.policyLoss = round(acc.pi / acc.upd, 6);
        row.alpha = round(acc.alpha / acc.upd, 6);
        row.entropy = round(acc.ent / acc.upd, 6);
      }
      row.envStepsPerSec = round((step - stepInterval) / dt, 1);
      row.updatesPerSec = round(updInterval / dt, 1);
      store.appendMetrics(job.runId, [row]);
      hooks.onMetrics?.(row);
      store.update(job.runId, { step, lastReturn });
      acc.ret = acc.len = acc.eps = acc.q = acc.pi = acc.alpha = acc.ent = acc.upd = 0;
      tInterval = now;
      stepInterval = step;
      updInterval = 0;
    }
    if (step >= nextSnap) {
      nextSnap += cfg.snapshotEvery;
      hooks.onSnapshot?.(agent.exportPolicy());
    }
    if (step >= nextCkpt) {
      nextCkpt += cfg.checkpointEvery;
      await saveCheckpoint();
    }
  }

  // Stop or finish: always leave a checkpoint at the final step so nothing trained is lost.
  await collectGpu();
  if (store.latestCheckpoint(job.runId) !== step) await saveCheckpoint();
  gpu?.dispose();
  if (isParallelSacAgent(agent)) agent.dispose();
  const status = step >= cfg.steps ? 'finished' : 'stopped';
  store.update(job.runId, { status, step, lastReturn, pid: null });
  hooks.onSnapshot?.(agent.exportPolicy());
  hooks.onStatus?.(status, step);
  vec.dispose();
  return { step, status, lastReturn, episodes };
}

/**
 * Whether the checkpoint at `step` (the previous one at `prev`) keeps its policy for good: it
 * crosses a multiple of keepEvery, or (keepEvery absent) a tenth of the run; the final one does.
 */
export function keepsPolicy(cfg: Pick<TrainConfig, 'steps' | 'keepEvery'>, prev: number, step: number): boolean {
  if (step >= cfg.steps) return true;
  // Every `den / num` steps, as a ratio so tenths of any budget stay exact in integers.
  const [num, den] = cfg.keepEvery === undefined ? [10, cfg.steps] : [1, cfg.keepEvery];
  return den > 0 && Math.floor((step * num) / den) > Math.floor((prev * num) / den);
}

/** Replay goes into checkpoints when asked, or ('auto') while its filled part is <= 128 MB. */
function saveReplay(cfg: TrainConfig, replay: ReplayBuffer): boolean {
  if (cfg.saveReplay !== 'auto') return cfg.saveReplay;
  const bytes = replay.size * (2 * replay.obsDim + replay.actDim + 2) * 4;
  return bytes <= 128 * 2 ** 20;
}

/** Stops a run whose learner diverged before it writes a checkpoint of NaN weights (or keeps
 * acting on them): the newest checkpoint stays the last good one. */
function checkFinite(m: { qLoss: number; policyLoss: number; alpha: number }, updates: number): void {
  if (Number.isFinite(m.qLoss) && Number.isFinite(m.policyLoss) && Number.isFinite(m.alpha)) return;
  throw new Error(
    `training diverged at update ${updates}: Q loss ${m.qLoss}, policy loss ${m.policyLoss}, α ${m.alpha}. ` +
      'The newest checkpoint is from before it; a lower learning rate or α may help',
  );
}

function decodeFile(bytes: Uint8Array, file: string): Checkpoint {
  try {
    return decodeCheckpoint(bytes);
  } catch (e) {
    throw new Error(`cannot load checkpoint ${file}: ${(e as Error).message}`);
  }
}

/**
 * The checkpoint a run resumes from: its newest full one, else its newest kept policy. One that
 * cannot be read (a disk that filled up, a file damaged by hand) is passed over, with a warning,
 * for the one before it: the store keeps a few, so a damaged newest file costs steps, not the run.
 */
function readableCheckpoint(
  store: RunStore,
  runId: string,
  warn: (message: string) => void,
): { step: number; checkpoint: Checkpoint; file: string; kept: boolean } | null {
  const newest = store.newestCheckpoint(runId);
  if (newest == null) return null;
  const steps = store.checkpointSteps(runId);
  const full = new Set(steps.filter((s) => store.isFullCheckpoint(runId, s)));
  const kept = steps.filter((s) => !full.has(s));
  const order = [...new Set([newest, ...[...full].reverse(), ...kept.reverse()])];
  let first: Error | null = null;
  for (const [i, step] of order.entries()) {
    try {
      const { bytes, file } = store.readCheckpoint(runId, step);
      const checkpoint = decodeFile(bytes, file);
      if (i > 0) warn(`${first!.message}: the run resumes from the checkpoint before it, at step ${step}`);
      return { step, checkpoint, file, kept: !full.has(step) };
    } catch (e) {
      first ??= e as Error;
    }
  }
  throw first!;
}

/** Loads a checkpoint into the agent; with `alpha`, α restarts there (fine-tune resetAlpha). */
function loadInto(agent: Agent, c: Checkpoint, file: string, alpha?: number): Checkpoint {
  if (alpha !== undefined) {
    const t = c.tensors;
    if (!t.log_alpha) throw new Error(`resetAlpha: checkpoint ${file} (${c.meta.algo}) holds no learned α to reset`);
    // Edited in the checkpoint, before loading, so every backend (CPU, threads, WebGPU) gets it.
    t.log_alpha = Float32Array.of(Math.log(alpha));
    if (t['log_alpha.adam_m']) t['log_alpha.adam_m'] = Float32Array.of(0);
    if (t['log_alpha.adam_v']) t['log_alpha.adam_v'] = Float32Array.of(0);
    // A fresh optimiser for α: its own step count restarts with its moments (bias correction).
    c.meta.extra = { ...c.meta.extra, alphaAdamStep: 0 };
  }
  try {
    agent.load(c);
    return c;
  } catch (e) {
    throw new Error(`cannot load checkpoint ${file}: ${(e as Error).message}`);
  }
}

function readCheckpointMeta(store: RunStore, runId: string, step: number): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(store.checkpointPath(runId, step).replace(/\.safetensors$/, '.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
