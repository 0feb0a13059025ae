// Soft Q-learning for continuous actions (Haarnoja et al. 2017, "Reinforcement Learning with
// Deep Energy-Based Policies"; seeds/002 §4.1, §4.5–4.7), single file, gradients by hand.
//
//   soft value (importance-sampled, uniform proposal q = U[−1, 1]^A, M samples a_j ~ q):
//            V̄(s') = α log E_q[exp(Q̄(s', a)/α) / q(a)] ≈ α (LSE_j(Q̄(s', a_j)/α) − log M + A log 2)
//   critic:  y = r + γ(1 − done) V̄(s'),   J_Q = ½ mean (Q(s, a) − y)²
//   sampler: u_k = f_φ(s, ξ_k), ξ_k ~ N(0, I), a_k = tanh(u_k), K particles per state, moved
//            along the SVGD direction (Liu & Wang 2016) for the target p(a|s) ∝ exp(Q(s, a)/α):
//              Δu_k = 1/K Σ_j [κ(u_j, u_k) ∇_{u_j} log p_u(u_j) + ∇_{u_j} κ(u_j, u_k)]
//            and φ follows Σ_k Δu_k · ∂u_k/∂φ (surrogate J_f = −mean_k Δu_k · u_k, Δ held fixed).
//   kernel:  κ(x, y) = exp(−‖x − y‖²/h), h = median_{j<k} ‖u_j − u_k‖² / log(K + 1) per state
//            (the median heuristic), held constant in the gradient.
//   targets: θ̄ ← (1 − τ) θ̄ + τ θ  (Polyak, after every update), α fixed (initAlpha).
//
// Squashing (what the paper leaves implicit): SVGD runs in the *pre-tanh* space u, where the
// target is the change of variables of exp(Q(s, a)/α) on the box:
//   log p_u(u) = Q(s, tanh u)/α + Σ_j log(1 − tanh² u_j) + const
//   ∇_u log p_u = (1 − a²) ⊙ ∇_a Q(s, a)/α − 2a
// So the sampler's actions target exactly the density the soft value integrates over
// ([−1, 1]^A, uniform proposal), the kernel works on an unbounded space (no particles piling up
// at ±1 where tanh saturates), and the −2a term keeps u finite.
//
// Order per update: critic, then the sampler on the freshly updated critic, then Polyak.
// All network math goes through Kernels; per-row value/SVGD math is plain TS on reused arrays.

import type { Agent, ActOptions, Batch, Checkpoint, PolicySnapshot, UpdateMetrics } from '../agent.ts';
import type { Kernels } from '../nn/kernels.ts';
import { Mlp, mlpLayout } from '../nn/mlp.ts';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { createRng } from '../rng.ts';
import { SQL_POLICY_KIND, SvgdSampler } from './sampler.ts';
import { validateBatch as checkBatch, obsRepeater, outputPool } from '../agent-buffers.ts';
import { checkInt, resolveLearnerConfig, type LearnerConfig } from '../learner-config.ts';
import { checkHeader, needRngState, needTensor, rangesToTensors, rangeWrites, type TensorRange } from '../checkpoint/ranges.ts';

/**
 * Shared fields: LearnerConfig (hidden = sampler and critic widths; initAlpha = the fixed
 * temperature α of the energy exp(Q/α), the paper's inverse reward scale).
 */
export interface SqlConfig extends LearnerConfig {
  /** M: uniform samples per next state for the soft value. Default 16 (the paper's). */
  valueParticles?: number;
  /** K: sampler particles per state for SVGD. Default 16. */
  svgdParticles?: number;
}

export type ResolvedSqlConfig = Required<SqlConfig>;

export function resolveSqlConfig(c: SqlConfig): ResolvedSqlConfig {
  const who = 'SqlConfig';
  const r: ResolvedSqlConfig = {
    ...resolveLearnerConfig(c, who),
    valueParticles: c.valueParticles ?? 16,
    svgdParticles: c.svgdParticles ?? 16,
  };
  checkInt(who, 'valueParticles', r.valueParticles);
  checkInt(who, 'svgdParticles', r.svgdParticles, 2);
  return r;
}

const B1 = 0.9,
  B2 = 0.999,
  ADAM_EPS = 1e-8;
export const SQL_FORMAT_VERSION = '1';

export interface SqlAgent extends Agent {
  readonly config: ResolvedSqlConfig;
  readonly kernels: Kernels;
  readonly internals: SqlInternals;
}

