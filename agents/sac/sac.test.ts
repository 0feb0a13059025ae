import { describe, expect, it } from 'vitest';
import { createSacAgent, type SacAgent, type SacConfig } from './sac.ts';
import { randomBatch } from './test-util.ts';
import { encodeCheckpoint, decodeCheckpoint } from '../checkpoint/safetensors.ts';
import { createPolicyRunner } from '../policy-runner.ts';
import { createAgent } from '../index.ts';

const TINY: SacConfig = { obsDim: 3, actDim: 2, hidden: [8, 8], batchSize: 6, seed: 3, initAlpha: 0.3 };

/** Hidden ReLU sign pattern of every network: a finite difference that flips it is skipped. */
function pattern(a: SacAgent, m: number): string {
  const f = a.kernels.f32;
  const { policy, q1, q2, q1t, q2t } = a.internals;
  let s = '';
  for (const net of [policy.net, q1, q2, q1t, q2t]) {
    const ys = net.layerOutputs(m);
    for (let l = 0; l + 1 < ys.length; l++) for (let i = 0; i < m * net.layout.layers[l]!.out; i++) s += f[ys[l]! + i]! > 0 ? '1' : '0';
  }
  return s;
}

function fdCheck(cfg: SacConfig, phase: 'critic' | 'actor'): { err: number; checked: number } {
  const a = createSacAgent(cfg);
  const m = cfg.batchSize!;
  const b = randomBatch(m, cfg.obsDim, cfg.actDim, 11);
  // a few real updates first, so the critics and the actor are not at their symmetric init
  for (let i = 0; i < 3; i++) a.update(randomBatch(m, cfg.obsDim, cfg.actDim, 20 + i));
  const { actor, critics } = a.internals;
  const [params, grads, size] =
    phase === 'critic' ? [critics.params, critics.grads, critics.size] : [actor.params, actor.grads, actor.size];
  const lossOf = (r: ReturnType<typeof a.internals.lossesAndGrads>) => (phase === 'critic' ? r.qLoss : r.policyLoss);
  lossOf(a.internals.lossesAndGrads(b, phase, false)); // draws the noise used below
  a.internals.lossesAndGrads(b, phase, true);
  const base = pattern(a, m);
  const f = a.kernels.f32;
  const analytic = Float64Array.from(f.subarray(grads, grads + size));
  const h = 2e-3;
  let num = 0,
    den = 0,
    checked = 0;
  for (let i = 0; i < size; i++) {
    const v = f[params + i]!;
    f[params + i] = v + h;
    const lp = lossOf(a.internals.lossesAndGrads(b, phase, true));
    const pp = pattern(a, m);
    f[params + i] = v - h;
    const lm = lossOf(a.internals.lossesAndGrads(b, phase, true));
    const pm = pattern(a, m);
    f[params + i] = v;
    if (pp !== base || pm !== base) continue;
    const fd = (lp - lm) / (2 * h);
    num += (fd - analytic[i]!) ** 2;
    den += fd * fd;
    checked++;
  }
  return { err: Math.sqrt(num / den), checked };
}

