import { describe, expect, it } from 'vitest';
import { createSqlAgent, klConst, type SqlAgent, type SqlConfig } from './sql.ts';
import { randomBatch } from '../sac/test-util.ts';
import { encodeCheckpoint, decodeCheckpoint } from '../checkpoint/safetensors.ts';
import { createPolicyRunner } from '../policy-runner.ts';
import { createAgent } from '../index.ts';

const TINY: SqlConfig = {
  obsDim: 3,
  actDim: 2,
  hidden: [8, 8],
  batchSize: 5,
  seed: 3,
  initAlpha: 0.5,
  valueParticles: 6,
  svgdParticles: 5,
};

/** Hidden ReLU sign pattern of every network: a finite difference that flips it is skipped. */
function pattern(a: SqlAgent, sizes: number[]): string {
  const f = a.kernels.f32;
  const { sampler, q, qt } = a.internals;
  let s = '';
  for (const [net, m] of [
    [sampler.net, sizes[0]!],
    [q, sizes[1]!],
    [qt, sizes[2]!],
  ] as const) {
    const ys = net.layerOutputs(m);
    for (let l = 0; l + 1 < ys.length; l++) for (let i = 0; i < m * net.layout.layers[l]!.out; i++) s += f[ys[l]! + i]! > 0 ? '1' : '0';
  }
  return s;
}

function fdCheck(cfg: SqlConfig, phase: 'critic' | 'sampler'): { err: number; checked: number } {
  const a = createSqlAgent(cfg);
  const m = cfg.batchSize!,
    K = cfg.svgdParticles!,
    M = cfg.valueParticles!;
  const b = randomBatch(m, cfg.obsDim, cfg.actDim, 11);
  for (let i = 0; i < 3; i++) a.update(randomBatch(m, cfg.obsDim, cfg.actDim, 20 + i)); // leave the init
  const { actor, critic } = a.internals;
  const [params, grads, size] = phase === 'critic' ? [critic.params, critic.grads, critic.size] : [actor.params, actor.grads, actor.size];
  const sizes = [m * K, m, m * M];
  const lossOf = (r: { qLoss: number; policyLoss: number }) => (phase === 'critic' ? r.qLoss : r.policyLoss);
  a.internals.lossesAndGrads(b, phase, false); // draws the noise (and the SVGD direction) used below
  a.internals.lossesAndGrads(b, phase, true, true);
  const base = pattern(a, sizes);
  const f = a.kernels.f32;
  const analytic = Float64Array.from(f.subarray(grads, grads + size));
  const h = 2e-3;
  let num = 0,
    den = 0,
    checked = 0;
  for (let i = 0; i < size; i++) {
    const v = f[params + i]!;
    f[params + i] = v + h;
    const lp = lossOf(a.internals.lossesAndGrads(b, phase, true, true));
    const pp = pattern(a, sizes);
    f[params + i] = v - h;
    const lm = lossOf(a.internals.lossesAndGrads(b, phase, true, true));
    const pm = pattern(a, sizes);
    f[params + i] = v;
    if (pp !== base || pm !== base) continue;
    const fd = (lp - lm) / (2 * h);
    num += (fd - analytic[i]!) ** 2;
    den += fd * fd;
    checked++;
  }
  return { err: Math.sqrt(num / den), checked };
}

