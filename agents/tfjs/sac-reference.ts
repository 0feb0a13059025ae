// A tfjs implementation of one SAC update (seeds/002 §4.4), written independently of agents/sac
// with autodiff (tf.variableGrads) instead of hand-derived gradients. It is the parity oracle for
// the hand-written learner and the tfjs baseline in `maxent bench train`.
//
//   critic:  y = r + γ(1 − d)(min_i Q̄_i(s', a') − α log π(a'|s')),  a' = tanh(mu + σ ε')
//            J_Q = mean ½(Q_1 − y)² + mean ½(Q_2 − y)²
//   actor:   J_π = mean[α log π(ã|s) − min_i Q_i(s, ã)]  (on the critics after their Adam step)
//   alpha:   J_α = −log α · (mean log π(ã|s) + H̄), gradient on log α
//   then Adam on each part (shared step t) and Polyak on the targets.
// The policy head is [mu (A), raw (A)], log σ = −5 + 3.5(tanh(raw) + 1), and
// log π = Σ_j [−½ε² − log σ − ½ log 2π − log(1 − tanh² u)] with the stable form
// log(1 − tanh² u) = 2(log 2 − u − softplus(−2u)).
//
// Weights are exchanged as packed Float32Arrays in agents/nn/mlp.ts's packed order
// (W0 [in×out] row-major, b0, W1, b1, ...), the same as Mlp.getParams(); noise ε is explicit.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureGradients } from './gradients.ts';

// tfjs-core's gradients come from its ES build; plain Node cannot load that one (see gradients.ts)
try {
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
} catch {
  // fall back to ./gradients.ts below
}
/** Kernels whose gradients came from ./gradients.ts in this process (empty under bundlers/vitest). */
export const fallbackGradients = ensureGradients();

// the cpu backend's "install tfjs-node" banner is noise for a reference implementation
tf.env().set('PROD', true);
import type { Batch } from '../agent.ts';

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;

export interface SacRefConfig {
  obsDim: number;
  actDim: number;
  hidden: number[];
  gamma: number;
  tau: number;
  actorLr: number;
  criticLr: number;
  alphaLr: number;
  targetEntropy: number;
  autoAlpha: boolean;
  b1: number;
  b2: number;
  eps: number;
}

export function sacRefConfig(c: Partial<SacRefConfig> & { obsDim: number; actDim: number }): SacRefConfig {
  const lr = 3e-4;
  return {
    hidden: [256, 256],
    gamma: 0.99,
    tau: 0.005,
    actorLr: lr,
    criticLr: lr,
    alphaLr: lr,
    targetEntropy: -c.actDim,
    autoAlpha: true,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    ...c,
  };
}

/** Everything one update reads and writes; packed parameter vectors plus Adam moments. */
export interface SacRefState {
  actor: Float32Array;
  q1: Float32Array;
  q2: Float32Array;
  q1Target: Float32Array;
  q2Target: Float32Array;
  logAlpha: number;
  /** Adam moments, same packing as the parameters (logAlpha: length 1). */
  m: { actor: Float32Array; q1: Float32Array; q2: Float32Array; logAlpha: Float32Array };
  v: { actor: Float32Array; q1: Float32Array; q2: Float32Array; logAlpha: Float32Array };
  /** Adam steps taken so far (the next update uses step + 1). */
  step: number;
}

export interface SacRefMetrics {
  qLoss: number;
  policyLoss: number;
  alphaLoss: number;
  meanLogp: number;
  alpha: number;
}

/** Packed sizes of [in, ...hidden, out]. */
export function packedSize(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  return n;
}

const actorSizes = (c: SacRefConfig) => [c.obsDim, ...c.hidden, 2 * c.actDim];
const criticSizes = (c: SacRefConfig) => [c.obsDim + c.actDim, ...c.hidden, 1];

/** Splits a packed vector into [W0, b0, W1, b1, ...] tensors (or variables). */
function unpack(p: Float32Array, sizes: readonly number[], asVariables: boolean, name: string): tf.Tensor[] {
  if (p.length !== packedSize(sizes))
    throw new Error(`${name}: expected ${packedSize(sizes)} floats for [${sizes.join(', ')}], got ${p.length}`);
  const out: tf.Tensor[] = [];
  let o = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const i = sizes[l]!,
      j = sizes[l + 1]!;
    const w = tf.tensor2d(p.slice(o, o + i * j), [i, j]);
    o += i * j;
    const b = tf.tensor1d(p.slice(o, o + j));
    o += j;
    if (asVariables) {
      out.push(tf.variable(w, true, `${name}.${l}.w`), tf.variable(b, true, `${name}.${l}.b`));
      w.dispose();
      b.dispose();
    } else out.push(w, b);
  }
  return out;
}

