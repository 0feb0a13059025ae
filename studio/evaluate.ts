// Policy evaluation from a run's checkpoint: returns, success rate and, for tasks that report
// info.goal (point tasks), the histogram of which goal each episode reached and its entropy; for
// walkers, the speed, and the compass heading each episode ran in (the ant) or the signed x velocity (the cheetah);
// for manipulators, the distance to the goal left at the end and how fast it was first reached,
// and for pushing, where the block ended up: still on the table, how far and in which direction.
import { createEnv, listTasks } from '../sim/index.ts';
import type { RunStore } from './runs/store.ts';
import { loadRunAgent } from './run-agent.ts';
import { HEADING_SECTORS, PUSH_SECTORS, variantLabel, type EvalReport } from './api.ts';

export type { EvalReport };

export interface EvalOptions {
  episodes: number;
  stochastic: boolean;
  seed?: number;
  step?: number;
  temperature?: number;
  /** Evaluate on this task and variant instead of the run's own (a fine-tune target, zero-shot). */
  on?: { task: string; variant: unknown };
}

/**
 * The info field that measures the distance left to the goal: only for tasks whose success is
 * that distance under a `successRadius` (push-any reports a block_goal too, but has no goal).
 * Pushing reports both the TCP's distance and the block's: the block's is the goal's.
 */
function goalDistanceKey(taskId: string): 'distance' | 'block_goal' | null {
  const task = listTasks().find((t) => t.id === taskId);
  if (!task?.parameters.some((p) => p.name === 'successRadius')) return null;
  return (['block_goal', 'distance'] as const).find((k) => task.info.includes(k)) ?? null;
}