describe('SQL gradients vs finite differences', () => {
  it('critic loss gradient (soft Bellman error with the importance-sampled soft value)', () => {
    const { err, checked } = fdCheck(TINY, 'critic');
    expect(checked).toBeGreaterThan(100);
    expect(err).toBeLessThan(1e-3);
  });

  it('sampler gradient: surrogate −mean Δu·f(s, ξ) with the SVGD direction held fixed', () => {
    const { err, checked } = fdCheck(TINY, 'sampler');
    expect(checked).toBeGreaterThan(100);
    expect(err).toBeLessThan(1e-3);
  });

  it("the soft value and critic loss are exactly the paper's formulas (independent recomputation)", () => {
    const a = createSqlAgent({ ...TINY, gamma: 0.9 });
    const m = 5,
      O = 3,
      A = 2,
      M = 6,
      alpha = 0.5;
    for (let i = 0; i < 2; i++) a.update(randomBatch(m, O, A, 40 + i));
    const b = randomBatch(m, O, A, 7);
    const { qLoss } = a.internals.lossesAndGrads(b, 'critic', false);
    // the uniform samples it drew are still in the target network's input rows
    const { q, qt } = a.internals;
    const f = () => a.kernels.f32;
    const xt = qt.input(m * M);
    const props = Float32Array.from(f().subarray(xt, xt + m * M * (O + A)));
    const qOf = (net: typeof q, row: ArrayLike<number>) => {
      const x = net.input(1);
      for (let j = 0; j < O + A; j++) f()[x + j] = row[j]!;
      return f()[net.forward(1)]!;
    };
    let ref = 0;
    for (let i = 0; i < m; i++) {
      // V = α log (1/M Σ_j exp(Q̄/α) / q(a_j)), q = 2^−A: computed naively (no log-sum-exp)
      let sum = 0;
      for (let j = 0; j < M; j++) {
        const row = props.subarray((i * M + j) * (O + A), (i * M + j + 1) * (O + A));
        for (let d = 0; d < O; d++) expect(row[d]).toBe(b.nextObs[i * O + d]);
        for (let d = 0; d < A; d++) expect(Math.abs(row[O + d]!)).toBeLessThanOrEqual(1);
        sum += Math.exp(qOf(qt, row) / alpha) / 2 ** -A;
      }
      const V = alpha * Math.log(sum / M);
      const y = b.rewards[i]! + 0.9 * (1 - b.dones[i]!) * V;
      const row = [...b.obs.subarray(i * O, i * O + O), ...b.actions.subarray(i * A, i * A + A)];
      ref += 0.5 * (qOf(q, row) - y) ** 2;
    }
    expect(qLoss).toBeCloseTo(ref / m, 5);
  });

  it('the SVGD direction matches an independent computation (finite-difference ∇ log p_u, RBF kernel, median bandwidth)', () => {
    const cfg = { ...TINY, batchSize: 2 };
    const a = createSqlAgent(cfg);
    const m = 2,
      O = 3,
      A = 2,
      K = 5,
      alpha = 0.5;
    for (let i = 0; i < 3; i++) a.update(randomBatch(m, O, A, 60 + i));
    const b = randomBatch(m, O, A, 9);
    a.internals.lossesAndGrads(b, 'sampler', false);
    const { du, u, bandwidth } = a.internals.lastSvgd();
    const U = Float64Array.from(u),
      DU = Float64Array.from(du);
    // log p_u(u) = Q(s, tanh u)/α + Σ log(1 − tanh² u)
    const logp = (s: Float32Array, uu: number[]) => {
      const act = Float32Array.from(uu.map(Math.tanh));
      return a.qValues(s, act, 1)[0]! / alpha + uu.reduce((acc, x) => acc + Math.log(1 - Math.tanh(x) ** 2), 0);
    };
    for (let i = 0; i < m; i++) {
      const s = b.obs.subarray(i * O, i * O + O);
      const P = Array.from({ length: K }, (_, k) => [U[(i * K + k) * A]!, U[(i * K + k) * A + 1]!]);
      const d2 = (x: number[], y: number[]) => x.reduce((acc, v, j) => acc + (v - y[j]!) ** 2, 0);
      const pairs: number[] = [];
      for (let x = 0; x < K; x++) for (let y = x + 1; y < K; y++) pairs.push(d2(P[x]!, P[y]!));
      pairs.sort((p, q) => p - q);
      const med = pairs.length % 2 ? pairs[(pairs.length - 1) / 2]! : (pairs[pairs.length / 2 - 1]! + pairs[pairs.length / 2]!) / 2;
      const h = med / Math.log(K + 1);
      expect(bandwidth[i]).toBeCloseTo(h, 6);
      const kappa = (x: number[], y: number[]) => Math.exp(-d2(x, y) / h);
      const eps = 1e-3;
      const grad = P.map((p) =>
        p.map((_, j) => {
          const hi = [...p],
            lo = [...p];
          hi[j]! += eps;
          lo[j]! -= eps;
          return (logp(s, hi) - logp(s, lo)) / (2 * eps);
        }),
      );
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < A; j++) {
          let acc = 0;
          for (let k = 0; k < K; k++) {
            // ∇_{u_k} κ(u_k, u_c) by finite differences too
            const hi = [...P[k]!],
              lo = [...P[k]!];
            hi[j]! += eps;
            lo[j]! -= eps;
            acc += kappa(P[k]!, P[c]!) * grad[k]![j]! + (kappa(hi, P[c]!) - kappa(lo, P[c]!)) / (2 * eps);
          }
          expect(DU[(i * K + c) * A + j]).toBeCloseTo(acc / K, 2);
        }
      }
    }
  });
});

