import { describe, expect, it } from 'vitest';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { mlpLayout } from '../nn/mlp.ts';
import { createRng } from '../rng.ts';
import { LOG_STD_MAX, LOG_STD_MIN, TanhPolicy, headDim, logOneMinusTanh2 } from './policy.ts';

/** A 1-D policy whose head outputs are fixed (last layer weights 0, biases = head). */
function fixedPolicy(head: number[], K: number): TanhPolicy {
  const k = createTsKernels();
  const size = mlpLayout([1, 4, headDim(1, K)]).size;
  const p = new TanhPolicy(k, 1, 1, [4], K, k.alloc(size), -1);
  const last = p.net.layout.layers[1]!;
  head.forEach((v, i) => (k.f32[p.net.params + last.b + i] = v));
  p.forward(new Float32Array([0.3]), 1);
  return p;
}
/** raw such that log σ = target under the tanh rescale. */
const rawFor = (logStd: number) => Math.atanh((2 * (logStd - LOG_STD_MIN)) / (LOG_STD_MAX - LOG_STD_MIN) - 1);

/** log π(a) at a given action, by choosing ε so that the sample lands on atanh(a). */
function logpAt(p: TanhPolicy, a: number, mu: number, sigma: number): number {
  const s = p.s(1);
  s.eps[0] = (Math.atanh(a) - mu) / sigma;
  s.comp[0] = 0;
  p.fixComponents = true;
  const out = p.evaluate(1, true);
  p.fixComponents = false;
  expect(out.a[0]).toBeCloseTo(a, 5);
  return out.logp[0]!;
}

function checkDensity(p: TanhPolicy, mu0: number, sigma0: number): void {
  // (1) the density integrates to 1 over (−1, 1) (midpoint rule in u = atanh(a) space, where the
  //     density of u is π(a)(1 − a²), which avoids the integrable spikes at ±1)
  let total = 0;
  const du = 1e-3;
  for (let u = -12; u < 12; u += du) {
    const a = Math.tanh(u + du / 2);
    if (Math.abs(a) >= 1 - 1e-6) continue;
    total += Math.exp(logpAt(p, a, mu0, sigma0)) * (1 - a * a) * du;
  }
  expect(total).toBeGreaterThan(0.995);
  expect(total).toBeLessThan(1.005);
  // (2) a histogram of sampled actions matches the density at bin centres
  const rng = createRng(5);
  const n = 100_000,
    bins = 20;
  const hist = new Float64Array(bins);
  const s = p.s(1);
  for (let i = 0; i < n; i++) {
    p.drawNoise(1, rng);
    const a = p.evaluate(1, false).a[0]!;
    hist[Math.min(bins - 1, Math.floor(((a + 1) / 2) * bins))]++;
  }
  void s;
  for (let bIdx = 2; bIdx < bins - 2; bIdx++) {
    const lo = -1 + (2 * bIdx) / bins,
      hi = lo + 2 / bins;
    // exact bin mass from the density (fine midpoint rule inside the bin)
    let mass = 0;
    const steps = 200;
    for (let j = 0; j < steps; j++) {
      const a = lo + ((j + 0.5) / steps) * (hi - lo);
      mass += Math.exp(logpAt(p, a, mu0, sigma0)) * ((hi - lo) / steps);
    }
    const freq = hist[bIdx]! / n;
    expect(Math.abs(freq - mass)).toBeLessThan(4 * Math.sqrt(mass / n) + 1e-3);
  }
}

describe('tanh-squashed policy log-prob', () => {
  it('log(1 − tanh²u) stable form matches the naive one and stays finite', () => {
    for (const u of [-5, -1, -0.1, 0, 0.3, 2, 6]) expect(logOneMinusTanh2(u)).toBeCloseTo(Math.log(1 - Math.tanh(u) ** 2), 9);
    expect(Number.isFinite(logOneMinusTanh2(400))).toBe(true);
    expect(logOneMinusTanh2(400)).toBeCloseTo(2 * (Math.LN2 - 400), 6);
  });

  it('Gaussian head: log π integrates to 1 and matches the sampled histogram', () => {
    const mu = 0.4,
      logStd = Math.log(0.7);
    const p = fixedPolicy([mu, rawFor(logStd)], 1);
    checkDensity(p, mu, Math.exp(logStd));
  });

  it('mixture head: log π (log-sum-exp over components) integrates to 1 and matches samples', () => {
    // logits, then (mu, raw) per component
    const comps = [
      [-1.2, Math.log(0.3)],
      [0.2, Math.log(0.5)],
      [1.5, Math.log(0.4)],
    ];
    const head = [0.5, -0.3, 0.1, ...comps.flatMap(([m, ls]) => [m!, rawFor(ls!)])];
    const p = fixedPolicy(head, 3);
    checkDensity(p, comps[0]![0]!, Math.exp(comps[0]![1]!));
  });
});