function pack(ts: readonly tf.Tensor[]): Float32Array {
  const parts = ts.map((t) => t.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function mlp(x: tf.Tensor2D, ps: readonly tf.Tensor[]): tf.Tensor2D {
  let h = x;
  const L = ps.length / 2;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(h, ps[2 * l] as tf.Tensor2D), ps[2 * l + 1]!) as tf.Tensor2D;
    h = l < L - 1 ? tf.relu(z) : z;
  }
  return h;
}

/** a = tanh(mu + σε) and log π(a|s) per row, from the head output [mu | raw]. */
function sampleTanhGaussian(head: tf.Tensor2D, eps: tf.Tensor2D, A: number): { a: tf.Tensor2D; logp: tf.Tensor1D } {
  const mu = tf.slice(head, [0, 0], [-1, A]);
  const raw = tf.slice(head, [0, A], [-1, A]);
  const logStd = tf.add(LOG_STD_MIN, tf.mul(0.5 * (LOG_STD_MAX - LOG_STD_MIN), tf.add(tf.tanh(raw), 1)));
  const u = tf.add(mu, tf.mul(tf.exp(logStd), eps));
  const a = tf.tanh(u) as tf.Tensor2D;
  const logN = tf.sub(tf.sub(tf.mul(-0.5, tf.square(eps)), logStd), 0.5 * Math.log(2 * Math.PI));
  const log1mT2 = tf.mul(2, tf.sub(tf.sub(Math.LN2, u), tf.softplus(tf.mul(-2, u))));
  const logp = tf.sum(tf.sub(logN, log1mT2), 1) as tf.Tensor1D;
  return { a, logp };
}

/** tfjs variable names are global: each learner gets its own prefix. */
let instances = 0;

interface Moments {
  m: tf.Variable[];
  v: tf.Variable[];
}

/**
 * A SAC learner whose whole state lives in tf.Variables. update() runs one full step; the
 * loss-and-gradient methods expose the pieces for parity tests. Call dispose() when done.
 */
export class TfjsSac {
  readonly cfg: SacRefConfig;
  private readonly actor: tf.Variable[];
  private readonly q1: tf.Variable[];
  private readonly q2: tf.Variable[];
  private readonly q1t: tf.Variable[];
  private readonly q2t: tf.Variable[];
  private readonly logAlpha: tf.Variable;
  private readonly mom: { actor: Moments; q1: Moments; q2: Moments; logAlpha: Moments };
  private step: number;

  constructor(cfg: SacRefConfig, s: SacRefState) {
    if (tf.getBackend() !== 'cpu') tf.setBackend('cpu');
    this.cfg = cfg;
    const as = actorSizes(cfg),
      cs = criticSizes(cfg);
    const id = `sacref${instances++}`;
    this.actor = unpack(s.actor, as, true, `${id}.actor`) as tf.Variable[];
    this.q1 = unpack(s.q1, cs, true, `${id}.q1`) as tf.Variable[];
    this.q2 = unpack(s.q2, cs, true, `${id}.q2`) as tf.Variable[];
    this.q1t = unpack(s.q1Target, cs, true, `${id}.q1t`) as tf.Variable[];
    this.q2t = unpack(s.q2Target, cs, true, `${id}.q2t`) as tf.Variable[];
    this.logAlpha = tf.variable(tf.scalar(s.logAlpha), true, `${id}.logAlpha`);
    const moments = (m: Float32Array, v: Float32Array, sizes: number[] | null, name: string): Moments =>
      sizes
        ? { m: unpack(m, sizes, true, `${name}.m`) as tf.Variable[], v: unpack(v, sizes, true, `${name}.v`) as tf.Variable[] }
        : { m: [tf.variable(tf.scalar(m[0]!))], v: [tf.variable(tf.scalar(v[0]!))] };
    this.mom = {
      actor: moments(s.m.actor, s.v.actor, as, `${id}.actor`),
      q1: moments(s.m.q1, s.v.q1, cs, `${id}.q1`),
      q2: moments(s.m.q2, s.v.q2, cs, `${id}.q2`),
      logAlpha: moments(s.m.logAlpha, s.v.logAlpha, null, `${id}.logAlpha`),
    };
    this.step = s.step;
  }

  /** Fresh-start state (zero moments, step 0) from packed weights. */
  static initialState(
    cfg: SacRefConfig,
    w: { actor: Float32Array; q1: Float32Array; q2: Float32Array; q1Target?: Float32Array; q2Target?: Float32Array; logAlpha?: number },
  ): SacRefState {
    const z = (a: Float32Array) => new Float32Array(a.length);
    return {
      actor: w.actor,
      q1: w.q1,
      q2: w.q2,
      q1Target: w.q1Target ?? w.q1.slice(),
      q2Target: w.q2Target ?? w.q2.slice(),
      logAlpha: w.logAlpha ?? 0,
      m: { actor: z(w.actor), q1: z(w.q1), q2: z(w.q2), logAlpha: new Float32Array(1) },
      v: { actor: z(w.actor), q1: z(w.q1), q2: z(w.q2), logAlpha: new Float32Array(1) },
      step: 0,
    };
  }

