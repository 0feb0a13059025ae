// Parity of the WebGPU kernels and SAC learner with the CPU oracle, as plain functions: the tests
// assert on them, and `maxent bench gpu` reports them on whatever adapter it runs (the lent GPU
// machine has no vitest). Errors are max |gpu − cpu| / max |cpu| per tensor.

import { createTsKernels } from '../nn/ts-kernels.ts';
import { createRng } from '../rng.ts';
import { createSacAgent, type SacConfig } from '../sac/sac.ts';
import { randomBatch as syntheticBatch } from '../random-batch.ts';
import type { GpuContext } from './device.ts';
import { GpuEngine, type GemmSpec } from './engine.ts';
import { createGpuSacAgent } from './sac-gpu.ts';

/** max |a − b| / max |b| over the first n values. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>, n = b.length): number {
  let d = 0,
    s = 0;
  for (let i = 0; i < n; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return s === 0 ? d : d / s;
}

/**
 * The three GEMM forms (with fused bias+ReLU, ReLU mask, bias gradient) at one odd shape, both tile
 * sizes, against the TS kernels. Returns the worst error per form.
 */
export async function gemmParity(ctx: GpuContext, m: number, k: number, n: number): Promise<Record<string, number>> {
  const ts = createTsKernels();
  const eng = new GpuEngine(ctx.device, 1);
  const r = createRng(m * 31 + k * 7 + n);
  const alloc = (len: number, halfZero = false): number => {
    const o = ts.alloc(len);
    if (eng.alloc(len) !== o) throw new Error('arena layouts diverged');
    for (let i = 0; i < len; i++) ts.f32[o + i] = halfZero && r.uniform() < 0.5 ? 0 : r.uniform() * 2 - 1;
    return o;
  };
  const x = alloc(m * k),
    w = alloc(k * n),
    b = alloc(n),
    y = alloc(m * n),
    dy = alloc(m * n, true),
    dx = alloc(m * k),
    dw = alloc(k * n),
    db = alloc(n),
    mask = alloc(m * k, true);
  eng.build();
  const initial = ts.f32.slice(0, eng.floats);
  const out: Record<string, number> = {};
  const cases: [string, GemmSpec, () => void, [number, number][]][] = [
    [
      'linear+bias+relu',
      { a: x, b: w, c: y, M: m, N: n, K: k, lda: k, ldb: n, ldc: n, bias: b, relu: true },
      () => ts.linear(x, w, b, y, m, k, n, true),
      [[y, m * n]],
    ],
    [
      'gemmNT+reluMask',
      { a: dy, b: w, c: dx, M: m, N: k, K: n, lda: n, ldb: n, ldc: k, transB: true, mask },
      () => {
        ts.gemmNT(dy, w, dx, m, n, k, false);
        ts.reluMask(dx, mask, m * k);
      },
      [[dx, m * k]],
    ],
    [
      'gemmTN+biasGrad',
      { a: x, b: dy, c: dw, M: k, N: n, K: m, lda: k, ldb: n, ldc: n, transA: true, biasGradOut: db, accumulate: true },
      () => {
        ts.gemmTN(x, dy, dw, m, k, n, true);
        ts.biasGrad(dy, db, m, n, true);
      },
      [
        [dw, k * n],
        [db, n],
      ],
    ],
  ];
  try {
    eng.setSlot(0, { ctr: 0, slot: 0, c1: 1, c2: 1, count: 1 });
    for (const tile of [2, 4]) {
      eng.bigTileMinGroups = tile === 4 ? 1 : Infinity;
      for (const [name, spec, cpu, outs] of cases) {
        ts.f32.set(initial);
        eng.write(0, initial);
        await eng.check(() => eng.submit([eng.gemm(spec)], 1));
        cpu();
        for (const [off, len] of outs) {
          const e = relErr(await eng.read(off, len), ts.f32.subarray(off, off + len));
          out[name] = Math.max(out[name] ?? 0, e);
        }
      }
    }
  } finally {
    eng.destroy();
  }
  return out;
}

