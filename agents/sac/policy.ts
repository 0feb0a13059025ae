// Tanh-squashed stochastic policy heads on top of an Mlp: the diagonal Gaussian of SAC
// (components = 1) and a K-component Gaussian mixture. Shared by the SAC learner and the
// critic-free PolicyRunner, so both act identically from the same weights.
//
// Head output per row:
//   gaussian: [mu (A), rawLogStd (A)]
//   mixture:  [logits (K), then per component k: mu_k (A), rawLogStd_k (A)]
// log_std = LOG_STD_MIN + (LOG_STD_MAX − LOG_STD_MIN)·(tanh(raw) + 1)/2: the smooth "tanh
// rescale" bound (CleanRL) instead of a hard clamp, so the gradient never dies at the bound.
//
// log π(a|s) of a = tanh(u): log q(u) − Σ_j log(1 − tanh² u_j), with the stable form
// log(1 − tanh² u) = 2(log 2 − u − softplus(−2u)).
//
// Mixture gradient estimator: sample c ~ Cat(softmax(logits)), then u = mu_c + σ_c ε is
// reparameterised *within* the chosen component (c held fixed). log q(u) is the exact mixture
// log-likelihood (log-sum-exp over all components), so the logits and every component receive
// gradient through log π; the score-function term for the discrete choice of c is dropped
// (a biased but low-variance estimator, as in reparameterised mixture policies).

import type { Kernels } from '../nn/kernels.ts';
import { Mlp } from '../nn/mlp.ts';
import type { Rng } from '../rng.ts';

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;
const HALF_RANGE = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG2 = Math.LN2;

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
/** log(1 − tanh²(u)), finite for every finite u. */
export function logOneMinusTanh2(u: number): number {
  return 2 * (LOG2 - u - softplus(-2 * u));
}

export function headDim(actDim: number, components: number): number {
  return components === 1 ? 2 * actDim : components * (2 * actDim + 1);
}

export function policyKind(components: number): string {
  return components === 1 ? 'sac-gaussian' : 'sac-mixture';
}

interface Scratch {
  eps: Float32Array; // m × A standard normals
  cu: Float32Array; // m uniforms for the component choice
  comp: Int32Array; // m chosen components
  u: Float64Array; // m × A pre-squash sample
  a: Float32Array; // m × A actions
  logp: Float64Array; // m
}

export class TanhPolicy {
  readonly net: Mlp;
  readonly headDim: number;
  private readonly scratch = new Map<number, Scratch>();
  /** Tests only: evaluate() keeps the previously chosen mixture components. */
  fixComponents = false;
  // per-row mixture temporaries (K)
  private readonly lw: Float64Array;
  private readonly lr: Float64Array;

  constructor(
    private readonly k: Kernels,
    readonly obsDim: number,
    readonly actDim: number,
    readonly hidden: readonly number[],
    readonly components: number,
    params: number,
    grads: number,
  ) {
    if (!Number.isInteger(components) || components < 1) throw new Error(`components must be a positive integer, got ${components}`);
    this.headDim = headDim(actDim, components);
    this.net = new Mlp(k, [obsDim, ...hidden, this.headDim], params, grads);
    this.lw = new Float64Array(components);
    this.lr = new Float64Array(components);
  }

  s(m: number): Scratch {
    let s = this.scratch.get(m);
    if (!s) {
      const A = this.actDim;
      s = {
        eps: new Float32Array(m * A),
        cu: new Float32Array(m),
        comp: new Int32Array(m),
        u: new Float64Array(m * A),
        a: new Float32Array(m * A),
        logp: new Float64Array(m),
      };
      this.scratch.set(m, s);
    }
    return s;
  }

  /** Runs the network on m observations (m × obsDim). */
  forward(obs: Float32Array, m: number): void {
    const x = this.net.input(m);
    const n = m * this.obsDim;
    if (obs.length < n) throw new Error(`policy: expected ${n} observation floats, got ${obs.length}`);
    this.k.f32.set(obs.length === n ? obs : obs.subarray(0, n), x);
    this.net.forward(m);
  }

  drawNoise(m: number, rng: Rng): void {
    const s = this.s(m);
    rng.normals(s.eps, 0, m * this.actDim);
    if (this.components > 1) for (let i = 0; i < m; i++) s.cu[i] = rng.uniform();
  }

