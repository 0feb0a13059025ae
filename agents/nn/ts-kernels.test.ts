import { describe, expect, it } from 'vitest';
import { createTsKernels } from './ts-kernels.ts';
import { createRng } from '../rng.ts';
import type { Kernels } from './kernels.ts';

const rng = createRng(42);
function randn(k: Kernels, off: number, n: number, sparsity = 0): void {
  for (let i = 0; i < n; i++) k.f32[off + i] = rng.uniform() < sparsity ? 0 : rng.normal();
}
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

// Shapes with remainders around the 4-way unrolling.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [8, 4, 12],
  [6, 13, 9],
  [17, 33, 10],
];

describe('ts kernels', () => {
  it('alloc: zeroed, 16-byte aligned, survives growth', () => {
    const k = createTsKernels(16);
    const a = k.alloc(3);
    k.f32[a] = 1.5;
    const b = k.alloc(1000);
    expect(a % 4).toBe(0);
    expect(b % 4).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 3);
    expect(k.f32[a]).toBe(1.5);
    expect(k.f32[b + 999]).toBe(0);
  });

  it.each(SHAPES)('linear matches a float64 reference (m=%i k=%i n=%i), with and without ReLU', (m, kk, n) => {
    const k = createTsKernels();
    const x = k.alloc(m * kk),
      w = k.alloc(kk * n),
      b = k.alloc(n),
      y = k.alloc(m * n);
    randn(k, x, m * kk, 0.4); // zeros exercise the sparse gather
    randn(k, w, kk * n);
    randn(k, b, n);
    for (const relu of [false, true]) {
      k.linear(x, w, b, y, m, kk, n, relu);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = k.f32[b + j]!;
          for (let p = 0; p < kk; p++) s += k.f32[x + i * kk + p]! * k.f32[w + p * n + j]!;
          ref[i * n + j] = relu ? Math.max(0, s) : s;
        }
      expect(relErr(k.f32.subarray(y, y + m * n), ref)).toBeLessThan(1e-6);
    }
  });

  it.each(SHAPES)('gemmNT / gemmTN / biasGrad / reluMask are the gradients of linear (finite differences, m=%i k=%i n=%i)', (m, kk, n) => {
    const k = createTsKernels();
    const x = k.alloc(m * kk),
      w = k.alloc(kk * n),
      b = k.alloc(n),
      y = k.alloc(m * n);
    const g = k.alloc(m * n),
      dy = k.alloc(m * n),
      dx = k.alloc(m * kk),
      dw = k.alloc(kk * n),
      db = k.alloc(n);
    randn(k, x, m * kk);
    randn(k, w, kk * n);
    randn(k, b, n);
    randn(k, g, m * n);
    const f = k.f32;
    // L = Σ G ⊙ relu(X W + b); dL/dY = G masked by ReLU
    let mask = '';
    const pattern = () => {
      let p = '';
      for (let i = 0; i < m * n; i++) p += f[y + i]! > 0 ? '1' : '0';
      return p;
    };
    const loss = () => {
      k.linear(x, w, b, y, m, kk, n, true);
      let s = 0;
      for (let i = 0; i < m * n; i++) s += f[g + i]! * f[y + i]!;
      return s;
    };
    loss();
    mask = pattern();
    k.copy(dy, g, m * n);
    k.reluMask(dy, y, m * n);
    k.gemmNT(dy, w, dx, m, n, kk, false);
    k.gemmTN(x, dy, dw, m, kk, n, false);
    k.biasGrad(dy, db, m, n, false);
    const h = 1e-2;
    for (const [off, grad, len] of [
      [x, dx, m * kk],
      [w, dw, kk * n],
      [b, db, n],
    ] as const) {
      const fd: number[] = [],
        an: number[] = [];
      for (let i = 0; i < len; i++) {
        const v = f[off + i]!;
        f[off + i] = v + h;
        const lp = loss();
        const flipped = pattern() !== mask;
        f[off + i] = v - h;
        const lm = loss();
        f[off + i] = v;
        if (flipped || pattern() !== mask) continue; // crossed a ReLU kink: FD is not the derivative there
        fd.push((lp - lm) / (2 * h));
        an.push(f[grad + i]!);
      }
      expect(fd.length).toBeGreaterThan(len / 2);
      expect(relErr(an, fd)).toBeLessThan(2e-3);
    }
    // accumulate adds
    const before = Float64Array.from(f.subarray(dw, dw + kk * n));
    k.gemmTN(x, dy, dw, m, kk, n, true);
    for (let i = 0; i < kk * n; i++) expect(f[dw + i]).toBeCloseTo(2 * before[i]!, 4);
    const dxb = Float64Array.from(f.subarray(dx, dx + m * kk));
    k.gemmNT(dy, w, dx, m, n, kk, true);
    for (let i = 0; i < m * kk; i++) expect(f[dx + i]).toBeCloseTo(2 * dxb[i]!, 4);
    const dbb = Float64Array.from(f.subarray(db, db + n));
    k.biasGrad(dy, db, m, n, true);
    for (let i = 0; i < n; i++) expect(f[db + i]).toBeCloseTo(2 * dbb[i]!, 4);
  });

  it('adam matches the reference update, and its step follows the gradient sign', () => {
    const k = createTsKernels();
    const n = 7;
    const p = k.alloc(n),
      g = k.alloc(n),
      m = k.alloc(n),
      v = k.alloc(n);
    randn(k, p, n);
    const f = k.f32;
    const P = Float64Array.from(f.subarray(p, p + n)),
      M = new Float64Array(n),
      V = new Float64Array(n);
    for (let t = 1; t <= 3; t++) {
      randn(k, g, n);
      k.adam(p, g, m, v, n, 0.01, 0.9, 0.999, 1e-8, t);
      for (let i = 0; i < n; i++) {
        const gi = f[g + i]!;
        M[i] = 0.9 * M[i]! + 0.1 * gi;
        V[i] = 0.999 * V[i]! + 0.001 * gi * gi;
        P[i] = P[i]! - (0.01 * (M[i]! / (1 - 0.9 ** t))) / (Math.sqrt(V[i]! / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    expect(relErr(f.subarray(p, p + n), P)).toBeLessThan(1e-6);
    expect(relErr(f.subarray(m, m + n), M)).toBeLessThan(1e-6);
    expect(relErr(f.subarray(v, v + n), V)).toBeLessThan(1e-6);
  });

  it('polyak, copy, fill', () => {
    const k = createTsKernels();
    const a = k.alloc(5),
      b = k.alloc(5);
    k.fill(a, 5, 2);
    k.fill(b, 5, 4);
    k.polyak(a, b, 5, 0.25);
    expect(Array.from(k.f32.subarray(a, a + 5))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
    k.copy(b, a, 3);
    expect(Array.from(k.f32.subarray(b, b + 5))).toEqual([2.5, 2.5, 2.5, 4, 4]);
  });
});
