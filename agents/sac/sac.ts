// Soft Actor-Critic (Haarnoja et al. 2018; seeds/002 §4.4), single file, gradients by hand.
//
//   critic:  y = r + γ(1 − done)·(min_i Q̄_i(s', a') − α log π(a'|s')),  a' ~ π(·|s')
//            J_Q = Σ_i ½·mean (Q_i(s, a) − y)²
//   actor:   J_π = mean [α log π(ã|s) − min_i Q_i(s, ã)],  ã = tanh(mu + σ ε)  (reparameterised)
//   alpha:   J_α = −log α · mean(log π(ã|s) + H̄),  H̄ = −dim(A) by default (gradient on log α)
//   targets: θ̄ ← (1 − τ) θ̄ + τ θ   (Polyak, after every update)
// Order per update: critics, then actor and α on the freshly updated critics (as in CleanRL and
// Spinning Up), then Polyak. All heavy math goes through Kernels; the per-row head math is plain TS.

import type { Agent, ActOptions, Batch, Checkpoint, PolicySnapshot, UpdateMetrics } from '../agent.ts';
import type { Kernels } from '../nn/kernels.ts';
import { Mlp, mlpLayout } from '../nn/mlp.ts';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { createRng, type Rng } from '../rng.ts';
import { TanhPolicy, policyKind } from './policy.ts';
import { validateBatch as checkBatch, obsRepeater, outputPool } from '../agent-buffers.ts';
import { checkInt, checkRate, resolveLearnerConfig, type LearnerConfig } from '../learner-config.ts';
import { checkHeader, needRngState, needTensor, rangesToTensors, rangeWrites, type TensorRange } from '../checkpoint/ranges.ts';

/** Shared fields (sizes, lr, γ, τ, batch, initAlpha = 1 as the reference, seed): LearnerConfig. */
export interface SacConfig extends LearnerConfig {
  /** Learning rate of α (default: lr). */
  alphaLr?: number;
  /** Target entropy H̄. Default −actDim. */
  targetEntropy?: number;
  /** Learn α toward the target entropy. Default true. */
  autoAlpha?: boolean;
  policy?: 'gaussian' | 'mixture';
  /** Mixture components (policy 'mixture'). Default 4. */
  components?: number;
}

export type ResolvedSacConfig = Required<SacConfig>;

export function resolveSacConfig(c: SacConfig): ResolvedSacConfig {
  const who = 'SacConfig';
  const base = resolveLearnerConfig(c, who);
  const r: ResolvedSacConfig = {
    ...base,
    alphaLr: c.alphaLr ?? base.lr,
    targetEntropy: c.targetEntropy ?? -c.actDim,
    autoAlpha: c.autoAlpha ?? true,
    policy: c.policy ?? 'gaussian',
    components: c.components ?? 4,
  };
  checkRate(who, 'alphaLr', r.alphaLr);
  if (!Number.isFinite(r.targetEntropy)) throw new Error(`${who}.targetEntropy must be a finite number, got ${r.targetEntropy}`);
  if (r.policy !== 'gaussian' && r.policy !== 'mixture')
    throw new Error(`${who}.policy must be 'gaussian' or 'mixture', got ${String(r.policy)}`);
  if (r.policy === 'mixture') checkInt(who, 'components', r.components);
  return r;
}

const B1 = 0.9,
  B2 = 0.999,
  ADAM_EPS = 1e-8;
export const SAC_FORMAT_VERSION = '1';

export interface SacAgent extends Agent {
  readonly config: ResolvedSacConfig;
  readonly kernels: Kernels;
  /** Internals for gradient tests. */
  readonly internals: SacInternals;
}

export interface SacInternals {
  policy: TanhPolicy;
  q1: Mlp;
  q2: Mlp;
  q1t: Mlp;
  q2t: Mlp;
  actor: { params: number; grads: number; m: number; v: number; size: number };
  critics: { params: number; grads: number; m: number; v: number; target: number; size: number };
  /** [log α, grad, adam m, adam v] */
  alphaOff: number;
  /**
   * Tests only: when set, supplies the Gaussian noise ε (m × actDim) of each phase instead of the
   * agent's RNG, so another implementation (the WebGPU learner) can be fed the identical noise.
   */
  noiseHook: ((phase: 'critic' | 'actor', eps: Float32Array) => void) | null;
  /** The update's steps (see update()): gradients of a batch (shard), then optimiser steps. */
  phases: SacPhases;
  /** Computes losses and gradients without stepping (for finite-difference checks). */
  lossesAndGrads(batch: Batch, phase: 'critic' | 'actor', reuseNoise?: boolean): { qLoss: number; policyLoss: number; alphaLoss: number };
}

