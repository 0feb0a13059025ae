// The WASM SIMD kernels against the TS oracle (and a float64 reference for the tolerance), on odd
// shapes, unaligned offsets and half-zero (ReLU-like) operands, plus finite-difference checks that
// linear's backward kernels really are its gradient.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { createTsKernels } from '../ts-kernels.ts';
import { createWasmKernels, enableRelaxedSimd, wasmSimdSupported } from './wasm-kernels.ts';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random values in [-1, 1), a fraction `zeros` of them exactly 0 (ReLU outputs / masked grads). */
function randArr(rnd: () => number, n: number, zeros = 0): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rnd() < zeros ? 0 : 2 * rnd() - 1;
  return a;
}

const GUARD = 7; // floats of sentinel either side of every output
const SENTINEL = 12345.5;

/** Places arrays in both arenas at the same unaligned offsets, with sentinel guards around them. */
class Pair {
  constructor(
    readonly w: Kernels,
    readonly t: Kernels,
  ) {}
  put(data: Float32Array, shift = 1): number {
    const n = data.length + 2 * GUARD + 4;
    const ow = this.w.alloc(n);
    const ot = this.t.alloc(n);
    // same relative layout in both arenas; offsets differ, so return a handle of both
    const off = GUARD + shift;
    this.w.f32.fill(SENTINEL, ow, ow + n);
    this.t.f32.fill(SENTINEL, ot, ot + n);
    this.w.f32.set(data, ow + off);
    this.t.f32.set(data, ot + off);
    this.handles.push([ow + off, ot + off, data.length]);
    return this.handles.length - 1;
  }
  handles: [number, number, number][] = [];
  wo(h: number) {
    return this.handles[h]![0];
  }
  to(h: number) {
    return this.handles[h]![1];
  }
  read(h: number): [Float32Array, Float32Array] {
    const [ow, ot, n] = this.handles[h]!;
    return [this.w.f32.slice(ow, ow + n), this.t.f32.slice(ot, ot + n)];
  }
  guardsIntact(h: number): boolean {
    const [ow, ot, n] = this.handles[h]!;
    for (const [f, o] of [
      [this.w.f32, ow],
      [this.t.f32, ot],
    ] as const) {
      for (let i = 1; i <= GUARD; i++) if (f[o - i] !== SENTINEL || f[o + n - 1 + i] !== SENTINEL) return false;
    }
    return true;
  }
}

/** |wasm - ts| <= 1e-5 · scale[i], scale = Σ|terms| of each output (float64), and vs the f64 value. */
function expectClose(w: Float32Array, t: Float32Array, exact: Float64Array, scale: Float64Array, what: string): void {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < w.length; i++) {
    const s = scale[i]! + 1e-30;
    const e = Math.max(Math.abs(w[i]! - t[i]!), Math.abs(w[i]! - exact[i]!)) / s;
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  if (!(worst <= 1e-5)) {
    throw new Error(`${what}: relative error ${worst} at ${at}: wasm ${w[at]} ts ${t[at]} exact ${exact[at]}`);
  }
}

/** float64 C = init + A·B with per-entry Σ|terms|; A(r,p) = a[r*ars + p*acs], B row-major. */
function refProduct(
  a: Float32Array,
  ars: number,
  acs: number,
  b: Float32Array,
  rows: number,
  inner: number,
  cols: number,
  init: (r: number, j: number) => number,
): [Float64Array, Float64Array] {
  const c = new Float64Array(rows * cols);
  const s = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      let acc = init(r, j);
      let abs = Math.abs(acc);
      for (let p = 0; p < inner; p++) {
        const v = a[r * ars + p * acs]! * b[p * cols + j]!;
        acc += v;
        abs += Math.abs(v);
      }
      c[r * cols + j] = acc;
      s[r * cols + j] = abs;
    }
  }
  return [c, s];
}

const SMALL = [1, 2, 3, 5, 27, 33];
const LARGE: [number, number, number][] = [
  [256, 256, 256],
  [256, 35, 256],
  [256, 256, 1],
  [256, 256, 16],
  [1, 256, 256],
  [33, 256, 5],
  [5, 33, 256],
  [7, 512, 37],
];
function shapes(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const m of SMALL) for (const k of SMALL) for (const n of SMALL) out.push([m, k, n]);
  return out.concat(LARGE);
}

