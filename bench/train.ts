// `maxent bench train`: SAC learner speed on this machine, all measured in one run.
//   - updates/s of the real agents/sac learner on WASM SIMD and TS kernels, ant dims
//     (obs 27, act 8), hidden 2x256 and 3x512, batch 256 and 1024, with nominal GFLOP/s
//   - policy inference µs at batch 1 and 16 (act / actBatch)
//   - the tfjs autodiff reference's updates/s (cpu backend) at 2x256 / batch 256, and the ratio
//   - raw kernel GFLOP/s for a 256×256×256 product with half-zero (ReLU-like) operands
//   - the data-parallel update (agents/sac/parallel-sac.ts) on 2, 4, 8 threads (up to the cores)
//   - the SQL update (agents/sql) at 2x256 / batch 256 for each particles setting (M = K), beside SAC's
// Numbers are speed figures for BENCHMARKS.md, never asserted in tests.

import type { Batch } from '../agents/agent.ts';
import type { Kernels } from '../agents/nn/kernels.ts';
import { createTsKernels } from '../agents/nn/ts-kernels.ts';
import { createWasmKernels, wasmSimdSupported } from '../agents/nn/wasm/wasm-kernels.ts';
import { randomBatch } from '../agents/random-batch.ts';
import { createRng } from '../agents/rng.ts';
import os from 'node:os';
import { createParallelSacAgent } from '../agents/sac/parallel-sac.ts';
import { createSacAgent, type SacAgent } from '../agents/sac/sac.ts';
import { createSqlAgent } from '../agents/sql/sql.ts';
import { TfjsSac, sacRefConfig } from '../agents/tfjs/sac-reference.ts';

export interface BenchTrainOptions {
  /** Seconds per measurement (each also runs at least 2 timed updates). Default 3. */
  seconds?: number;
  obsDim?: number;
  actDim?: number;
  configs?: { hidden: number[]; batch: number }[];
  /** Kernel backends to time. Default both ('wasm' only where SIMD is supported). */
  kernels?: ('wasm' | 'ts')[];
  /** Time the tfjs reference (slow: ~1 update/s at 2x256). Default true. */
  tfjs?: boolean;
  /** Thread counts for the data-parallel update (WASM kernels). Default 2, 4, 8 up to the cores. */
  threads?: number[];
  /** SQL particles settings to time (M = K), at the first config's sizes. Default 16, 8, 4. */
  sqlParticles?: number[];
}

const DEFAULT_CONFIGS = [
  { hidden: [256, 256], batch: 256 },
  { hidden: [256, 256], batch: 1024 },
  { hidden: [512, 512, 512], batch: 256 },
  { hidden: [512, 512, 512], batch: 1024 },
];

/** Multiply-adds per sample of one SAC update as agents/sac performs it (see the count below). */
export function sacUpdateMacsPerSample(obsDim: number, actDim: number, hidden: readonly number[]): number {
  const layerMacs = (sizes: number[]) => {
    let all = 0,
      first = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const v = sizes[l]! * sizes[l + 1]!;
      all += v;
      if (l === 0) first = v;
    }
    return { all, hid: all - first };
  };
  const a = layerMacs([obsDim, ...hidden, 2 * actDim]);
  const c = layerMacs([obsDim + actDim, ...hidden, 1]);
  // critic phase: π(s') fwd, 2 target Q fwd, 2 Q fwd, 2 Q bwd (dW all layers + dX hidden layers)
  // actor phase: π(s) fwd, 2 Q fwd, 2 Q bwd to the input (dX all layers), π bwd (dW + dX hidden)
  return a.all + 2 * c.all + 2 * c.all + 2 * (c.all + c.hid) + a.all + 2 * c.all + 2 * c.all + (a.all + a.hid);
}

const batchFor = (m: number, O: number, A: number, seed: number): Batch => randomBatch(m, O, A, seed);

/**
 * Calls per second of fn: one untimed warm-up call (JIT / wasm tier-up), then timed calls until
 * `seconds` pass and at least minCalls ran. A warm-up slower than `seconds` is reported as is
 * (TS kernels at 3x512 take ~10 s per update) unless timeSlowWarmup asks for one timed call.
 */
function rate(fn: () => void, seconds: number, minCalls = 2, timeSlowWarmup = false): { perSec: number; calls: number } {
  const w0 = performance.now();
  fn();
  const warm = (performance.now() - w0) / 1000;
  if (warm > seconds && !timeSlowWarmup) return { perSec: 1 / warm, calls: 1 };
  if (warm > seconds) minCalls = 1;
  let n = 0;
  const t0 = performance.now();
  while (n < minCalls || performance.now() - t0 < seconds * 1000) {
    fn();
    n++;
  }
  return { perSec: (n * 1000) / (performance.now() - t0), calls: n };
}