  /**
   * From the last forward(m) and the drawn noise: actions a (and u) and, when withLogp, log π(a|s).
   * temperature scales σ (acting only). chooseComponents=false keeps s.comp (finite-difference tests).
   */
  evaluate(m: number, withLogp: boolean, temperature = 1, chooseComponents = true): Scratch {
    const s = this.s(m);
    const f = this.k.f32;
    const A = this.actDim,
      K = this.components,
      H = this.headDim;
    const out = this.net.output(m);
    for (let i = 0; i < m; i++) {
      const row = out + i * H;
      let mu = row,
        raw = row + A;
      if (K > 1) {
        if (chooseComponents && !this.fixComponents) s.comp[i] = this.pickComponent(f, row, s.cu[i]!);
        const c = s.comp[i]!;
        mu = row + K + c * 2 * A;
        raw = mu + A;
      }
      let lp = 0;
      for (let j = 0; j < A; j++) {
        const logStd = LOG_STD_MIN + HALF_RANGE * (Math.tanh(f[raw + j]!) + 1);
        const e = s.eps[i * A + j]!;
        const u = f[mu + j]! + temperature * Math.exp(logStd) * e;
        s.u[i * A + j] = u;
        s.a[i * A + j] = Math.tanh(u);
        if (withLogp) {
          lp -= logOneMinusTanh2(u);
          if (K === 1) lp += -0.5 * e * e - logStd - HALF_LOG_2PI;
        }
      }
      if (withLogp && K > 1) lp += this.mixtureLogQ(f, row, s.u, i * A, null);
      s.logp[i] = lp;
    }
    return s;
  }

  /** Deterministic action: tanh of the mean (of the most probable component for a mixture). */
  deterministic(m: number, out: Float32Array): void {
    const f = this.k.f32;
    const A = this.actDim,
      K = this.components,
      H = this.headDim;
    const o = this.net.output(m);
    for (let i = 0; i < m; i++) {
      const row = o + i * H;
      let mu = row;
      if (K > 1) {
        let best = 0;
        for (let c = 1; c < K; c++) if (f[row + c]! > f[row + best]!) best = c;
        mu = row + K + best * 2 * A;
      }
      for (let j = 0; j < A; j++) out[i * A + j] = Math.tanh(f[mu + j]!);
    }
  }

  /** Acts for m observations into out (m × A). */
  act(obs: Float32Array, m: number, rng: Rng, out: Float32Array, deterministic: boolean, temperature: number): Float32Array {
    this.forward(obs, m);
    if (deterministic || temperature === 0) {
      this.deterministic(m, out);
      return out;
    }
    this.drawNoise(m, rng);
    const s = this.evaluate(m, false, temperature);
    out.set(s.a.subarray(0, m * this.actDim));
    return out;
  }