describe('SQL state and contract', () => {
  it('save → encode → decode → load → continue is bit-identical', () => {
    const cfg: SqlConfig = {
      obsDim: 4,
      actDim: 3,
      hidden: [16, 16],
      batchSize: 8,
      seed: 9,
      initAlpha: 0.3,
      valueParticles: 4,
      svgdParticles: 4,
    };
    const a = createSqlAgent(cfg);
    for (let i = 0; i < 5; i++) a.update(randomBatch(8, 4, 3, i));
    a.act(new Float32Array(4));
    const bytes = encodeCheckpoint(a.save());
    const b = createSqlAgent({ ...cfg, seed: 1234, initAlpha: 2 });
    b.load(decodeCheckpoint(bytes));
    expect(b.updates).toBe(5);
    expect(b.alpha).toBe(a.alpha);
    for (let i = 0; i < 3; i++) {
      const batch = randomBatch(8, 4, 3, 100 + i);
      expect(b.update(batch)).toEqual(a.update(batch));
    }
    const sa = a.save(),
      sb = b.save();
    expect(Object.keys(sa.tensors)).toContain('sampler.adam_v.0.weight');
    expect(Object.keys(sa.tensors)).toContain('q_target.1.bias');
    for (const name of Object.keys(sa.tensors)) expect(sb.tensors[name], name).toEqual(sa.tensors[name]);
    expect(sb.meta.extra).toEqual(sa.meta.extra);
    const o = new Float32Array([0.1, -0.2, 0.3, 0.4]);
    expect(Array.from(b.act(o))).toEqual(Array.from(a.act(o)));
  });

  it('load rejects mismatched checkpoints with a clear error', async () => {
    const a = createSqlAgent(TINY);
    const c = a.save();
    expect(() => createSqlAgent({ ...TINY, obsDim: 4 }).load(c)).toThrow(/obsDim mismatch/);
    expect(() => createSqlAgent({ ...TINY, hidden: [8] }).load(c)).toThrow(/hidden mismatch/);
    const sac = await createAgent({ algo: 'sac', obsDim: 3, actDim: 2, hidden: [8, 8] });
    expect(() => a.load(sac.save())).toThrow(/algo mismatch: checkpoint is 'sac', agent is 'sql'/);
    expect(() => sac.load(c)).toThrow(/algo mismatch/);
    const missing = { ...c, tensors: { ...c.tensors } };
    delete missing.tensors['q.adam_m.0.weight'];
    expect(() => a.load(missing)).toThrow(/missing tensor 'q.adam_m.0.weight'/);
  });

  it('a fine-tune that restarts α (the log_alpha tensor edited, as train-loop does) trains with the new α', () => {
    const a = createSqlAgent({ ...TINY, initAlpha: 1.5 });
    const c = a.save();
    expect(c.meta.extra['alpha']).toBe(1.5);
    const b = createSqlAgent({ ...TINY, initAlpha: 0.1 });
    b.load({ ...c, tensors: { ...c.tensors, log_alpha: Float32Array.of(Math.log(0.1)) } });
    expect(b.alpha).toBeCloseTo(0.1, 6);
    // Unedited, the float64 α of extra is kept exactly.
    b.load(c);
    expect(b.alpha).toBe(1.5);
  });

  it('the Kozachenko–Leonenko constant is log V_d + γ for odd and even d', () => {
    const gamma = 0.5772156649015329;
    expect(klConst(1)).toBeCloseTo(Math.log(2) + gamma, 12); // V_1 = 2
    expect(klConst(2)).toBeCloseTo(Math.log(Math.PI) + gamma, 12);
    expect(klConst(3)).toBeCloseTo(Math.log((4 * Math.PI) / 3) + gamma, 12);
    expect(klConst(8)).toBeCloseTo(Math.log(Math.PI ** 4 / 24) + gamma, 12);
  });

  it('acting, sampling, Q values; the policy runner acts like the agent', async () => {
    const agent = await createAgent({ algo: 'sql', obsDim: 3, actDim: 2, hidden: [16, 16], batchSize: 8, seed: 2, initAlpha: 0.2 });
    expect(agent.algo).toBe('sql');
    expect(agent.alpha).toBeCloseTo(0.2, 12);
    const o = new Float32Array([0.5, -1, 2]);
    const act = agent.act(o);
    expect(act.length).toBe(2);
    expect(Math.max(...act.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(agent.actBatch(new Float32Array(12), 4).length).toBe(8);
    const samples = agent.sampleActions(o, 50);
    expect(samples.length).toBe(100);
    expect(new Set(samples).size).toBeGreaterThan(90); // noise input: distinct samples
    const qv = agent.qValues(o, samples, 50);
    expect(qv.length).toBe(50);
    expect(qv.every(Number.isFinite)).toBe(true);
    const snap = agent.exportPolicy();
    expect(snap.kind).toBe('sql-svgd');
    const runner = createPolicyRunner(snap);
    expect(runner.kind).toBe('sql-svgd');
    const det = Array.from(agent.act(o, { deterministic: true }));
    Array.from(runner.act(o, { deterministic: true })).forEach((v, i) => expect(v).toBeCloseTo(det[i]!, 5));
    expect(Array.from(runner.act(o, { temperature: 0 }))).toEqual(Array.from(runner.act(o, { deterministic: true })));
    expect(runner.sampleActions(o, 7).length).toBe(14);
    // same noise stream ⇒ same stochastic actions as an SqlAgent's sampler
    const a2 = createSqlAgent({ obsDim: 3, actDim: 2, hidden: [16, 16], seed: 2 });
    const r2 = createPolicyRunner(a2.exportPolicy(), { seed: 77 });
    expect(r2.actBatch(new Float32Array(6), 2).every((v) => Math.abs(v) <= 1)).toBe(true);
    expect(() => runner.load({ ...snap, params: new Float32Array(3) })).toThrow(/expected \d+ params/);
  });
});