export interface SqlInternals {
  sampler: SvgdSampler;
  q: Mlp;
  qt: Mlp;
  actor: { params: number; grads: number; m: number; v: number; size: number };
  critic: { params: number; grads: number; m: number; v: number; target: number; size: number };
  /**
   * Losses and gradients without stepping (finite-difference tests). reuseNoise keeps the last
   * uniform value samples / sampler noise ξ. For 'sampler' the returned policyLoss is the
   * surrogate −mean Δu·u with Δ from the last call that drew noise (freezeDirection).
   */
  lossesAndGrads(
    batch: Batch,
    phase: 'critic' | 'sampler',
    reuseNoise?: boolean,
    freezeDirection?: boolean,
  ): { qLoss: number; policyLoss: number };
  /** The last SVGD direction Δu (m·K × A) and the particles u it was computed at. */
  lastSvgd(): { du: Float64Array; u: Float64Array; bandwidth: Float64Array };
}

const LN2 = Math.LN2;
/** Kozachenko–Leonenko constant: log of the unit-ball volume in d dims + Euler–Mascheroni. */
export function klConst(d: number): number {
  let lg = 0; // log Γ(d/2 + 1) by recursion down to Γ(1) = 1 (even d) or Γ(1/2) = √π (odd d)
  for (let x = d / 2; x > 0.25; x -= 1) lg += Math.log(x);
  if (d % 2 === 1) lg += 0.5 * Math.log(Math.PI);
  return (d / 2) * Math.log(Math.PI) - lg + 0.5772156649015329;
}