  private inputs(b: Batch) {
    const { obsDim: O, actDim: A } = this.cfg;
    const m = b.size;
    return {
      obs: tf.tensor2d(b.obs.subarray(0, m * O), [m, O]),
      act: tf.tensor2d(b.actions.subarray(0, m * A), [m, A]),
      rew: tf.tensor1d(b.rewards.subarray(0, m)),
      next: tf.tensor2d(b.nextObs.subarray(0, m * O), [m, O]),
      done: tf.tensor1d(b.dones.subarray(0, m)),
    };
  }

  /** Critic loss and gradients (q1 then q2 parameter order) for next-state noise epsNext (m × A). */
  criticLossAndGrads(b: Batch, epsNext: Float32Array): { qLoss: number; grads: tf.NamedTensorMap; dispose(): void } {
    const res = tf.tidy(() => {
      const { obs, act, rew, next, done } = this.inputs(b);
      const A = this.cfg.actDim;
      const alpha = tf.exp(this.logAlpha);
      const ps = sampleTanhGaussian(mlp(next, this.actor), tf.tensor2d(epsNext.subarray(0, b.size * A), [b.size, A]), A);
      const xt = tf.concat([next, ps.a], 1);
      const minQt = tf.reshape(tf.minimum(mlp(xt, this.q1t), mlp(xt, this.q2t)), [-1]);
      const y = tf.add(rew, tf.mul(tf.mul(this.cfg.gamma, tf.sub(1, done)), tf.sub(minQt, tf.mul(alpha, ps.logp))));
      const x = tf.concat([obs, act], 1);
      const { value, grads } = tf.variableGrads(() => {
        const e1 = tf.sub(tf.reshape(mlp(x, this.q1), [-1]), y);
        const e2 = tf.sub(tf.reshape(mlp(x, this.q2), [-1]), y);
        return tf.add(tf.mean(tf.mul(0.5, tf.square(e1))), tf.mean(tf.mul(0.5, tf.square(e2)))) as tf.Scalar;
      }, [...this.q1, ...this.q2]);
      return { value, grads };
    });
    return { qLoss: res.value.dataSync()[0]!, grads: res.grads, dispose: () => (res.value.dispose(), tf.dispose(res.grads)) };
  }

