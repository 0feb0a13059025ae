// Parity of the hand-written SAC (agents/sac, on TS and WASM kernels) with the independent tfjs
// autodiff reference: losses and gradients of each phase to 1e-4 relative, then one full update
// (Adam, α, Polyak) including all optimizer state. Also sanity checks of the reference itself.
import { afterAll, describe, expect, it } from 'vitest';
import type { Batch } from '../agent.ts';
import type { Kernels } from '../nn/kernels.ts';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { createWasmKernels, wasmSimdSupported } from '../nn/wasm/wasm-kernels.ts';
import { createRng } from '../rng.ts';
import { createSacAgent, type SacAgent } from '../sac/sac.ts';
import { randomBatch } from '../sac/test-util.ts';
import { TfjsSac, packedSize, sacRefConfig, type SacRefConfig, type SacRefState } from './sac-reference.ts';

const O = 27,
  A = 8,
  HIDDEN = [64, 48],
  M = 64;

/** max |a − b| over the vector, relative to max |b| (gradients have many near-zero entries). */
function relErr(a: Float32Array | number[], b: Float32Array | number[]): number {
  let d = 0,
    s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / (s || 1);
}

function snapshot(agent: SacAgent): SacRefState {
  const { policy, q1, q2, q1t, q2t, actor, critics, alphaOff } = agent.internals;
  const f = agent.kernels.f32;
  const qSize = critics.size / 2;
  return {
    actor: policy.net.getParams(),
    q1: q1.getParams(),
    q2: q2.getParams(),
    q1Target: q1t.getParams(),
    q2Target: q2t.getParams(),
    logAlpha: f[alphaOff]!,
    m: {
      actor: policy.net.getParams(undefined, actor.m),
      q1: q1.getParams(undefined, critics.m),
      q2: q2.getParams(undefined, critics.m + qSize),
      logAlpha: f.slice(alphaOff + 2, alphaOff + 3),
    },
    v: {
      actor: policy.net.getParams(undefined, actor.v),
      q1: q1.getParams(undefined, critics.v),
      q2: q2.getParams(undefined, critics.v + qSize),
      logAlpha: f.slice(alphaOff + 3, alphaOff + 4),
    },
    step: 0,
  };
}

function refCfg(agent: SacAgent): SacRefConfig {
  const c = agent.config;
  return sacRefConfig({
    obsDim: c.obsDim,
    actDim: c.actDim,
    hidden: c.hidden,
    gamma: c.gamma,
    tau: c.tau,
    actorLr: c.actorLr,
    criticLr: c.criticLr,
    alphaLr: c.alphaLr,
    targetEntropy: c.targetEntropy,
    autoAlpha: c.autoAlpha,
  });
}

const live: TfjsSac[] = [];
afterAll(() => live.forEach((s) => s.dispose()));

const backends: [string, () => Promise<Kernels>][] = [['ts', async () => createTsKernels()]];
if (wasmSimdSupported()) backends.push(['wasm', () => createWasmKernels()]);

describe.each(backends)('SAC (%s kernels) vs tfjs autodiff reference', (_name, make) => {
  async function setup(seed: number, initAlpha = 0.3): Promise<{ agent: SacAgent; b: Batch }> {
    const agent = createSacAgent({ obsDim: O, actDim: A, hidden: HIDDEN, batchSize: M, seed, initAlpha }, await make());
    const b = randomBatch(M, O, A, seed + 100);
    return { agent, b };
  }

  it('critic and actor losses and gradients match to 1e-4', async () => {
    const { agent, b } = await setup(5);
    const ref = new TfjsSac(refCfg(agent), snapshot(agent));
    live.push(ref);
    const { policy, q1, q2 } = agent.internals;

    const mine = agent.internals.lossesAndGrads(b, 'critic');
    const epsNext = policy.s(M).eps.slice();
    const cr = ref.criticLossAndGrads(b, epsNext);
    expect(Math.abs(mine.qLoss - cr.qLoss) / Math.abs(cr.qLoss)).toBeLessThan(1e-4);
    expect(relErr(q1.getParams(undefined, q1.grads), ref.packGrads(cr.grads, 'q1'))).toBeLessThan(1e-4);
    expect(relErr(q2.getParams(undefined, q2.grads), ref.packGrads(cr.grads, 'q2'))).toBeLessThan(1e-4);
    cr.dispose();

    const mineA = agent.internals.lossesAndGrads(b, 'actor');
    const eps = policy.s(M).eps.slice();
    const ar = ref.actorLossAndGrads(b, eps);
    expect(Math.abs(mineA.policyLoss - ar.policyLoss) / Math.abs(ar.policyLoss)).toBeLessThan(1e-4);
    const refAlphaLoss = -agent.kernels.f32[agent.internals.alphaOff]! * (ar.meanLogp + agent.config.targetEntropy);
    expect(Math.abs(mineA.alphaLoss - refAlphaLoss)).toBeLessThan(1e-4 * Math.abs(refAlphaLoss) + 1e-6);
    expect(relErr(policy.net.getParams(undefined, policy.net.grads), ref.packGrads(ar.grads, 'actor'))).toBeLessThan(1e-4);
    ar.dispose();
  });

  it('two full updates (Adam, α, Polyak, optimizer state) match', async () => {
    const { agent, b } = await setup(11, 1);
    const before = snapshot(agent);
    const ref = new TfjsSac(refCfg(agent), before);
    live.push(ref);
    for (let u = 0; u < 2; u++) {
      // the agent draws ε' then ε from its update rng: replay the same stream for the reference
      const rng = createRng(0);
      rng.setState(agent.save().meta.extra!['rng'] as number[]);
      const epsNext = new Float32Array(M * A),
        epsActor = new Float32Array(M * A);
      rng.normals(epsNext, 0, M * A);
      rng.normals(epsActor, 0, M * A);
      const start = snapshot(agent);
      const mm = agent.update(b);
      const rm = ref.update(b, epsNext, epsActor);
      expect(Math.abs(mm.qLoss - rm.qLoss) / Math.abs(rm.qLoss)).toBeLessThan(1e-4);
      expect(Math.abs(mm.policyLoss - rm.policyLoss) / Math.abs(rm.policyLoss)).toBeLessThan(1e-4);
      expect(Math.abs(mm.alpha - rm.alpha) / rm.alpha).toBeLessThan(1e-6);
      const got = snapshot(agent),
        want = ref.state();
      // Adam moves each weight by ~lr: compare the moves, not the (much larger) weights
      for (const part of ['actor', 'q1', 'q2'] as const) {
        const dg = got[part].map((x, i) => x - start[part][i]!);
        const dw = want[part].map((x, i) => x - start[part][i]!);
        expect(relErr(dg, dw), `${part} step ${u + 1}`).toBeLessThan(2e-3);
      }
      // targets move by τ·lr ≈ 1e-6, about float32 rounding of the weights: compare the weights
      for (const part of ['q1Target', 'q2Target'] as const) {
        expect(relErr(got[part], want[part]), `${part} step ${u + 1}`).toBeLessThan(1e-6);
        expect(relErr(got[part], start[part]), `${part} moved`).toBeGreaterThan(0);
      }
      for (const part of ['actor', 'q1', 'q2'] as const) {
        expect(relErr(got.m[part], want.m[part]), `adam m ${part}`).toBeLessThan(1e-4);
        expect(relErr(got.v[part], want.v[part]), `adam v ${part}`).toBeLessThan(2e-4);
      }
      expect(Math.abs(got.logAlpha - want.logAlpha)).toBeLessThan(1e-6);
    }
  });
});