// Both committed builds against the oracle: the default load (the FMA build where the engine has
// relaxed SIMD, as on Node 20 with the flag set at load) and the plain build passed as bytes.
describe.skipIf(!wasmSimdSupported()).each([['default'], ['plain']])('wasm SIMD kernels (%s build) vs TS oracle', (build) => {
  let w: Kernels;
  let t: Kernels;
  beforeAll(async () => {
    if (build === 'plain') {
      const { readFile } = await import('node:fs/promises');
      w = await createWasmKernels(1 << 16, await readFile(new URL('./kernels.wasm', import.meta.url)));
    } else w = await createWasmKernels(1 << 16);
    t = createTsKernels(1 << 16);
  });

  it('wasmSimdSupported is true on Node 20, and the default load uses the FMA build', async () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(w.name).toBe('wasm');
    if (build === 'default') expect(w.detail).toBe((await enableRelaxedSimd()) ? 'wasm-simd+fma' : 'wasm-simd');
  });

  it('linear (bias, ReLU on/off) on odd shapes and sparse inputs', () => {
    const rnd = mulberry32(1);
    for (const [m, k, n] of shapes()) {
      for (const relu of [false, true]) {
        const P = new Pair(w, t);
        const X = randArr(rnd, m * k, 0.5),
          W = randArr(rnd, k * n),
          B = randArr(rnd, n);
        const hx = P.put(X, 1),
          hw = P.put(W, 2),
          hb = P.put(B, 3),
          hy = P.put(new Float32Array(m * n), (m + n) % 4);
        w.linear(P.wo(hx), P.wo(hw), P.wo(hb), P.wo(hy), m, k, n, relu);
        t.linear(P.to(hx), P.to(hw), P.to(hb), P.to(hy), m, k, n, relu);
        const [exact, scale] = refProduct(X, k, 1, W, m, k, n, (_r, j) => B[j]!);
        if (relu) for (let i = 0; i < exact.length; i++) if (!(exact[i]! > 0)) exact[i] = 0;
        const [yw, yt] = P.read(hy);
        // a ReLU at a pre-activation within rounding of 0 may legitimately differ: compare relu'd
        expectClose(yw, yt, exact, scale, `linear m=${m} k=${k} n=${n} relu=${relu}`);
        expect(P.guardsIntact(hy)).toBe(true);
      }
    }
  });

  it('gemmNT (overwrite and accumulate)', () => {
    const rnd = mulberry32(2);
    for (const [m, n, k] of shapes()) {
      for (const acc of [false, true]) {
        const P = new Pair(w, t);
        const DY = randArr(rnd, m * n, 0.5),
          W = randArr(rnd, k * n),
          DX0 = randArr(rnd, m * k);
        const hd = P.put(DY, 3),
          hw = P.put(W, 0),
          hx = P.put(DX0, 1);
        w.gemmNT(P.wo(hd), P.wo(hw), P.wo(hx), m, n, k, acc);
        t.gemmNT(P.to(hd), P.to(hw), P.to(hx), m, n, k, acc);
        // dX = dY · Wᵀ: Wᵀ as a row-major n×k matrix
        const WT = new Float32Array(n * k);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) WT[j * k + p] = W[p * n + j]!;
        const [exact, scale] = refProduct(DY, n, 1, WT, m, n, k, (r, p) => (acc ? DX0[r * k + p]! : 0));
        const [xw, xt] = P.read(hx);
        expectClose(xw, xt, exact, scale, `gemmNT m=${m} n=${n} k=${k} acc=${acc}`);
        expect(P.guardsIntact(hx)).toBe(true);
      }
    }
  });

  it('gemmTN (overwrite and accumulate)', () => {
    const rnd = mulberry32(3);
    for (const [m, k, n] of shapes()) {
      for (const acc of [false, true]) {
        const P = new Pair(w, t);
        const X = randArr(rnd, m * k, 0.5),
          DY = randArr(rnd, m * n, 0.3),
          DW0 = randArr(rnd, k * n);
        const hx = P.put(X, 2),
          hd = P.put(DY, 1),
          hw = P.put(DW0, 3);
        w.gemmTN(P.wo(hx), P.wo(hd), P.wo(hw), m, k, n, acc);
        t.gemmTN(P.to(hx), P.to(hd), P.to(hw), m, k, n, acc);
        const [exact, scale] = refProduct(X, 1, k, DY, k, m, n, (p, j) => (acc ? DW0[p * n + j]! : 0));
        const [dw, dt] = P.read(hw);
        expectClose(dw, dt, exact, scale, `gemmTN m=${m} k=${k} n=${n} acc=${acc}`);
        expect(P.guardsIntact(hw)).toBe(true);
      }
    }
  });

  it('biasGrad, reluMask, adam, polyak, copy, fill', () => {
    const rnd = mulberry32(4);
    for (const len of [1, 2, 3, 5, 27, 33, 256, 1027]) {
      // biasGrad over a few row counts
      for (const m of [1, 3, 256]) {
        for (const acc of [false, true]) {
          const P = new Pair(w, t);
          const DY = randArr(rnd, m * len, 0.5),
            DB0 = randArr(rnd, len);
          const hd = P.put(DY, 1),
            hb = P.put(DB0, 2);
          w.biasGrad(P.wo(hd), P.wo(hb), m, len, acc);
          t.biasGrad(P.to(hd), P.to(hb), m, len, acc);
          const ones = new Float32Array(m).fill(1);
          const [exact, scale] = refProduct(ones, 0, 1, DY, 1, m, len, (_r, j) => (acc ? DB0[j]! : 0));
          const [bw, bt] = P.read(hb);
          expectClose(bw, bt, exact, scale, `biasGrad m=${m} n=${len}`);
          expect(P.guardsIntact(hb)).toBe(true);
        }
      }
      {
        const P = new Pair(w, t);
        const Y = randArr(rnd, len, 0.3);
        if (len > 3) {
          Y[0] = Number.NaN;
          Y[1] = -0;
        }
        const hy = P.put(Y, 1),
          hd = P.put(randArr(rnd, len), 2);
        w.reluMask(P.wo(hd), P.wo(hy), len);
        t.reluMask(P.to(hd), P.to(hy), len);
        const [a, b] = P.read(hd);
        expect(a).toEqual(b);
        expect(P.guardsIntact(hd)).toBe(true);
      }
      {
        const P = new Pair(w, t);
        const hp = P.put(randArr(rnd, len), 1),
          hg = P.put(randArr(rnd, len), 2);
        const hm = P.put(
            randArr(rnd, len).map((x) => x * 0.1),
            3,
          ),
          hv = P.put(
            randArr(rnd, len).map((x) => x * x * 0.01),
            0,
          );
        for (let step = 1; step <= 3; step++) {
          w.adam(P.wo(hp), P.wo(hg), P.wo(hm), P.wo(hv), len, 3e-4, 0.9, 0.999, 1e-8, step);
          t.adam(P.to(hp), P.to(hg), P.to(hm), P.to(hv), len, 3e-4, 0.9, 0.999, 1e-8, step);
        }
        // m = b1 m + (1-b1) g and p - step can cancel: measure their error against the size of the terms
        for (const [h, terms] of [
          [hp, 1e-2],
          [hm, 0.1],
          [hv, 0],
        ] as const) {
          const [a, b] = P.read(h);
          for (let i = 0; i < len; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-5 * (Math.abs(b[i]!) + terms) + 1e-12);
          expect(P.guardsIntact(h)).toBe(true);
        }
      }
      {
        const P = new Pair(w, t);
        const ht = P.put(randArr(rnd, len), 1),
          hs = P.put(randArr(rnd, len), 2);
        w.polyak(P.wo(ht), P.wo(hs), len, 0.005);
        t.polyak(P.to(ht), P.to(hs), len, 0.005);
        const [a, b] = P.read(ht);
        for (let i = 0; i < len; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-6);
        expect(P.guardsIntact(ht)).toBe(true);
      }
      {
        const P = new Pair(w, t);
        const src = randArr(rnd, len);
        const hs = P.put(src, 1),
          hd = P.put(new Float32Array(len), 2),
          hf = P.put(new Float32Array(len), 3);
        w.copy(P.wo(hd), P.wo(hs), len);
        w.fill(P.wo(hf), len, -2.5);
        expect(P.read(hd)[0]).toEqual(src);
        expect(P.read(hf)[0]).toEqual(new Float32Array(len).fill(-2.5));
        expect(P.guardsIntact(hd) && P.guardsIntact(hf)).toBe(true);
      }
    }
  });

  it('copy is overlap-safe like copyWithin', () => {
    const o = w.alloc(64);
    for (let i = 0; i < 64; i++) w.f32[o + i] = i;
    w.copy(o + 3, o, 40);
    const expected = Float32Array.from({ length: 64 }, (_, i) => i);
    expected.copyWithin(3, 0, 40);
    expect(w.f32.slice(o, o + 64)).toEqual(expected);
  });

  it('alloc grows memory, keeps data, returns zeroed 16-byte-aligned ranges', async () => {
    const k = await createWasmKernels(16);
    const a = k.alloc(5);
    expect(a % 4).toBe(0);
    k.f32.set([1, 2, 3, 4, 5], a);
    const before = k.f32.length;
    const big = k.alloc(before * 2 + 3);
    expect(k.f32.length).toBeGreaterThan(before);
    expect(big % 4).toBe(0);
    expect(Array.from(k.f32.subarray(a, a + 5))).toEqual([1, 2, 3, 4, 5]);
    expect(k.f32.subarray(big, big + before * 2 + 3).every((v) => v === 0)).toBe(true);
    expect(() => k.alloc(-1)).toThrow();
    // kernels see the grown memory
    k.fill(big + before * 2, 3, 7);
    expect(Array.from(k.f32.subarray(big + before * 2, big + before * 2 + 3))).toEqual([7, 7, 7]);
  });

  it('accepts the module bytes explicitly (bundlers, Electron)', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(new URL('./kernels.wasm', import.meta.url));
    const k = await createWasmKernels(64, bytes);
    const o = k.alloc(8);
    k.fill(o, 8, 1.5);
    expect(k.f32[o + 7]).toBe(1.5);
  });
});