describe('SAC gradients vs finite differences of the SAC losses', () => {
  for (const policy of ['gaussian', 'mixture'] as const) {
    it(`critic loss gradient (${policy})`, () => {
      const { err, checked } = fdCheck({ ...TINY, policy, components: 3 }, 'critic');
      expect(checked).toBeGreaterThan(150);
      expect(err).toBeLessThan(1e-3); // measured ~3e-5; a 5% error in one log-det term gives 7e-3
    });
    it(`actor loss gradient, reparameterised tanh policy with log-det correction (${policy})`, () => {
      const { err, checked } = fdCheck({ ...TINY, policy, components: 3 }, 'actor');
      expect(checked).toBeGreaterThan(100);
      expect(err).toBeLessThan(1e-3); // measured ~3e-5; a 5% error in one log-det term gives 7e-3
    });
  }

  it('the losses are exactly the seeds/002 §4.4 formulas (independent recomputation)', () => {
    const a = createSacAgent({ ...TINY, gamma: 0.9 });
    const m = 6,
      A = 2;
    for (let i = 0; i < 2; i++) a.update(randomBatch(m, 3, A, 40 + i));
    const b = randomBatch(m, 3, A, 7);
    const { policy, q1, q2, q1t, q2t } = a.internals;
    const alpha = a.alpha!;
    const f = () => a.kernels.f32;
    const qOf = (net: typeof q1, obs: Float32Array, act: ArrayLike<number>, i: number) => {
      const x = net.input(1);
      f().set(obs.subarray(i * 3, i * 3 + 3), x);
      for (let j = 0; j < A; j++) f()[x + 3 + j] = act[i * A + j]!;
      return f()[net.forward(1)]!;
    };
    // critic: y = r + γ(1 − d)(min Q̄(s', a') − α log π(a'|s'))
    const { qLoss } = a.internals.lossesAndGrads(b, 'critic', false);
    policy.forward(b.nextObs, m);
    const ps = policy.evaluate(m, true); // same noise as the critic phase
    const aNext = Float32Array.from(ps.a),
      lpNext = Float64Array.from(ps.logp);
    let ref = 0;
    for (let i = 0; i < m; i++) {
      const y =
        b.rewards[i]! +
        0.9 * (1 - b.dones[i]!) * (Math.min(qOf(q1t, b.nextObs, aNext, i), qOf(q2t, b.nextObs, aNext, i)) - alpha * lpNext[i]!);
      ref += 0.5 * ((qOf(q1, b.obs, b.actions, i) - y) ** 2 + (qOf(q2, b.obs, b.actions, i) - y) ** 2);
    }
    expect(qLoss).toBeCloseTo(ref / m, 5);
    // actor: mean(α log π(ã|s) − min Q(s, ã)); alpha: −log α (log π + H̄)
    const { policyLoss, alphaLoss } = a.internals.lossesAndGrads(b, 'actor', false);
    policy.forward(b.obs, m);
    const pa = policy.evaluate(m, true);
    const act = Float32Array.from(pa.a),
      lp = Float64Array.from(pa.logp);
    let pref = 0,
      lpm = 0;
    for (let i = 0; i < m; i++) {
      pref += alpha * lp[i]! - Math.min(qOf(q1, b.obs, act, i), qOf(q2, b.obs, act, i));
      lpm += lp[i]! / m;
    }
    expect(policyLoss).toBeCloseTo(pref / m, 5);
    expect(alphaLoss).toBeCloseTo(-Math.log(alpha) * (lpm - 2), 5);
  });

  it('temperature moves toward the target entropy', () => {
    const hi = createSacAgent({ ...TINY, targetEntropy: -20 }); // entropy far above target: α falls
    const m1 = hi.update(randomBatch(6, 3, 2));
    expect(m1.alpha).toBeLessThan(0.3);
    const lo = createSacAgent({ ...TINY, targetEntropy: 20 }); // far below target: α rises
    expect(lo.update(randomBatch(6, 3, 2)).alpha).toBeGreaterThan(0.3);
    const fixed = createSacAgent({ ...TINY, autoAlpha: false });
    expect(fixed.update(randomBatch(6, 3, 2)).alpha).toBeCloseTo(0.3, 7);
  });
});

