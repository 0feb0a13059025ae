// Policy evaluation from a run's checkpoint: returns, success rate and, for tasks that report
// info.goal (point tasks), the histogram of which goal each episode reached and its entropy.
import { createEnv } from '../sim/index.ts';
import type { RunStore } from './runs/store.ts';
import { loadRunAgent } from './run-agent.ts';

export interface EvalOptions {
  episodes: number;
  stochastic: boolean;
  seed?: number;
  step?: number;
  temperature?: number;
}

export interface EvalReport {
  runId: string;
  task: string;
  checkpointStep: number;
  episodes: number;
  stochastic: boolean;
  meanReturn: number;
  stdReturn: number;
  meanLength: number;
  successRate: number;
  /** goal index → episodes that reached it; 'none' for episodes that reached no goal. */
  goalHistogram?: Record<string, number>;
  /** Entropy (nats) of the goal distribution, 'none' included. */
  goalEntropy?: number;
  goalsReached?: number;
}

export async function evaluateRun(store: RunStore, runId: string, opts: EvalOptions): Promise<EvalReport> {
  const { rec, agent, step } = await loadRunAgent(store, runId, opts.step);
  const env = await createEnv(rec.config.task, { variant: rec.config.variant ?? undefined });
  const seed = opts.seed ?? 1_000_000 + rec.config.seed;
  const returns: number[] = [];
  let lengths = 0;
  let successes = 0;
  const goals = new Map<string, number>();
  let reportsGoals = false;
  for (let ep = 0; ep < opts.episodes; ep++) {
    let obs = env.reset(seed + ep);
    let ret = 0;
    let len = 0;
    let goal = -1;
    let success = false;
    for (;;) {
      const a = agent.act(obs, { deterministic: !opts.stochastic, temperature: opts.temperature });
      const r = env.step(a);
      ret += r.reward;
      len++;
      obs = r.obs;
      if ('goal' in r.info) {
        reportsGoals = true;
        if (r.info.goal >= 0) goal = r.info.goal;
      }
      if (r.info.success === 1) success = true;
      if (r.terminated || r.truncated) break;
    }
    if (goal >= 0) success = true;
    if (success) successes++;
    const key = goal >= 0 ? String(goal) : 'none';
    goals.set(key, (goals.get(key) ?? 0) + 1);
    returns.push(ret);
    lengths += len;
  }
  env.dispose();
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  const report: EvalReport = {
    runId,
    task: rec.config.task,
    checkpointStep: step,
    episodes: opts.episodes,
    stochastic: opts.stochastic,
    meanReturn: mean,
    stdReturn: std,
    meanLength: lengths / opts.episodes,
    successRate: successes / opts.episodes,
  };
  if (reportsGoals) {
    const hist: Record<string, number> = {};
    for (const [k, v] of [...goals.entries()].sort()) hist[k] = v;
    report.goalHistogram = hist;
    report.goalEntropy = -[...goals.values()].reduce((h, c) => h + (c / opts.episodes) * Math.log(c / opts.episodes), 0);
    report.goalsReached = [...goals.keys()].filter((k) => k !== 'none').length;
  }
  return report;
}