describe('tfjs reference sanity', () => {
  it('log π of the tanh-Gaussian matches a numerical density (1-D change of variables)', () => {
    // one action dim: p_a(a) = N(u; mu, σ) / (1 − a²); integrate exp(log π) over a ∈ (−1, 1) ≈ 1
    const cfg = sacRefConfig({ obsDim: 1, actDim: 1, hidden: [3] });
    const actor = new Float32Array(packedSize([1, 3, 2]));
    actor[actor.length - 2] = 0.4; // bias of mu
    actor[actor.length - 1] = -0.3; // bias of raw log σ
    const z = new Float32Array(packedSize([2, 3, 1]));
    const sac = new TfjsSac(cfg, TfjsSac.initialState(cfg, { actor, q1: z, q2: z.slice() }));
    live.push(sac);
    const n = 4001;
    const eps = new Float32Array(n);
    for (let i = 0; i < n; i++) eps[i] = -8 + (16 * i) / (n - 1);
    const { a, logp } = sac.sample(new Float32Array(n), n, eps);
    let mass = 0;
    for (let i = 1; i < n; i++) mass += 0.5 * (Math.exp(logp[i]!) + Math.exp(logp[i - 1]!)) * (a[i]! - a[i - 1]!);
    expect(Math.abs(mass - 1)).toBeLessThan(2e-3);
    // and the closed form at one point
    const logStd = -5 + 3.5 * (Math.tanh(-0.3) + 1);
    const u = 0.4 + Math.exp(logStd) * eps[2500]!;
    const expect1 = -0.5 * eps[2500]! ** 2 - logStd - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - Math.tanh(u) ** 2);
    expect(Math.abs(logp[2500]! - expect1)).toBeLessThan(1e-4);
  });

  it('an update lowers the critic loss on a fixed batch and keeps shapes', () => {
    const cfg = sacRefConfig({ obsDim: 3, actDim: 2, hidden: [16, 16], criticLr: 1e-2, actorLr: 1e-3 });
    const r = createRng(3);
    const rand = (n: number, s: number) => Float32Array.from({ length: n }, () => s * r.normal());
    const init = TfjsSac.initialState(cfg, {
      actor: rand(packedSize([3, 16, 16, 4]), 0.3),
      q1: rand(packedSize([5, 16, 16, 1]), 0.3),
      q2: rand(packedSize([5, 16, 16, 1]), 0.3),
    });
    const sac = new TfjsSac(cfg, init);
    live.push(sac);
    const b = randomBatch(32, 3, 2, 4);
    const eps = rand(64, 1);
    const first = sac.update(b, eps, eps).qLoss;
    let last = first;
    for (let i = 0; i < 30; i++) last = sac.update(b, eps, eps).qLoss;
    expect(last).toBeLessThan(first);
    const st = sac.state();
    expect(st.step).toBe(31);
    expect(st.actor.length).toBe(init.actor.length);
    expect(st.q1Target.length).toBe(init.q1.length);
    expect(Number.isFinite(st.logAlpha)).toBe(true);
  });
});