export function createSqlAgent(config: SqlConfig, kernels?: Kernels): SqlAgent {
  const cfg = resolveSqlConfig(config);
  const k = kernels ?? createTsKernels();
  const O = cfg.obsDim,
    A = cfg.actDim;
  const M = cfg.valueParticles,
    K = cfg.svgdParticles;
  // α is fixed during training; a checkpoint's α replaces it on load (full state, as SAC's).
  let alpha = cfg.initAlpha;
  let logAlpha = Math.log(alpha);

  const sLayout = mlpLayout([O + A, ...cfg.hidden, A]);
  const qLayout = mlpLayout([O + A, ...cfg.hidden, 1]);
  const actor = {
    params: k.alloc(sLayout.size),
    grads: k.alloc(sLayout.size),
    m: k.alloc(sLayout.size),
    v: k.alloc(sLayout.size),
    size: sLayout.size,
  };
  const critic = {
    params: k.alloc(qLayout.size),
    grads: k.alloc(qLayout.size),
    m: k.alloc(qLayout.size),
    v: k.alloc(qLayout.size),
    target: k.alloc(qLayout.size),
    size: qLayout.size,
  };
  const sampler = new SvgdSampler(k, O, A, cfg.hidden, actor.params, actor.grads);
  const q = new Mlp(k, [O + A, ...cfg.hidden, 1], critic.params, critic.grads);
  const qt = new Mlp(k, [O + A, ...cfg.hidden, 1], critic.target, -1);
  // A second view of the critic's weights with its own activation buffers: the sampler phase
  // evaluates Q on m·K rows, which may equal the critic phase's m rows in size.
  const qs = new Mlp(k, [O + A, ...cfg.hidden, 1], critic.params, critic.grads);

  const rng = createRng(cfg.seed);
  const actRng = createRng((cfg.seed ^ 0x2545f491) + 7); // acting never perturbs update noise
  sampler.net.init(rng.uniform);
  q.init(rng.uniform);
  k.copy(critic.target, critic.params, critic.size);

  let updates = 0;
  let adamStep = 0;

  interface Scratch {
    aVal: Float32Array; // m·M × A uniform proposal samples
    y: Float64Array; // m targets
    u: Float64Array; // m·K × A particles (pre-tanh)
    du: Float64Array; // m·K × A SVGD direction
    g: Float64Array; // m·K × A ∇_u log p_u
    h: Float64Array; // m bandwidths
  }
  const scratch = new Map<number, Scratch>();
  const scr = (m: number): Scratch => {
    let s = scratch.get(m);
    if (!s) {
      s = {
        aVal: new Float32Array(m * M * A),
        y: new Float64Array(m),
        u: new Float64Array(m * K * A),
        du: new Float64Array(m * K * A),
        g: new Float64Array(m * K * A),
        h: new Float64Array(m),
      };
      scratch.set(m, s);
    }
    return s;
  };
  // per-state temporaries
  const kern = new Float64Array(K * K);
  const d2s = new Float64Array((K * (K - 1)) / 2);

  const reserve = (m: number) => {
    q.reserve(m);
    qt.reserve(m * M);
    sampler.net.reserve(m * K);
    qs.reserve(m * K);
    scr(m);
  };
  reserve(cfg.batchSize);

  /** Writes [obs_{⌊i/rep⌋} | act_i] rows (n·rep of them) into a critic input buffer. */
  function fillCriticInput(x: number, obs: Float32Array, act: ArrayLike<number>, n: number, rep: number): void {
    const f = k.f32;
    const W = O + A;
    for (let i = 0; i < n * rep; i++) {
      const r = x + i * W;
      const o = Math.floor(i / rep) * O;
      for (let j = 0; j < O; j++) f[r + j] = obs[o + j]!;
      for (let j = 0; j < A; j++) f[r + O + j] = act[i * A + j]!;
    }
  }

  let lastQMean = 0;

  function criticPhase(b: Batch, drawNoise: boolean): number {
    const m = b.size;
    const s = scr(m);
    // soft value of s' from M uniform actions each, log-sum-exp for stability
    if (drawNoise) for (let i = 0; i < m * M * A; i++) s.aVal[i] = 2 * rng.uniform() - 1;
    const xt = qt.input(m * M);
    fillCriticInput(xt, b.nextObs, s.aVal, m, M);
    const ot = qt.forward(m * M);
    let f = k.f32;
    const logNorm = A * LN2 - Math.log(M); // log(1/q(a)) − log M
    for (let i = 0; i < m; i++) {
      let mx = -Infinity;
      for (let j = 0; j < M; j++) mx = Math.max(mx, f[ot + i * M + j]! / alpha);
      let z = 0;
      for (let j = 0; j < M; j++) z += Math.exp(f[ot + i * M + j]! / alpha - mx);
      const v = alpha * (mx + Math.log(z) + logNorm);
      s.y[i] = b.rewards[i]! + cfg.gamma * (1 - b.dones[i]!) * v;
    }
    const x = q.input(m);
    fillCriticInput(x, b.obs, b.actions, m, 1);
    const o = q.forward(m);
    const d = q.dOutput(m);
    f = k.f32;
    let loss = 0,
      qsum = 0;
    for (let i = 0; i < m; i++) {
      const e = f[o + i]! - s.y[i]!;
      loss += 0.5 * e * e;
      qsum += f[o + i]!;
      f[d + i] = e / m;
    }
    q.backward(m, true, false);
    lastQMean = qsum / m;
    return loss / m;
  }

  let lastEntropy = 0;
  const klC = klConst(A);

  /**
   * Sampler phase: particles, ∇_a Q through the critic, SVGD direction, backprop into the
   * sampler's gradient range. Returns the surrogate loss −mean Δu·u and the mean Q of the particles.
   */
  function samplerPhase(b: Batch, drawNoise: boolean, freezeDirection: boolean): [number, number] {
    const m = b.size,
      n = m * K,
      W = O + A;
    const s = scr(m);
    if (drawNoise) sampler.fillInput(b.obs, m, K, rng, 1);
    const yo = sampler.net.forward(n);
    let f = k.f32;
    for (let i = 0; i < n * A; i++) s.u[i] = f[yo + i]!;
    // ∇_a Q(s, a) at a = tanh(u): one backward pass to the critic's input
    const xq = qs.input(n);
    f = k.f32;
    for (let i = 0; i < n; i++) {
      const r = xq + i * W,
        o = Math.floor(i / K) * O;
      for (let j = 0; j < O; j++) f[r + j] = b.obs[o + j]!;
      for (let j = 0; j < A; j++) f[r + O + j] = Math.tanh(s.u[i * A + j]!);
    }
    const oq = qs.forward(n);
    const dq = qs.dOutput(n);
    f = k.f32;
    let qsum = 0;
    for (let i = 0; i < n; i++) {
      qsum += f[oq + i]!;
      f[dq + i] = 1;
    }
    qs.backward(n, false, true);
    f = k.f32;
    const gx = qs.dInput(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < A; j++) {
        const a = Math.tanh(s.u[i * A + j]!);
        s.g[i * A + j] = ((1 - a * a) * f[gx + i * W + O + j]!) / alpha - 2 * a;
      }
    }
    if (!freezeDirection) svgdDirection(m, s);
    // surrogate J = −1/n Σ_k Δu_k · u_k  ⇒  dJ/du_k = −Δu_k / n
    const dOut = sampler.net.dOutput(n);
    f = k.f32;
    let sur = 0;
    for (let i = 0; i < n * A; i++) {
      sur -= s.du[i]! * s.u[i]!;
      f[dOut + i] = -s.du[i]! / n;
    }
    sampler.net.backward(n, true, false);
    return [sur / n, qsum / n];
  }

  /** SVGD direction per state from s.u and s.g into s.du; also the entropy estimate. */
  function svgdDirection(m: number, s: Scratch): void {
    const u = s.u,
      g = s.g,
      du = s.du;
    let entSum = 0;
    for (let i = 0; i < m; i++) {
      const base = i * K * A;
      // pairwise squared distances, median heuristic bandwidth
      let p = 0;
      for (let a = 0; a < K; a++) {
        for (let c = a + 1; c < K; c++) {
          let d2 = 0;
          for (let j = 0; j < A; j++) {
            const t = u[base + a * A + j]! - u[base + c * A + j]!;
            d2 += t * t;
          }
          d2s[p++] = d2;
          kern[a * K + c] = d2; // stash; turned into κ below
        }
      }
      const med = median(d2s, p);
      const h = Math.max(med / Math.log(K + 1), 1e-6);
      s.h[i] = h;
      for (let a = 0; a < K; a++) {
        kern[a * K + a] = 1;
        for (let c = a + 1; c < K; c++) kern[a * K + c] = kern[c * K + a] = Math.exp(-kern[a * K + c]! / h);
      }
      // Δu_c = 1/K Σ_a [κ_ac g_a + (2/h) κ_ac (u_c − u_a)]  (the second term repels particles)
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < A; j++) {
          let acc = 0;
          const uc = u[base + c * A + j]!;
          for (let a = 0; a < K; a++) {
            const kv = kern[a * K + c]!;
            acc += kv * (g[base + a * A + j]! + (2 / h) * (uc - u[base + a * A + j]!));
          }
          du[base + c * A + j] = acc / K;
        }
      }
      // Kozachenko–Leonenko 1-NN entropy estimate of the K actions (reported, not trained on)
      let logNn = 0;
      for (let a = 0; a < K; a++) {
        let best = Infinity;
        for (let c = 0; c < K; c++) {
          if (c === a) continue;
          let d2 = 0;
          for (let j = 0; j < A; j++) {
            const t = Math.tanh(u[base + a * A + j]!) - Math.tanh(u[base + c * A + j]!);
            d2 += t * t;
          }
          if (d2 < best) best = d2;
        }
        logNn += 0.5 * Math.log(Math.max(best, 1e-24));
      }
      entSum += (A * logNn) / K + Math.log(K - 1) + klC;
    }
    lastEntropy = entSum / m;
  }

  function update(b: Batch): UpdateMetrics {
    validateBatch(b);
    if (b.size !== cfg.batchSize) reserve(b.size);
    adamStep++;
    const qLoss = criticPhase(b, true);
    k.adam(critic.params, critic.grads, critic.m, critic.v, critic.size, cfg.criticLr, B1, B2, ADAM_EPS, adamStep);
    const [, qPart] = samplerPhase(b, true, false);
    k.adam(actor.params, actor.grads, actor.m, actor.v, actor.size, cfg.actorLr, B1, B2, ADAM_EPS, adamStep);
    k.polyak(critic.target, critic.params, critic.size, cfg.tau);
    updates++;
    // policyLoss: the sampler's mean energy −Q/α at its particles (lower = better samples)
    return { qLoss, policyLoss: -qPart / alpha, alpha, alphaLoss: 0, entropy: lastEntropy, qMean: lastQMean };
  }

  const validateBatch = (b: Batch): void => checkBatch(b, O, A);

  // ---- acting ----
  const outFor = outputPool();
  const repeatObs = obsRepeater(O);
  const qOut = new Map<number, Float32Array>();

  // ---- checkpoint tensors ----
  const ranges: TensorRange[] = [
    { name: 'sampler', layout: sLayout, base: () => actor.params },
    { name: 'sampler.adam_m', layout: sLayout, base: () => actor.m },
    { name: 'sampler.adam_v', layout: sLayout, base: () => actor.v },
    { name: 'q', layout: qLayout, base: () => critic.params },
    { name: 'q_target', layout: qLayout, base: () => critic.target },
    { name: 'q.adam_m', layout: qLayout, base: () => critic.m },
    { name: 'q.adam_v', layout: qLayout, base: () => critic.v },
  ];

  const agent: SqlAgent = {
    algo: 'sql',
    obsDim: O,
    actDim: A,
    config: cfg,
    kernels: k,
    get updates() {
      return updates;
    },
    get alpha() {
      return alpha;
    },
    act(obs: Float32Array, opts?: ActOptions): Float32Array {
      return sampler.act(obs, 1, actRng, outFor(A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    actBatch(obs: Float32Array, n: number, opts?: ActOptions): Float32Array {
      return sampler.act(obs, n, actRng, outFor(n * A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    sampleActions(obs: Float32Array, kk: number, opts?: ActOptions): Float32Array {
      return sampler.act(repeatObs(obs, kk), kk, actRng, outFor(kk * A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    qValues(obs: Float32Array, actions: Float32Array, kk: number): Float32Array {
      if (actions.length < kk * A) throw new Error(`qValues: expected ${kk}×${A} action floats, got ${actions.length}`);
      const x = q.input(kk);
      fillCriticInput(x, repeatObs(obs, kk), actions, kk, 1);
      const o = q.forward(kk);
      let out = qOut.get(kk);
      if (!out) qOut.set(kk, (out = new Float32Array(kk)));
      out.set(k.f32.subarray(o, o + kk));
      return out;
    },
    update,
    exportPolicy(): PolicySnapshot {
      return {
        kind: SQL_POLICY_KIND,
        obsDim: O,
        actDim: A,
        hidden: [...cfg.hidden],
        components: 1,
        params: sampler.net.getParams(),
        step: updates,
      };
    },
    save(): Checkpoint {
      const tensors: Record<string, Float32Array> = {};
      const shapes: Record<string, number[]> = {};
      const f = k.f32;
      rangesToTensors(f, ranges, tensors, shapes);
      tensors['log_alpha'] = Float32Array.of(logAlpha);
      shapes['log_alpha'] = [1];
      return {
        meta: {
          format: 'maxent-checkpoint',
          version: 1,
          algo: 'sql',
          obsDim: O,
          actDim: A,
          step: updates,
          config: { ...cfg, hidden: [...cfg.hidden], policyKind: SQL_POLICY_KIND },
          versions: { sqlFormat: SQL_FORMAT_VERSION, kernels: k.name },
          // α is kept exactly here too (the tensor is float32)
          extra: { updates, adamStep, rng: rng.getState(), actRng: actRng.getState(), alpha },
        },
        tensors,
        shapes,
      };
    },
    load(c: Checkpoint): void {
      const meta = checkHeader(c, 'sql', O, A, cfg.hidden);
      const extra = meta.extra ?? {};
      const need = (name: string, len: number): Float32Array => needTensor(c, name, len);
      const writes = rangeWrites(c, ranges);
      const la = need('log_alpha', 1);
      const num = (key: string): number => {
        const v = extra[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          throw new Error(`checkpoint: extra.${key} missing or invalid (${JSON.stringify(v)})`);
        return v;
      };
      const nu = num('updates'),
        ns = num('adamStep');
      const rs = needRngState(extra, 'rng'),
        ars = needRngState(extra, 'actRng');
      // extra.alpha keeps α in float64; the tensor wins where they disagree (a fine-tune that resets
      // α edits the tensor only).
      const saved = extra['alpha'];
      const exactAlpha = typeof saved === 'number' && Math.fround(Math.log(saved)) === la[0] ? saved : Math.exp(la[0]!);
      if (!(exactAlpha > 0 && Number.isFinite(exactAlpha)))
        throw new Error(`checkpoint: alpha must be a positive number, got ${exactAlpha}`);
      const f = k.f32;
      for (const [off, t] of writes) f.set(t, off);
      rng.setState(rs);
      actRng.setState(ars);
      updates = nu;
      adamStep = ns;
      alpha = exactAlpha;
      logAlpha = Math.log(alpha);
    },
    internals: {
      sampler,
      q,
      qt,
      actor,
      critic,
      lossesAndGrads(b: Batch, phase: 'critic' | 'sampler', reuseNoise = false, freezeDirection = false) {
        if (b.size !== cfg.batchSize) reserve(b.size);
        if (phase === 'critic') return { qLoss: criticPhase(b, !reuseNoise), policyLoss: 0 };
        const [sur] = samplerPhase(b, !reuseNoise, freezeDirection);
        return { qLoss: 0, policyLoss: sur };
      },
      lastSvgd() {
        const s = scr(cfg.batchSize);
        return { du: s.du, u: s.u, bandwidth: s.h };
      },
    },
  };
  return agent;
}

/** Median of the first n values of a (partially reorders a). */
function median(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  // insertion sort: n = K(K−1)/2 is small (120 for K = 16)
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  return n % 2 === 1 ? a[(n - 1) >> 1]! : 0.5 * (a[n / 2 - 1]! + a[n / 2]!);
}