export interface SacParity {
  /** Worst relative error of the update metrics (losses, α, entropy, Q mean). */
  metrics: number;
  /** Worst over every checkpoint tensor after the update (weights, targets, Adam moments, log α). */
  tensors: number;
  /** Worst over the weight steps (after − before) of the trained networks: the strict measure. */
  steps: number;
  worst: string;
}

/**
 * From identical state (a CPU checkpoint after `warmup` CPU updates, so Adam's moments are
 * populated), identical batches and identical noise, `updates` WebGPU updates vs the CPU agent's.
 */
/** `restartAlpha`: both start from a checkpoint whose α was restarted as a fine-tune restarts it
 * (value, moments and α's own Adam step count), so α's bias correction differs from the rest's. */
export async function sacParity(
  ctx: GpuContext,
  cfg: SacConfig,
  updates = 2,
  warmup = 3,
  simpleGemm?: boolean,
  restartAlpha?: number,
): Promise<SacParity> {
  const O = cfg.obsDim,
    A = cfg.actDim,
    m = cfg.batchSize ?? 256;
  const cpu = createSacAgent(cfg);
  for (let i = 0; i < warmup; i++) cpu.update(syntheticBatch(m, O, A, 100 + i, { doneRate: 0.3 }));
  const g = await createGpuSacAgent(cfg, ctx, { replayCapacity: 0, updatesPerSubmit: 1, simpleGemm });
  const res: SacParity = { metrics: 0, tensors: 0, steps: 0, worst: '' };
  let worstErr = -1;
  const note = (what: string, e: number) => {
    if (e > worstErr) [worstErr, res.worst] = [e, what];
  };
  try {
    if (restartAlpha !== undefined) {
      const c = cpu.save();
      c.tensors['log_alpha'] = Float32Array.of(Math.log(restartAlpha));
      c.tensors['log_alpha.adam_m'] = Float32Array.of(0);
      c.tensors['log_alpha.adam_v'] = Float32Array.of(0);
      c.meta.extra = { ...c.meta.extra, alphaAdamStep: 0 };
      cpu.load(c);
    }
    g.load(cpu.save());
    const r = createRng(9);
    for (let step = 0; step < updates; step++) {
      const b = syntheticBatch(m, O, A, 200 + step, { doneRate: 0.3 });
      const noise = { critic: new Float32Array(m * A), actor: new Float32Array(m * A) };
      r.normals(noise.critic, 0, noise.critic.length);
      r.normals(noise.actor, 0, noise.actor.length);
      const before = cpu.save().tensors;
      cpu.internals.noiseHook = (phase, eps) => eps.set(phase === 'critic' ? noise.critic : noise.actor);
      const mc = cpu.update(b);
      const mg = await g.updateWithBatch(b, noise);
      for (const k of ['qLoss', 'policyLoss', 'alpha', 'alphaLoss', 'entropy', 'qMean'] as const) {
        const e = Math.abs(mg[k] - mc[k]) / Math.max(1e-6, Math.abs(mc[k]));
        res.metrics = Math.max(res.metrics, e);
        note(k, e);
      }
      await g.sync();
      const tc = cpu.save().tensors,
        tg = g.save().tensors;
      for (const name of Object.keys(tc)) {
        const e = relErr(tg[name]!, tc[name]!);
        res.tensors = Math.max(res.tensors, e);
        note(name, e);
        if (!name.includes('adam') && !name.includes('target')) {
          const dc = tc[name]!.map((v, i) => v - before[name]![i]!);
          const dg = tg[name]!.map((v, i) => v - before[name]![i]!);
          res.steps = Math.max(res.steps, relErr(dg, dc));
        }
      }
    }
    if (g.updates !== cpu.updates) throw new Error(`update counts differ: GPU ${g.updates}, CPU ${cpu.updates}`);
  } finally {
    g.dispose();
  }
  return res;
}