/** Mean µs per call, best of 3 rounds (the machine is shared, so take the least disturbed). */
function micros(fn: () => void, seconds: number): number {
  for (let i = 0; i < 200; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < (seconds * 1000) / 3) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

async function makeKernels(name: 'wasm' | 'ts'): Promise<Kernels> {
  return name === 'wasm' ? createWasmKernels() : createTsKernels();
}

/** Raw GEMM throughput: 256×256×256 with half the A operand zero, as after a ReLU. */
function kernelGflops(k: Kernels, seconds: number): Record<string, number> {
  const m = 256,
    kk = 256,
    n = 256;
  const x = k.alloc(m * kk),
    w = k.alloc(kk * n),
    b = k.alloc(n),
    y = k.alloc(m * n),
    dy = k.alloc(m * n),
    dx = k.alloc(m * kk),
    dw = k.alloc(kk * n);
  const r = createRng(7);
  const f = k.f32;
  for (let i = 0; i < m * kk; i++) f[x + i] = r.uniform() < 0.5 ? 0 : r.uniform();
  for (let i = 0; i < kk * n; i++) f[w + i] = r.uniform() - 0.5;
  for (let i = 0; i < m * n; i++) f[dy + i] = r.uniform() < 0.5 ? 0 : r.uniform() - 0.5;
  const flop = 2 * m * kk * n;
  const g = (fn: () => void) => Math.round((rate(fn, seconds / 3).perSec * flop) / 1e8) / 10;
  return {
    linear: g(() => k.linear(x, w, b, y, m, kk, n, true)),
    gemmNT: g(() => k.gemmNT(dy, w, dx, m, n, kk, false)),
    gemmTN: g(() => k.gemmTN(x, dy, dw, m, kk, n, false)),
  };
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

export async function benchTrain(opts: BenchTrainOptions = {}): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? 3;
  const O = opts.obsDim ?? 27,
    A = opts.actDim ?? 8;
  const configs = opts.configs ?? DEFAULT_CONFIGS;
  const simd = wasmSimdSupported();
  const kernels = (opts.kernels ?? ['wasm', 'ts']).filter((k) => k !== 'wasm' || simd);
  const out: Record<string, unknown> = {
    note: 'SAC updates/s of agents/sac (ant dims), nominal GFLOP/s = 2·MACs of the update / time; single thread except `parallel`',
    obsDim: O,
    actDim: A,
    wasmSimd: simd,
    wasmBuild: simd ? (await createWasmKernels(16)).detail : undefined,
  };

  const updates: Record<string, unknown>[] = [];
  const byKey = new Map<string, number>();
  const timeSingle = async (name: 'wasm' | 'ts'): Promise<void> => {
    for (const c of configs) {
      const agent = createSacAgent({ obsDim: O, actDim: A, hidden: c.hidden, batchSize: c.batch, seed: 1 }, await makeKernels(name));
      const b = batchFor(c.batch, O, A, 2);
      const { perSec, calls } = rate(() => agent.update(b), seconds);
      const gflops = (perSec * 2 * sacUpdateMacsPerSample(O, A, c.hidden) * c.batch) / 1e9;
      byKey.set(`${name}|${c.hidden.join('x')}|${c.batch}`, perSec);
      updates.push({
        kernels: name,
        hidden: c.hidden,
        batch: c.batch,
        updatesPerSec: round(perSec),
        msPerUpdate: round(1000 / perSec, 1),
        gflops: round(gflops, 1),
        calls,
      });
    }
  };
  // WASM single-thread, then the data-parallel update right after it (before the TS kernels
  // fill the heap: measured in that order, the parallel figure dropped by a third), then TS.
  if (kernels.includes('wasm')) await timeSingle('wasm');
  // The data-parallel update: same configs at batch 256, WASM kernels, each thread count.
  const cores = os.availableParallelism();
  const threadCounts = (opts.threads ?? [2, 4, 8]).filter((t) => t >= 2 && t <= cores);
  const parallel: Record<string, unknown>[] = [];
  if (kernels.includes('wasm')) {
    for (const c of configs.filter((c) => c.batch === 256)) {
      for (const threads of threadCounts) {
        const agent = await createParallelSacAgent(
          { obsDim: O, actDim: A, hidden: c.hidden, batchSize: c.batch, seed: 1 },
          await makeKernels('wasm'),
          { threads },
        );
        try {
          const b = batchFor(c.batch, O, A, 2);
          // A fresh worker runs its kernels in V8's baseline tier until they tier up: warm ~1 s.
          for (const t0 = performance.now(); performance.now() - t0 < 1000;) agent.update(b);
          const { perSec, calls } = rate(() => agent.update(b), seconds);
          const single = byKey.get(`wasm|${c.hidden.join('x')}|${c.batch}`);
          parallel.push({
            threads,
            hidden: c.hidden,
            batch: c.batch,
            updatesPerSec: round(perSec),
            speedup: single ? round(perSec / single) : null,
            calls,
          });
        } finally {
          agent.dispose();
        }
      }
    }
  }
  out.parallel = { cores, runs: parallel };
  // SQL: its update costs about (M + 3K) critic passes per sample, so particles set its speed.
  if (kernels.includes('wasm')) {
    const c = configs[0]!;
    const sac = byKey.get(`wasm|${c.hidden.join('x')}|${c.batch}`);
    const b = batchFor(c.batch, O, A, 2);
    const sql: Record<string, unknown>[] = [];
    for (const particles of opts.sqlParticles ?? [16, 8, 4]) {
      const agent = createSqlAgent(
        { obsDim: O, actDim: A, hidden: c.hidden, batchSize: c.batch, seed: 1, valueParticles: particles, svgdParticles: particles },
        await makeKernels('wasm'),
      );
      const { perSec, calls } = rate(() => agent.update(b), seconds);
      sql.push({
        particles,
        hidden: c.hidden,
        batch: c.batch,
        updatesPerSec: round(perSec),
        ofSac: sac ? round(perSec / sac) : null,
        calls,
      });
    }
    out.sql = sql;
  }
  if (kernels.includes('ts')) await timeSingle('ts');
  out.updates = updates;

  // policy inference (2x256 actor): stochastic act at batch 1 and 16
  const inference: Record<string, unknown>[] = [];
  for (const name of kernels) {
    const agent: SacAgent = createSacAgent({ obsDim: O, actDim: A, hidden: [256, 256], seed: 1 }, await makeKernels(name));
    const obs1 = batchFor(1, O, A, 3).obs,
      obs16 = batchFor(16, O, A, 4).obs;
    const s = Math.min(seconds, 1.5);
    inference.push({
      kernels: name,
      hidden: [256, 256],
      batch1Us: round(
        micros(() => agent.act(obs1), s),
        1,
      ),
      batch16Us: round(
        micros(() => agent.actBatch(obs16, 16), s),
        1,
      ),
    });
  }
  out.inference = inference;

  if (opts.tfjs ?? true) {
    const hidden = [256, 256],
      batch = 256;
    const agent = createSacAgent({ obsDim: O, actDim: A, hidden, batchSize: batch, seed: 1 });
    const { policy, q1, q2 } = agent.internals;
    const cfg = sacRefConfig({ obsDim: O, actDim: A, hidden });
    const ref = new TfjsSac(cfg, TfjsSac.initialState(cfg, { actor: policy.net.getParams(), q1: q1.getParams(), q2: q2.getParams() }));
    try {
      const b = batchFor(batch, O, A, 2);
      const eps = new Float32Array(batch * A);
      createRng(5).normals(eps, 0, eps.length);
      // tfjs's first call pays for kernel setup: always time at least one call after it
      const { perSec, calls } = rate(() => ref.update(b, eps, eps), seconds, 2, true);
      const wasm = byKey.get(`wasm|256x256|256`);
      const ts = byKey.get(`ts|256x256|256`);
      out.tfjs = {
        backend: 'cpu',
        hidden,
        batch,
        updatesPerSec: round(perSec),
        calls,
        gflops: round((perSec * 2 * sacUpdateMacsPerSample(O, A, hidden) * batch) / 1e9, 2),
        wasmSpeedup: wasm ? round(wasm / perSec, 1) : null,
        tsSpeedup: ts ? round(ts / perSec, 1) : null,
      };
    } finally {
      ref.dispose();
    }
  }

  const kg: Record<string, unknown> = {};
  for (const name of kernels) kg[name] = kernelGflops(await makeKernels(name), Math.min(seconds, 3));
  out.kernelGflops256 = kg;
  return out;
}

// Only as a script from source: in a bundle import.meta.url is the bundle's, which is argv[1].
if (import.meta.url.endsWith('.ts') && import.meta.url === `file://${process.argv[1]}`) {
  const secs = Number(process.argv[2] ?? 3);
  console.log(JSON.stringify(await benchTrain({ seconds: secs }), null, 2));
}