describe('SAC state', () => {
  for (const policy of ['gaussian', 'mixture'] as const) {
    it(`save → encode → decode → load → continue is bit-identical (${policy})`, () => {
      const cfg: SacConfig = { obsDim: 4, actDim: 3, hidden: [16, 16], batchSize: 8, seed: 9, policy };
      const a = createSacAgent(cfg);
      for (let i = 0; i < 5; i++) a.update(randomBatch(8, 4, 3, i));
      a.act(new Float32Array(4));
      const bytes = encodeCheckpoint(a.save());
      const b = createSacAgent({ ...cfg, seed: 1234 });
      b.load(decodeCheckpoint(bytes));
      expect(b.updates).toBe(5);
      for (let i = 0; i < 3; i++) {
        const batch = randomBatch(8, 4, 3, 100 + i);
        expect(b.update(batch)).toEqual(a.update(batch));
      }
      const sa = a.save(),
        sb = b.save();
      for (const name of Object.keys(sa.tensors)) expect(sb.tensors[name], name).toEqual(sa.tensors[name]);
      expect(sb.meta.extra).toEqual(sa.meta.extra);
      const o = new Float32Array([0.1, -0.2, 0.3, 0.4]);
      expect(Array.from(b.act(o))).toEqual(Array.from(a.act(o)));
    });
  }

  it('load rejects mismatched or incomplete checkpoints with a clear error', () => {
    const a = createSacAgent(TINY);
    const c = a.save();
    expect(() => createSacAgent({ ...TINY, obsDim: 4 }).load(c)).toThrow(/obsDim mismatch: checkpoint 3, agent 4/);
    expect(() => createSacAgent({ ...TINY, actDim: 1 }).load(c)).toThrow(/actDim mismatch/);
    expect(() => createSacAgent({ ...TINY, hidden: [8] }).load(c)).toThrow(/hidden mismatch/);
    expect(() => createSacAgent({ ...TINY, policy: 'mixture' }).load(c)).toThrow(/policy mismatch/);
    expect(() => a.load({ ...c, meta: { ...c.meta, algo: 'sql' } })).toThrow(/algo mismatch/);
    const missing = { ...c, tensors: { ...c.tensors } };
    delete missing.tensors['q2_target.1.weight'];
    expect(() => a.load(missing)).toThrow(/missing tensor 'q2_target.1.weight'/);
    const short = { ...c, tensors: { ...c.tensors, 'actor.0.bias': new Float32Array(2) } };
    expect(() => a.load(short)).toThrow(/'actor.0.bias' has 2 floats, expected 8/);
    const nan = { ...c, tensors: { ...c.tensors, log_alpha: Float32Array.of(NaN) } };
    expect(() => a.load(nan)).toThrow(/tensor 'log_alpha' holds NaN at index 0 \(the run had diverged/);
  });

  it("restarting α (as a fine-tune with reset α does) restarts its Adam: the first α step is lr, as a fresh agent's", () => {
    const lr = 3e-4;
    const a = createSacAgent({ ...TINY, lr });
    for (let i = 0; i < 40; i++) a.update(randomBatch(TINY.batchSize!, 3, 2, i));
    const c = a.save();
    expect(c.meta.extra['alphaAdamStep']).toBe(40);
    const reset = {
      ...c,
      meta: { ...c.meta, extra: { ...c.meta.extra, alphaAdamStep: 0 } },
      tensors: {
        ...c.tensors,
        log_alpha: Float32Array.of(Math.log(0.3)),
        'log_alpha.adam_m': Float32Array.of(0),
        'log_alpha.adam_v': Float32Array.of(0),
      },
    };
    const b = createSacAgent({ ...TINY, lr });
    b.load(reset);
    const before = Math.log(b.alpha!);
    b.update(randomBatch(TINY.batchSize!, 3, 2, 99));
    // Fresh Adam's first step is lr · g/|g|; with the shared count (40) it was ~3.2 lr.
    expect(Math.abs(Math.log(b.alpha!) - before)).toBeCloseTo(lr, 6);
    // An older checkpoint without the count steps α with the shared one, as it was trained.
    const old = { ...c, meta: { ...c.meta, extra: { ...c.meta.extra } } };
    delete old.meta.extra['alphaAdamStep'];
    b.load(old);
    expect(b.internals.phases.counters().alphaStep).toBe(40);
  });

  it('a checkpoint that fails to load leaves the agent as it was; a diverged agent saves nothing', () => {
    const a = createSacAgent(TINY);
    a.update(randomBatch(TINY.batchSize!, 3, 2, 1));
    const c = a.save();
    const b = createSacAgent({ ...TINY, seed: 77 });
    const before = b.save();
    // The RNG state is checked with the tensors, before any of them is written.
    const badRng = { ...c, meta: { ...c.meta, extra: { ...c.meta.extra, rng: [1, 2, 3] } } };
    expect(() => b.load(badRng)).toThrow(/extra.rng: rng state must be 4 uint32 values/);
    expect(() => b.load({ ...c, meta: { ...c.meta, extra: { ...c.meta.extra, actRng: [0, 0, 0, 0] } } })).toThrow(
      /extra.actRng: .*all zero/,
    );
    const after = b.save();
    for (const name of Object.keys(before.tensors)) expect(after.tensors[name], name).toEqual(before.tensors[name]);
    expect(after.meta.extra).toEqual(before.meta.extra);
    // A NaN weight (a learner that diverged) is never written over a good checkpoint.
    b.kernels.f32[b.internals.actor.params + 3] = NaN;
    expect(() => b.save()).toThrow(/not saving a checkpoint: 'actor' holds NaN \(training diverged\)/);
  });

  it('acting, sampling and Q values have the contract shapes; the runner acts like the agent', async () => {
    const agent = await createAgent({
      algo: 'sac',
      obsDim: 3,
      actDim: 2,
      hidden: [16, 16],
      batchSize: 8,
      seed: 2,
      policy: 'mixture',
      components: 3,
    });
    const o = new Float32Array([0.5, -1, 2]);
    const a = agent.act(o);
    expect(a.length).toBe(2);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(agent.actBatch(new Float32Array(12), 4).length).toBe(8);
    const samples = agent.sampleActions(o, 50);
    expect(samples.length).toBe(100);
    const q = agent.qValues(o, samples, 50);
    expect(q.length).toBe(50);
    expect(q.every(Number.isFinite)).toBe(true);
    const runner = createPolicyRunner(agent.exportPolicy());
    const det = Array.from(agent.act(o, { deterministic: true }));
    // The agent may run on WASM SIMD kernels (another summation order): equal to float precision.
    Array.from(runner.act(o, { deterministic: true })).forEach((v, i) => expect(v).toBeCloseTo(det[i]!, 5));
    expect(runner.sampleActions(o, 7).length).toBe(14);
    // temperature 0 is deterministic
    expect(Array.from(runner.act(o, { temperature: 0 }))).toEqual(Array.from(runner.act(o, { deterministic: true })));
    // a snapshot of another architecture rebuilds the runner
    const other = createSacAgent({ obsDim: 5, actDim: 1, hidden: [4], seed: 1 });
    runner.load(other.exportPolicy());
    expect(runner.act(new Float32Array(5)).length).toBe(1);
    expect(() => runner.load({ ...other.exportPolicy(), params: new Float32Array(3) })).toThrow(/expected \d+ params/);
    expect((await createAgent({ algo: 'sql', obsDim: 1, actDim: 1, hidden: [4] })).algo).toBe('sql');
  });
});
