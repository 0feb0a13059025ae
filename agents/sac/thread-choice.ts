// How many CPU threads the SAC update should use, decided by measuring: the data-parallel update
// (parallel-sac.ts) pays for barriers, gradient all-reduces and duplicated optimiser steps, and
// cores may be shared or throttled, so only a measured gain counts.
import os from 'node:os';
import type { Kernels } from '../nn/kernels.ts';
import { randomBatch } from '../random-batch.ts';
import { createParallelSacAgent } from './parallel-sac.ts';
import { createSacAgent, resolveSacConfig, type SacConfig } from './sac.ts';

/** Below this much work per update (batch × Σ hidden), threads cannot pay for their syncs. */
export const MIN_PARALLEL_WORK = 65_536;
/** A larger thread count must beat the best smaller one by this factor to be chosen. */
const MIN_GAIN = 1.1;

export interface ThreadTrial {
  threads: number;
  updatesPerSec: number;
}

export interface ThreadChoice {
  threads: number;
  /** Why: the trials measured, or the reason none were. */
  trials: ThreadTrial[];
  reason: string;
}

/** Updates per second of an agent config at each thread count, on synthetic batches. */
export async function measureSacThreads(
  config: SacConfig,
  makeKernels: () => Promise<Kernels>,
  candidates: number[],
  seconds = 0.6,
): Promise<ThreadTrial[]> {
  const cfg = resolveSacConfig(config);
  const batch = randomBatch(cfg.batchSize, cfg.obsDim, cfg.actDim, 12345);
  const trials: ThreadTrial[] = [];
  for (const threads of candidates) {
    const par = threads === 1 ? null : await createParallelSacAgent(config, await makeKernels(), { threads });
    const agent = par ?? createSacAgent(config, await makeKernels());
    try {
      // Warm-up: a fresh worker runs its kernels in V8's baseline tier for its first updates
      // (2×256: ~44 updates/s in the first 0.5 s on 2 threads, ~66 after).
      for (let i = 0, w0 = performance.now(); i < 3 || performance.now() - w0 < seconds * 700; i++) agent.update(batch);
      let n = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < seconds * 1000 || n < 3) {
        agent.update(batch);
        n++;
        t = performance.now();
      }
      trials.push({ threads, updatesPerSec: (n * 1000) / (t - t0) });
    } finally {
      par?.dispose();
    }
  }
  return trials;
}

/**
 * Resolves a thread request: n >= 1 is taken as given; 0 (auto) measures 1, 2, 4, 8 threads (up to
 * the cores available) when the update is big enough, and keeps the fewest within 10 % of the best.
 */
export async function chooseSacThreads(config: SacConfig, requested: number, makeKernels: () => Promise<Kernels>): Promise<ThreadChoice> {
  if (!Number.isInteger(requested) || requested < 0 || requested > 64)
    throw new Error(`threads must be an integer in [0, 64] (0 = auto), got ${requested}`);
  if (requested >= 1) return { threads: requested, trials: [], reason: 'asked for' };
  const cfg = resolveSacConfig(config);
  const cores = os.availableParallelism();
  if (cores < 2) return { threads: 1, trials: [], reason: 'one core' };
  const work = cfg.batchSize * cfg.hidden.reduce((a, b) => a + b, 0);
  if (work < MIN_PARALLEL_WORK) return { threads: 1, trials: [], reason: `update too small for threads (batch × Σ hidden = ${work})` };
  const candidates = [1, 2, 4, 8].filter((t) => t <= cores && cfg.batchSize / t >= 16);
  const trials = await measureSacThreads(config, makeKernels, candidates);
  let best = trials[0]!;
  for (const t of trials.slice(1)) if (t.updatesPerSec >= best.updatesPerSec * MIN_GAIN) best = t;
  return { threads: best.threads, trials, reason: 'measured' };
}