  /** Actor loss/gradients, mean log π and the log α gradient, for noise eps (m × A). */
  actorLossAndGrads(b: Batch, eps: Float32Array): { policyLoss: number; meanLogp: number; grads: tf.NamedTensorMap; dispose(): void } {
    const A = this.cfg.actDim;
    const res = tf.tidy(() => {
      const obs = tf.tensor2d(b.obs.subarray(0, b.size * this.cfg.obsDim), [b.size, this.cfg.obsDim]);
      const e = tf.tensor2d(eps.subarray(0, b.size * A), [b.size, A]);
      const alpha = tf.exp(this.logAlpha); // a constant here: only actor variables are differentiated
      let meanLogp: tf.Scalar | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const ps = sampleTanhGaussian(mlp(obs, this.actor), e, A);
        const x = tf.concat([obs, ps.a], 1);
        const minQ = tf.reshape(tf.minimum(mlp(x, this.q1), mlp(x, this.q2)), [-1]);
        meanLogp = tf.keep(tf.mean(ps.logp) as tf.Scalar);
        return tf.mean(tf.sub(tf.mul(alpha, ps.logp), minQ)) as tf.Scalar;
      }, this.actor);
      return { value, grads, meanLogp: meanLogp! as tf.Scalar };
    });
    const meanLogp = res.meanLogp.dataSync()[0]!;
    return {
      policyLoss: res.value.dataSync()[0]!,
      meanLogp,
      grads: res.grads,
      dispose: () => (res.value.dispose(), res.meanLogp.dispose(), tf.dispose(res.grads)),
    };
  }

  private adam(vars: readonly tf.Variable[], grads: tf.NamedTensorMap, mom: Moments, lr: number): void {
    const { b1, b2, eps } = this.cfg;
    const c1 = 1 / (1 - Math.pow(b1, this.step));
    const c2 = 1 / (1 - Math.pow(b2, this.step));
    tf.tidy(() => {
      vars.forEach((p, i) => {
        const g = grads[p.name]!;
        const m = tf.add(tf.mul(b1, mom.m[i]!), tf.mul(1 - b1, g));
        const v = tf.add(tf.mul(b2, mom.v[i]!), tf.mul(1 - b2, tf.square(g)));
        mom.m[i]!.assign(m);
        mom.v[i]!.assign(v);
        p.assign(tf.sub(p, tf.div(tf.mul(lr, tf.mul(m, c1)), tf.add(tf.sqrt(tf.mul(v, c2)), eps))));
      });
    });
  }

  /** One full SAC update with explicit noise for the target (epsNext) and actor (epsActor) samples. */
  update(b: Batch, epsNext: Float32Array, epsActor: Float32Array): SacRefMetrics {
    const cfg = this.cfg;
    this.step++;
    const alphaBefore = Math.exp(this.logAlpha.dataSync()[0]!);
    const cr = this.criticLossAndGrads(b, epsNext);
    this.adam(
      [...this.q1, ...this.q2],
      cr.grads,
      { m: [...this.mom.q1.m, ...this.mom.q2.m], v: [...this.mom.q1.v, ...this.mom.q2.v] },
      cfg.criticLr,
    );
    cr.dispose();
    const ar = this.actorLossAndGrads(b, epsActor);
    this.adam(this.actor, ar.grads, this.mom.actor, cfg.actorLr);
    ar.dispose();
    const logAlpha = Math.log(alphaBefore);
    const alphaLoss = -logAlpha * (ar.meanLogp + cfg.targetEntropy);
    if (cfg.autoAlpha) {
      const g = tf.scalar(-(ar.meanLogp + cfg.targetEntropy));
      this.adam([this.logAlpha], { [this.logAlpha.name]: g }, this.mom.logAlpha, cfg.alphaLr);
      g.dispose();
    }
    tf.tidy(() => {
      const pairs: [tf.Variable, tf.Variable][] = [];
      this.q1t.forEach((t, i) => pairs.push([t, this.q1[i]!]));
      this.q2t.forEach((t, i) => pairs.push([t, this.q2[i]!]));
      for (const [t, s] of pairs) t.assign(tf.add(tf.mul(1 - cfg.tau, t), tf.mul(cfg.tau, s)));
    });
    return { qLoss: cr.qLoss, policyLoss: ar.policyLoss, alphaLoss, meanLogp: ar.meanLogp, alpha: Math.exp(this.logAlpha.dataSync()[0]!) };
  }

  /** Deterministic/stochastic policy sample for m observations (for sanity checks). */
  sample(obs: Float32Array, m: number, eps: Float32Array): { a: Float32Array; logp: Float32Array } {
    const A = this.cfg.actDim;
    return tf.tidy(() => {
      const ps = sampleTanhGaussian(
        mlp(tf.tensor2d(obs.subarray(0, m * this.cfg.obsDim), [m, this.cfg.obsDim]), this.actor),
        tf.tensor2d(eps.subarray(0, m * A), [m, A]),
        A,
      );
      return { a: ps.a.dataSync() as Float32Array, logp: ps.logp.dataSync() as Float32Array };
    });
  }

  /** Packs a gradient map in the parameter packing of the named part. */
  packGrads(grads: tf.NamedTensorMap, part: 'actor' | 'q1' | 'q2'): Float32Array {
    const vars = part === 'actor' ? this.actor : part === 'q1' ? this.q1 : this.q2;
    return pack(vars.map((v) => grads[v.name]!));
  }

  state(): SacRefState {
    const mv = (x: Moments) => pack(x.m);
    const vv = (x: Moments) => pack(x.v);
    return {
      actor: pack(this.actor),
      q1: pack(this.q1),
      q2: pack(this.q2),
      q1Target: pack(this.q1t),
      q2Target: pack(this.q2t),
      logAlpha: this.logAlpha.dataSync()[0]!,
      m: { actor: mv(this.mom.actor), q1: mv(this.mom.q1), q2: mv(this.mom.q2), logAlpha: mv(this.mom.logAlpha) },
      v: { actor: vv(this.mom.actor), q1: vv(this.mom.q1), q2: vv(this.mom.q2), logAlpha: vv(this.mom.logAlpha) },
      step: this.step,
    };
  }

  dispose(): void {
    const all = [this.actor, this.q1, this.q2, this.q1t, this.q2t, [this.logAlpha]].flat();
    for (const mo of Object.values(this.mom)) all.push(...mo.m, ...mo.v);
    tf.dispose(all);
  }
}

/** One SAC update as a pure function: state in, state and metrics out. */
export function sacReferenceUpdate(
  cfg: SacRefConfig,
  s: SacRefState,
  b: Batch,
  epsNext: Float32Array,
  epsActor: Float32Array,
): { state: SacRefState; metrics: SacRefMetrics } {
  const sac = new TfjsSac(cfg, s);
  try {
    const metrics = sac.update(b, epsNext, epsActor);
    return { state: sac.state(), metrics };
  } finally {
    sac.dispose();
  }
}