export interface SacPhases {
  /** Critic gradients of b into critics.grads (mean over b); returns [qLoss, mean min Q]. */
  criticGrads(b: Batch): [number, number];
  /** Adam on the critics (advances the shared Adam step). */
  stepCritics(): void;
  /** Actor gradient of b into actor.grads, on the current critics; returns [policyLoss, mean log π]. */
  actorGrads(b: Batch): [number, number];
  /** Adam on the actor, the α step from the batch's mean log π, Polyak; returns the α loss. */
  stepActor(meanLogp: number): number;
  /** The update noise RNG (its state is part of a checkpoint). */
  readonly rng: Rng;
  counters(): { updates: number; adamStep: number; alphaStep: number };
  setCounters(updates: number, adamStep: number, alphaStep: number): void;
}

export function createSacAgent(config: SacConfig, kernels?: Kernels): SacAgent {
  const cfg = resolveSacConfig(config);
  const K = cfg.policy === 'mixture' ? cfg.components : 1;
  const k = kernels ?? createTsKernels();
  const O = cfg.obsDim,
    A = cfg.actDim;

  // ---- arena layout: each group contiguous so Adam/Polyak run once per group ----
  const actorSize = mlpLayout([O, ...cfg.hidden, K === 1 ? 2 * A : K * (2 * A + 1)]).size;
  const qLayout = mlpLayout([O + A, ...cfg.hidden, 1]);
  const qSize = qLayout.size;
  const actor = { params: k.alloc(actorSize), grads: k.alloc(actorSize), m: k.alloc(actorSize), v: k.alloc(actorSize), size: actorSize };
  const critics = {
    params: k.alloc(2 * qSize),
    grads: k.alloc(2 * qSize),
    m: k.alloc(2 * qSize),
    v: k.alloc(2 * qSize),
    target: k.alloc(2 * qSize),
    size: 2 * qSize,
  };
  const alphaOff = k.alloc(4);

  const policy = new TanhPolicy(k, O, A, cfg.hidden, K, actor.params, actor.grads);
  const q1 = new Mlp(k, [O + A, ...cfg.hidden, 1], critics.params, critics.grads);
  const q2 = new Mlp(k, [O + A, ...cfg.hidden, 1], critics.params + qSize, critics.grads + qSize);
  const q1t = new Mlp(k, [O + A, ...cfg.hidden, 1], critics.target, -1);
  const q2t = new Mlp(k, [O + A, ...cfg.hidden, 1], critics.target + qSize, -1);

  const rng = createRng(cfg.seed);
  const actRng = createRng((cfg.seed ^ 0x5bd1e995) + 1); // acting never perturbs update noise
  policy.net.init(rng.uniform);
  q1.init(rng.uniform);
  q2.init(rng.uniform);
  k.copy(critics.target, critics.params, critics.size);
  k.f32[alphaOff] = Math.log(cfg.initAlpha);

  let updates = 0;
  let adamStep = 0;
  // α's own Adam step count: a fine-tune that restarts α restarts its optimiser too, bias
  // correction included (the shared count would make its first steps ~3× too large).
  let alphaStep = 0;

  // Preallocate everything the default batch size needs, so update() never grows the arena.
  const reserve = (m: number) => {
    policy.net.reserve(m);
    policy.s(m);
    for (const q of [q1, q2, q1t, q2t]) q.reserve(m);
  };
  reserve(cfg.batchSize);

  const scratch = new Map<number, { y: Float64Array; dA: Float32Array }>();
  const scr = (m: number) => {
    let s = scratch.get(m);
    if (!s) scratch.set(m, (s = { y: new Float64Array(m), dA: new Float32Array(m * A) }));
    return s;
  };

  /** Writes [obs | actions] rows into a critic input buffer. */
  function fillCriticInput(x: number, obs: Float32Array, act: ArrayLike<number>, m: number): void {
    const f = k.f32;
    const W = O + A;
    for (let i = 0; i < m; i++) {
      const r = x + i * W;
      for (let j = 0; j < O; j++) f[r + j] = obs[i * O + j]!;
      for (let j = 0; j < A; j++) f[r + O + j] = act[i * A + j]!;
    }
  }

  const draw = (m: number, phase: 'critic' | 'actor'): void => {
    const hook = agent.internals.noiseHook;
    if (hook) hook(phase, policy.s(m).eps);
    else policy.drawNoise(m, rng);
  };

  let lastQMean = 0;
  let lastEntropy = 0;

  function criticPhase(b: Batch, drawNoise: boolean): number {
    const m = b.size;
    const alpha = Math.exp(k.f32[alphaOff]!);
    const s = scr(m);
    // target: a' ~ π(·|s'), y = r + γ(1 − d)(min Q̄(s', a') − α log π(a'|s'))
    policy.forward(b.nextObs, m);
    if (drawNoise) draw(m, 'critic');
    const ps = policy.evaluate(m, true);
    const xt = q1t.input(m);
    fillCriticInput(xt, b.nextObs, ps.a, m);
    const o1t = q1t.forward(m);
    const o2t = q2t.forward(m, xt);
    let f = k.f32;
    for (let i = 0; i < m; i++) {
      const minQ = Math.min(f[o1t + i]!, f[o2t + i]!);
      s.y[i] = b.rewards[i]! + cfg.gamma * (1 - b.dones[i]!) * (minQ - alpha * ps.logp[i]!);
    }
    // critics on (s, a)
    const x = q1.input(m);
    fillCriticInput(x, b.obs, b.actions, m);
    const o1 = q1.forward(m);
    const o2 = q2.forward(m, x);
    const d1 = q1.dOutput(m),
      d2 = q2.dOutput(m);
    f = k.f32;
    let loss = 0,
      qsum = 0;
    for (let i = 0; i < m; i++) {
      const e1 = f[o1 + i]! - s.y[i]!;
      const e2 = f[o2 + i]! - s.y[i]!;
      loss += 0.5 * (e1 * e1 + e2 * e2);
      qsum += Math.min(f[o1 + i]!, f[o2 + i]!);
      f[d1 + i] = e1 / m;
      f[d2 + i] = e2 / m;
    }
    q1.backward(m, true, false);
    q2.backward(m, true, false);
    lastQMean = qsum / m;
    return loss / m;
  }

  /** Actor gradient into actor.grads; returns [policyLoss, mean log π]. */
  function actorPhase(b: Batch, drawNoise: boolean): [number, number] {
    const m = b.size;
    const alpha = Math.exp(k.f32[alphaOff]!);
    const s = scr(m);
    policy.forward(b.obs, m);
    if (drawNoise) draw(m, 'actor');
    const ps = policy.evaluate(m, true);
    const x = q1.input(m);
    fillCriticInput(x, b.obs, ps.a, m);
    const o1 = q1.forward(m);
    const o2 = q2.forward(m, x);
    const d1 = q1.dOutput(m),
      d2 = q2.dOutput(m);
    let f = k.f32;
    let loss = 0,
      lpSum = 0;
    for (let i = 0; i < m; i++) {
      const a1 = f[o1 + i]!,
        a2 = f[o2 + i]!;
      // d(−min Q)/dQ_i routes to the smaller critic (ties go to Q1)
      const first = a1 <= a2;
      loss += alpha * ps.logp[i]! - (first ? a1 : a2);
      lpSum += ps.logp[i]!;
      f[d1 + i] = first ? -1 / m : 0;
      f[d2 + i] = first ? 0 : -1 / m;
    }
    // dJ/dã through the critics (no critic parameter gradients)
    q1.backward(m, false, true);
    q2.backward(m, false, true);
    f = k.f32;
    const g1 = q1.dInput(m),
      g2 = q2.dInput(m);
    const W = O + A;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < A; j++) s.dA[i * A + j] = f[g1 + i * W + O + j]! + f[g2 + i * W + O + j]!;
    }
    policy.backward(m, alpha / m, s.dA);
    return [loss / m, lpSum / m];
  }

  // The update in four steps, so a data-parallel learner (parallel-sac.ts) can average the
  // gradients of several batch shards between them: grads, then the optimiser steps.
  function stepCritics(): void {
    adamStep++;
    k.adam(critics.params, critics.grads, critics.m, critics.v, critics.size, cfg.criticLr, B1, B2, ADAM_EPS, adamStep);
  }

  /** Actor and α steps, then Polyak; meanLogp is the batch mean of log π(ã|s). Returns the α loss. */
  function stepActor(meanLogp: number): number {
    k.adam(actor.params, actor.grads, actor.m, actor.v, actor.size, cfg.actorLr, B1, B2, ADAM_EPS, adamStep);
    const logAlpha = k.f32[alphaOff]!;
    const alphaLoss = -logAlpha * (meanLogp + cfg.targetEntropy);
    if (cfg.autoAlpha) {
      k.f32[alphaOff + 1] = -(meanLogp + cfg.targetEntropy);
      alphaStep++;
      k.adam(alphaOff, alphaOff + 1, alphaOff + 2, alphaOff + 3, 1, cfg.alphaLr, B1, B2, ADAM_EPS, alphaStep);
    }
    k.polyak(critics.target, critics.params, critics.size, cfg.tau);
    updates++;
    lastEntropy = -meanLogp;
    return alphaLoss;
  }

  function update(b: Batch): UpdateMetrics {
    validateBatch(b);
    if (b.size !== cfg.batchSize) reserve(b.size);
    const qLoss = criticPhase(b, true);
    stepCritics();
    const [policyLoss, meanLogp] = actorPhase(b, true);
    const alphaLoss = stepActor(meanLogp);
    return { qLoss, policyLoss, alpha: Math.exp(k.f32[alphaOff]!), alphaLoss, entropy: lastEntropy, qMean: lastQMean };
  }

  const validateBatch = (b: Batch): void => checkBatch(b, O, A);

  // ---- acting ----
  const outFor = outputPool();
  const repeatObs = obsRepeater(O);
  const qOut = new Map<number, Float32Array>();

  // ---- checkpoint tensors ----
  const pLayout = policy.net.layout;
  const ranges: TensorRange[] = [
    { name: 'actor', layout: pLayout, base: () => actor.params },
    { name: 'actor.adam_m', layout: pLayout, base: () => actor.m },
    { name: 'actor.adam_v', layout: pLayout, base: () => actor.v },
  ];
  for (const [name, off] of [
    ['q1', 0],
    ['q2', qSize],
  ] as const) {
    ranges.push({ name, layout: qLayout, base: () => critics.params + off });
    ranges.push({ name: `${name}_target`, layout: qLayout, base: () => critics.target + off });
    ranges.push({ name: `${name}.adam_m`, layout: qLayout, base: () => critics.m + off });
    ranges.push({ name: `${name}.adam_v`, layout: qLayout, base: () => critics.v + off });
  }
  const scalars = [
    ['log_alpha', 0],
    ['log_alpha.adam_m', 2],
    ['log_alpha.adam_v', 3],
  ] as const;

  const kind = policyKind(K);

  const agent: SacAgent = {
    algo: 'sac',
    obsDim: O,
    actDim: A,
    config: cfg,
    kernels: k,
    get updates() {
      return updates;
    },
    get alpha() {
      return Math.exp(k.f32[alphaOff]!);
    },
    act(obs: Float32Array, opts?: ActOptions): Float32Array {
      return policy.act(obs, 1, actRng, outFor(A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    actBatch(obs: Float32Array, n: number, opts?: ActOptions): Float32Array {
      return policy.act(obs, n, actRng, outFor(n * A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    sampleActions(obs: Float32Array, kk: number, opts?: ActOptions): Float32Array {
      return policy.act(repeatObs(obs, kk), kk, actRng, outFor(kk * A), opts?.deterministic ?? false, opts?.temperature ?? 1);
    },
    qValues(obs: Float32Array, actions: Float32Array, kk: number): Float32Array {
      if (actions.length < kk * A) throw new Error(`qValues: expected ${kk}×${A} action floats, got ${actions.length}`);
      const x = q1.input(kk);
      fillCriticInput(x, repeatObs(obs, kk), actions, kk);
      const o1 = q1.forward(kk);
      const o2 = q2.forward(kk, x);
      let out = qOut.get(kk);
      if (!out) qOut.set(kk, (out = new Float32Array(kk)));
      const f = k.f32;
      for (let i = 0; i < kk; i++) out[i] = Math.min(f[o1 + i]!, f[o2 + i]!);
      return out;
    },
    update,
    exportPolicy(): PolicySnapshot {
      return { kind, obsDim: O, actDim: A, hidden: [...cfg.hidden], components: K, params: policy.net.getParams(), step: updates };
    },
    save(): Checkpoint {
      const tensors: Record<string, Float32Array> = {};
      const shapes: Record<string, number[]> = {};
      const f = k.f32;
      rangesToTensors(f, ranges, tensors, shapes);
      for (const [name, o] of scalars) {
        tensors[name] = f.slice(alphaOff + o, alphaOff + o + 1);
        shapes[name] = [1];
      }
      return {
        meta: {
          format: 'maxent-checkpoint',
          version: 1,
          algo: 'sac',
          obsDim: O,
          actDim: A,
          step: updates,
          config: { ...cfg, hidden: [...cfg.hidden], policyKind: kind },
          versions: { sacFormat: SAC_FORMAT_VERSION, kernels: k.name },
          extra: { updates, adamStep, alphaAdamStep: alphaStep, rng: rng.getState(), actRng: actRng.getState() },
        },
        tensors,
        shapes,
      };
    },
    load(c: Checkpoint): void {
      const meta = checkHeader(c, 'sac', O, A, cfg.hidden);
      const ck = meta.config?.['policyKind'];
      const cK = meta.config?.['policy'] === 'mixture' ? meta.config?.['components'] : 1;
      if (ck !== kind || cK !== K)
        throw new Error(
          `checkpoint: policy mismatch: checkpoint ${String(ck)} (components ${String(cK)}), agent ${kind} (components ${K})`,
        );
      const extra = meta.extra ?? {};
      const need = (name: string, len: number): Float32Array => needTensor(c, name, len);
      // validate everything before writing anything
      const writes = rangeWrites(c, ranges);
      for (const [name, o] of scalars) writes.push([alphaOff + o, need(name, 1)]);
      const num = (key: string): number => {
        const v = extra[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          throw new Error(`checkpoint: extra.${key} missing or invalid (${JSON.stringify(v)})`);
        return v;
      };
      const nu = num('updates'),
        ns = num('adamStep');
      // Checkpoints from before α had its own count stepped it with the shared one.
      const na = extra['alphaAdamStep'] === undefined ? ns : num('alphaAdamStep');
      const rs = needRngState(extra, 'rng'),
        ars = needRngState(extra, 'actRng');
      const f = k.f32;
      for (const [off, t] of writes) f.set(t, off);
      rng.setState(rs);
      actRng.setState(ars);
      updates = nu;
      adamStep = ns;
      alphaStep = na;
    },
    internals: {
      policy,
      q1,
      q2,
      q1t,
      q2t,
      actor,
      critics,
      alphaOff,
      noiseHook: null,
      phases: {
        criticGrads(b: Batch): [number, number] {
          validateBatch(b);
          if (b.size !== cfg.batchSize) reserve(b.size);
          return [criticPhase(b, true), lastQMean];
        },
        stepCritics,
        actorGrads(b: Batch): [number, number] {
          return actorPhase(b, true);
        },
        stepActor,
        rng,
        counters: () => ({ updates, adamStep, alphaStep }),
        setCounters(u: number, s: number, a: number): void {
          updates = u;
          adamStep = s;
          alphaStep = a;
        },
      },
      lossesAndGrads(b: Batch, phase: 'critic' | 'actor', reuseNoise = false) {
        if (b.size !== cfg.batchSize) reserve(b.size);
        if (phase === 'critic') return { qLoss: criticPhase(b, !reuseNoise), policyLoss: 0, alphaLoss: 0 };
        if (reuseNoise) {
          // keep the sampled mixture components fixed too
          const [policyLoss, meanLogp] = actorPhaseFixed(b);
          return { qLoss: 0, policyLoss, alphaLoss: -k.f32[alphaOff]! * (meanLogp + cfg.targetEntropy) };
        }
        const [policyLoss, meanLogp] = actorPhase(b, true);
        return { qLoss: 0, policyLoss, alphaLoss: -k.f32[alphaOff]! * (meanLogp + cfg.targetEntropy) };
      },
    },
  };

  function actorPhaseFixed(b: Batch): [number, number] {
    // Same as actorPhase(b, false) but without re-choosing mixture components.
    policy.fixComponents = true;
    try {
      return actorPhase(b, false);
    } finally {
      policy.fixComponents = false;
    }
  }

  return agent;
}