  /**
   * Writes dJ/d(head output) for J = Σ_i [w·log π(a_i|s_i)] + G(a) and backpropagates into the
   * policy's gradient range. dA holds dG/da (m × A). Uses the noise/components of evaluate(m).
   */
  backward(m: number, w: number, dA: Float32Array): void {
    const s = this.s(m);
    const f = this.k.f32;
    const A = this.actDim,
      K = this.components,
      H = this.headDim;
    const out = this.net.output(m);
    const dOut = this.net.dOutput(m);
    const lw = this.lw,
      lr = this.lr;
    for (let i = 0; i < m; i++) {
      const row = out + i * H;
      const drow = dOut + i * H;
      if (K === 1) {
        // Pathwise derivative with ε fixed (u = mu + σε):
        //   d log π / d mu = 2a,  d log π / d logσ = −1 + 2aσε,  d a / d u = 1 − a².
        for (let j = 0; j < A; j++) {
          const raw = f[row + A + j]!;
          const th = Math.tanh(raw);
          const sigma = Math.exp(LOG_STD_MIN + HALF_RANGE * (th + 1));
          const e = s.eps[i * A + j]!;
          const a = Math.tanh(s.u[i * A + j]!);
          const dU = dA[i * A + j]! * (1 - a * a);
          f[drow + j] = w * 2 * a + dU;
          const dLogStd = w * (-1 + 2 * a * sigma * e) + dU * sigma * e;
          f[drow + A + j] = dLogStd * HALF_RANGE * (1 - th * th);
        }
        continue;
      }
      // Mixture: responsibilities r_k = p(k | u); logit weights w_k = softmax(logits).
      this.mixtureLogQ(f, row, s.u, i * A, lr); // lr ← log responsibilities
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, f[row + c]!);
      let z = 0;
      for (let c = 0; c < K; c++) z += lw[c] = Math.exp(f[row + c]! - mx);
      for (let c = 0; c < K; c++) f[drow + c] = w * (Math.exp(lr[c]!) - lw[c]! / z);
      const chosen = s.comp[i]!;
      for (let j = 0; j < A; j++) {
        const u = s.u[i * A + j]!;
        const a = Math.tanh(u);
        // ∂ log q / ∂u (parameters fixed) = −Σ_k r_k (u − mu_k)/σ_k²
        let dqdu = 0;
        for (let c = 0; c < K; c++) {
          const base = row + K + c * 2 * A;
          const logStd = LOG_STD_MIN + HALF_RANGE * (Math.tanh(f[base + A + j]!) + 1);
          const sig = Math.exp(logStd);
          dqdu -= (Math.exp(lr[c]!) * (u - f[base + j]!)) / (sig * sig);
        }
        const G = w * (dqdu + 2 * a) + dA[i * A + j]! * (1 - a * a); // total dJ/du
        for (let c = 0; c < K; c++) {
          const base = row + K + c * 2 * A;
          const dbase = drow + K + c * 2 * A;
          const th = Math.tanh(f[base + A + j]!);
          const sig = Math.exp(LOG_STD_MIN + HALF_RANGE * (th + 1));
          const r = Math.exp(lr[c]!);
          const zz = (u - f[base + j]!) / sig;
          let dMu = (w * r * zz) / sig;
          let dLogStd = w * r * (zz * zz - 1);
          if (c === chosen) {
            dMu += G;
            dLogStd += G * sig * s.eps[i * A + j]!;
          }
          f[dbase + j] = dMu;
          f[dbase + A + j] = dLogStd * HALF_RANGE * (1 - th * th);
        }
      }
    }
    this.net.backward(m, true, false);
  }

  private pickComponent(f: Float32Array, row: number, uni: number): number {
    const K = this.components;
    let mx = -Infinity;
    for (let c = 0; c < K; c++) mx = Math.max(mx, f[row + c]!);
    let z = 0;
    for (let c = 0; c < K; c++) z += Math.exp(f[row + c]! - mx);
    let acc = 0;
    const t = uni * z;
    for (let c = 0; c < K - 1; c++) {
      acc += Math.exp(f[row + c]! - mx);
      if (t < acc) return c;
    }
    return K - 1;
  }

  /**
   * log q(u) = LSE_k [log w_k + log N(u; mu_k, σ_k)] for one row. When logResp is given it
   * receives the log responsibilities log p(k | u).
   */
  private mixtureLogQ(f: Float32Array, row: number, u: Float64Array, uOff: number, logResp: Float64Array | null): number {
    const K = this.components,
      A = this.actDim;
    const l = this.lw;
    let mxl = -Infinity;
    for (let c = 0; c < K; c++) mxl = Math.max(mxl, f[row + c]!);
    let zl = 0;
    for (let c = 0; c < K; c++) zl += Math.exp(f[row + c]! - mxl);
    const lse = mxl + Math.log(zl);
    let mx = -Infinity;
    for (let c = 0; c < K; c++) {
      const base = row + K + c * 2 * A;
      let t = f[row + c]! - lse;
      for (let j = 0; j < A; j++) {
        const logStd = LOG_STD_MIN + HALF_RANGE * (Math.tanh(f[base + A + j]!) + 1);
        const z = (u[uOff + j]! - f[base + j]!) * Math.exp(-logStd);
        t += -0.5 * z * z - logStd - HALF_LOG_2PI;
      }
      l[c] = t;
      if (t > mx) mx = t;
    }
    let z = 0;
    for (let c = 0; c < K; c++) z += Math.exp(l[c]! - mx);
    const out = mx + Math.log(z);
    if (logResp) for (let c = 0; c < K; c++) logResp[c] = l[c]! - out;
    return out;
  }
}