/** Entropy (nats) of a histogram of n outcomes. */
function entropyOf(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Directions of 2-D vectors (u, v) in 8 sectors of 45°, the first centred on +u, counter-clockwise;
 * vectors shorter than `minNorm` count as 'still'; `extra` adds outcomes that have no direction.
 */
export function sectorStats(
  vectors: readonly (readonly [number, number])[],
  sectors: readonly string[],
  minNorm: number,
  extra: Record<string, number> = {},
): { histogram: Record<string, number>; entropy: number; meanNorm: number } {
  const counts = new Map<string, number>(Object.entries(extra).filter(([, c]) => c > 0));
  let norm = 0;
  for (const [u, v] of vectors) {
    const s = Math.hypot(u, v);
    norm += s;
    const k = s < minNorm ? 'still' : sectors[(Math.round(Math.atan2(v, u) / (Math.PI / 4)) + 8) % 8]!;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const n = vectors.length + Object.values(extra).reduce((a, b) => a + b, 0);
  const histogram: Record<string, number> = {};
  for (const k of [...sectors, 'still', ...Object.keys(extra)]) if (counts.has(k)) histogram[k] = counts.get(k)!;
  return { histogram, entropy: entropyOf(counts.values(), n), meanNorm: vectors.length ? norm / vectors.length : 0 };
}

/** Headings of episodes' mean planar velocities (vx, vy) in 8 sectors of 45° centred on E, NE, …. */
export function headingStats(
  velocities: readonly (readonly [number, number])[],
  minSpeed = 0.1,
): { histogram: Record<string, number>; entropy: number; meanSpeed: number } {
  const { histogram, entropy, meanNorm } = sectorStats(velocities, HEADING_SECTORS, minSpeed);
  return { histogram, entropy, meanSpeed: meanNorm };
}

/** A push moved the block when it ended at least this far from its start (m): a sixth of the 0.3 m a good push-any episode reaches. */
const MIN_PUSH = 0.05;

export async function evaluateRun(store: RunStore, runId: string, opts: EvalOptions): Promise<EvalReport> {
  // Every mean below divides by it: 1.5 would run 2 episodes and report lengths past the limit.
  if (!Number.isInteger(opts.episodes) || opts.episodes < 1)
    throw new Error(`evaluate: episodes must be a whole number of at least 1, got ${opts.episodes}`);
  const { rec, agent, step } = await loadRunAgent(store, runId, opts.step);
  const task = opts.on?.task ?? rec.config.task;
  const variant = opts.on ? opts.on.variant : rec.config.variant;
  const env = await createEnv(task, { variant: variant ?? undefined });
  const seed = opts.seed ?? 1_000_000 + rec.config.seed;
  const returns: number[] = [];
  let lengths = 0;
  let successes = 0;
  const goals = new Map<string, number>();
  let reportsGoals = false;
  const velocities: [number, number][] = [];
  let reportsVelocity = false,
    reportsPlanar = false,
    stepSpeed = 0;
  const distKey = goalDistanceKey(task);
  let finalDistance = 0,
    finalSuccesses = 0,
    successSteps = 0;
  // Pushing: where the block ended, per episode that left it on the table; how many did not.
  const pushes: [number, number][] = [];
  let reportsBlock = false,
    offTable = 0;
  for (let ep = 0; ep < opts.episodes; ep++) {
    let obs = env.reset(seed + ep);
    let ret = 0;
    let len = 0;
    let goal = -1;
    let success = false;
    let vx = 0,
      vy = 0;
    for (;;) {
      // In the studio this runs on the host's event loop: let it serve the UI now and then.
      if ((len & 127) === 127) await new Promise<void>((resolve) => setImmediate(resolve));
      const a = agent.act(obs, { deterministic: !opts.stochastic, temperature: opts.temperature });
      const r = env.step(a);
      ret += r.reward;
      len++;
      obs = r.obs;
      if ('goal' in r.info) {
        reportsGoals = true;
        if (r.info.goal >= 0) goal = r.info.goal;
      }
      if (r.info.success === 1 && !success) {
        success = true;
        successSteps += len;
      }
      const v = r.info.x_velocity ?? r.info.vx; // the ant's, the cheetah's
      if (v !== undefined) {
        reportsVelocity = true;
        vx += v;
        if ('y_velocity' in r.info) {
          reportsPlanar = true;
          vy += r.info.y_velocity!;
        }
        stepSpeed += Math.hypot(v, r.info.y_velocity ?? 0);
      }
      if (r.terminated || r.truncated) {
        if (distKey) finalDistance += r.info[distKey] ?? NaN; // NaN: the task stopped reporting it
        if (r.info.success === 1) finalSuccesses++;
        if ('on_table' in r.info) {
          reportsBlock = true;
          if (r.info.on_table === 1) pushes.push([r.info.block_dx!, r.info.block_dz!]);
          else offTable++;
        }
        break;
      }
    }
    if (goal >= 0) success = true;
    if (success) successes++;
    const key = goal >= 0 ? String(goal) : 'none';
    goals.set(key, (goals.get(key) ?? 0) + 1);
    returns.push(ret);
    lengths += len;
    velocities.push([vx / len, vy / len]);
  }
  env.dispose();
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  const report: EvalReport = {
    runId,
    task,
    variant: variantLabel(variant),
    checkpointStep: step,
    episodes: opts.episodes,
    stochastic: opts.stochastic,
    meanReturn: mean,
    stdReturn: std,
    meanLength: lengths / opts.episodes,
  };
  // Success needs a goal: point goals, or a goal distance under a successRadius.
  if (reportsGoals || distKey) report.successRate = successes / opts.episodes;
  if (reportsGoals) {
    const hist: Record<string, number> = {};
    for (const [k, v] of [...goals.entries()].sort()) hist[k] = v;
    report.goalHistogram = hist;
    report.goalEntropy = entropyOf(goals.values(), opts.episodes);
    report.goalsReached = [...goals.keys()].filter((k) => k !== 'none').length;
  }
  if (distKey) {
    report.finalDistance = finalDistance / opts.episodes;
    report.finalSuccessRate = finalSuccesses / opts.episodes;
    if (successes > 0) report.stepsToSuccess = successSteps / successes;
  }
  if (reportsBlock) {
    const h = sectorStats(pushes, PUSH_SECTORS, MIN_PUSH, { 'off table': offTable });
    report.blockOnTableRate = pushes.length / opts.episodes;
    report.meanPushDistance = h.meanNorm;
    report.pushHistogram = h.histogram;
    report.pushEntropy = h.entropy;
  }
  if (reportsVelocity) {
    const h = headingStats(velocities);
    report.meanSpeed = h.meanSpeed;
    report.meanStepSpeed = stepSpeed / lengths;
    if (reportsPlanar) {
      report.headingHistogram = h.histogram;
      report.headingEntropy = h.entropy;
    } else report.meanVelocityX = velocities.reduce((a, [x]) => a + x, 0) / velocities.length;
  }
  return report;
}