describe.skipIf(!wasmSimdSupported())('finite-difference gradients through the wasm kernels', () => {
  // Two layers: h = relu(x W0 + b0), y = h W1 + b1, L = Σ G ⊙ y. Backward uses gemmTN (dW),
  // biasGrad (db), gemmNT (dh, dx) and reluMask; every parameter and input is checked by central
  // differences of L (forward in float32 via linear, L summed in float64).
  it('matches central differences for W0, b0, W1, b1 and x', async () => {
    const k = await createWasmKernels(1 << 14);
    const rnd = mulberry32(9);
    const m = 5,
      d0 = 7,
      d1 = 9,
      d2 = 6;
    const x = k.alloc(m * d0),
      w0 = k.alloc(d0 * d1),
      b0 = k.alloc(d1),
      w1 = k.alloc(d1 * d2),
      b1 = k.alloc(d2);
    const h = k.alloc(m * d1),
      y = k.alloc(m * d2),
      g = k.alloc(m * d2),
      dh = k.alloc(m * d1),
      dx = k.alloc(m * d0);
    const dw0 = k.alloc(d0 * d1),
      db0 = k.alloc(d1),
      dw1 = k.alloc(d1 * d2),
      db1 = k.alloc(d2);
    const f = k.f32;
    const fillRand = (o: number, n: number) => {
      for (let i = 0; i < n; i++) f[o + i] = 2 * rnd() - 1;
    };
    fillRand(x, m * d0);
    fillRand(w0, d0 * d1);
    fillRand(b0, d1);
    fillRand(w1, d1 * d2);
    fillRand(b1, d2);
    fillRand(g, m * d2);
    const loss = () => {
      k.linear(x, w0, b0, h, m, d0, d1, true);
      k.linear(h, w1, b1, y, m, d1, d2, false);
      let s = 0;
      for (let i = 0; i < m * d2; i++) s += f[g + i]! * f[y + i]!;
      return s;
    };
    loss();
    // backward (dL/dy = G)
    k.gemmTN(h, g, dw1, m, d1, d2, false);
    k.biasGrad(g, db1, m, d2, false);
    k.gemmNT(g, w1, dh, m, d2, d1, false);
    k.reluMask(dh, h, m * d1);
    k.gemmTN(x, dh, dw0, m, d0, d1, false);
    k.biasGrad(dh, db0, m, d1, false);
    k.gemmNT(dh, w0, dx, m, d1, d0, false);
    const grads = f.slice(); // snapshot: the FD loop rewrites activations only, but be explicit
    const eps = 1e-2;
    const pattern = () => {
      let bits = '';
      for (let i = 0; i < m * d1; i++) bits += f[h + i]! > 0 ? '1' : '0';
      return bits;
    };
    loss();
    const base = pattern();
    let checked = 0;
    let skipped = 0;
    for (const [p, gp, n] of [
      [w0, dw0, d0 * d1],
      [b0, db0, d1],
      [w1, dw1, d1 * d2],
      [b1, db1, d2],
      [x, dx, m * d0],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const keep = f[p + i]!;
        f[p + i] = keep + eps;
        const lp = loss();
        const patP = pattern();
        f[p + i] = keep - eps;
        const lm = loss();
        const patM = pattern();
        f[p + i] = keep;
        // L is piecewise linear: differences are exact unless a ReLU flips inside ±eps
        if (patP !== base || patM !== base) {
          skipped++;
          continue;
        }
        const fd = (lp - lm) / (2 * eps);
        const an = grads[gp + i]!;
        expect(Math.abs(fd - an)).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(an)));
        checked++;
      }
    }
    expect(checked + skipped).toBe(d0 * d1 + d1 + d1 * d2 + d2 + m * d0);
    expect(skipped).toBeLessThan(checked / 10);
  });
});
