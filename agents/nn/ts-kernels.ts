// Plain-TypeScript kernels: the test oracle for the WASM SIMD kernels and the fallback backend.
// Loops are ordered for unit-stride inner loops over float32 rows, unrolled by 4 over the
// reduction so each output row is loaded/stored once per 4 multiply-adds. ReLU outputs are
// ~50% zeros, so the forward and weight-gradient kernels gather the non-zero inputs first and
// skip the rest. Nothing allocates per call (the gather scratch grows only when k or m grows).

import type { Kernels } from './kernels.ts';

export function createTsKernels(initialFloats = 1 << 16): Kernels {
  let f32 = new Float32Array(Math.max(16, initialFloats));
  let used = 0;
  let idx = new Int32Array(1024); // gather scratch for non-zero indices

  function ensureIdx(n: number): Int32Array {
    if (idx.length < n) idx = new Int32Array(Math.max(n, idx.length * 2));
    return idx;
  }

  const k: Kernels = {
    name: 'ts',
    get f32() {
      return f32;
    },
    alloc(n: number): number {
      if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`alloc: bad size ${n}`);
      const off = used;
      const end = off + ((n + 3) & ~3); // keep every range 16-byte aligned
      if (end > f32.length) {
        let cap = f32.length;
        while (cap < end) cap *= 2;
        const next = new Float32Array(cap);
        next.set(f32.subarray(0, used));
        f32 = next;
      }
      used = end;
      return off;
    },

    linear(x, w, b, y, m, kk, n, relu) {
      const f = f32;
      const nz = ensureIdx(kk);
      for (let i = 0; i < m; i++) {
        const yi = y + i * n;
        const xi = x + i * kk;
        for (let j = 0; j < n; j++) f[yi + j] = f[b + j];
        // gather the non-zero inputs of this row (ReLU activations are sparse)
        let cnt = 0;
        for (let p = 0; p < kk; p++) if (f[xi + p] !== 0) nz[cnt++] = p;
        let q = 0;
        for (; q + 3 < cnt; q += 4) {
          const p0 = nz[q]!, p1 = nz[q + 1]!, p2 = nz[q + 2]!, p3 = nz[q + 3]!;
          const x0 = f[xi + p0]!, x1 = f[xi + p1]!, x2 = f[xi + p2]!, x3 = f[xi + p3]!;
          const w0 = w + p0 * n, w1 = w + p1 * n, w2 = w + p2 * n, w3 = w + p3 * n;
          for (let j = 0; j < n; j++) {
            f[yi + j] += x0 * f[w0 + j]! + x1 * f[w1 + j]! + x2 * f[w2 + j]! + x3 * f[w3 + j]!;
          }
        }
        for (; q < cnt; q++) {
          const p0 = nz[q]!;
          const x0 = f[xi + p0]!;
          const w0 = w + p0 * n;
          for (let j = 0; j < n; j++) f[yi + j] += x0 * f[w0 + j]!;
        }
        if (relu) for (let j = 0; j < n; j++) if (!(f[yi + j]! > 0)) f[yi + j] = 0;
      }
    },

    gemmNT(dy, w, dx, m, n, kk, accumulate) {
      // dX[i,p] = Σ_j dY[i,j] W[p,j]: dot products of unit-stride rows, 4 outputs at a time.
      const f = f32;
      for (let i = 0; i < m; i++) {
        const di = dy + i * n;
        const xi = dx + i * kk;
        let p = 0;
        for (; p + 3 < kk; p += 4) {
          const w0 = w + p * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let j = 0; j < n; j++) {
            const d = f[di + j]!;
            s0 += d * f[w0 + j]!;
            s1 += d * f[w1 + j]!;
            s2 += d * f[w2 + j]!;
            s3 += d * f[w3 + j]!;
          }
          if (accumulate) {
            f[xi + p] += s0; f[xi + p + 1] += s1; f[xi + p + 2] += s2; f[xi + p + 3] += s3;
          } else {
            f[xi + p] = s0; f[xi + p + 1] = s1; f[xi + p + 2] = s2; f[xi + p + 3] = s3;
          }
        }
        for (; p < kk; p++) {
          const w0 = w + p * n;
          let s0 = 0;
          for (let j = 0; j < n; j++) s0 += f[di + j]! * f[w0 + j]!;
          if (accumulate) f[xi + p] += s0;
          else f[xi + p] = s0;
        }
      }
    },

    gemmTN(x, dy, dw, m, kk, n, accumulate) {
      // dW[p,:] += Σ_i X[i,p] dY[i,:]: the dW row stays hot while dY rows stream; zero X skipped.
      const f = f32;
      const nz = ensureIdx(m);
      for (let p = 0; p < kk; p++) {
        const wp = dw + p * n;
        if (!accumulate) for (let j = 0; j < n; j++) f[wp + j] = 0;
        let cnt = 0;
        for (let i = 0; i < m; i++) if (f[x + i * kk + p] !== 0) nz[cnt++] = i;
        let q = 0;
        for (; q + 3 < cnt; q += 4) {
          const i0 = nz[q]!, i1 = nz[q + 1]!, i2 = nz[q + 2]!, i3 = nz[q + 3]!;
          const x0 = f[x + i0 * kk + p]!, x1 = f[x + i1 * kk + p]!, x2 = f[x + i2 * kk + p]!, x3 = f[x + i3 * kk + p]!;
          const d0 = dy + i0 * n, d1 = dy + i1 * n, d2 = dy + i2 * n, d3 = dy + i3 * n;
          for (let j = 0; j < n; j++) {
            f[wp + j] += x0 * f[d0 + j]! + x1 * f[d1 + j]! + x2 * f[d2 + j]! + x3 * f[d3 + j]!;
          }
        }
        for (; q < cnt; q++) {
          const i0 = nz[q]!;
          const x0 = f[x + i0 * kk + p]!;
          const d0 = dy + i0 * n;
          for (let j = 0; j < n; j++) f[wp + j] += x0 * f[d0 + j]!;
        }
      }
    },

    biasGrad(dy, db, m, n, accumulate) {
      const f = f32;
      if (!accumulate) for (let j = 0; j < n; j++) f[db + j] = 0;
      for (let i = 0; i < m; i++) {
        const di = dy + i * n;
        for (let j = 0; j < n; j++) f[db + j] += f[di + j]!;
      }
    },

    reluMask(dy, y, len) {
      const f = f32;
      for (let i = 0; i < len; i++) if (!(f[y + i]! > 0)) f[dy + i] = 0;
    },

    adam(p, g, m, v, len, lr, b1, b2, eps, t) {
      const f = f32;
      const c1 = 1 / (1 - Math.pow(b1, t));
      const c2 = 1 / (1 - Math.pow(b2, t));
      const ob1 = 1 - b1, ob2 = 1 - b2;
      for (let i = 0; i < len; i++) {
        const gi = f[g + i]!;
        const mi = b1 * f[m + i]! + ob1 * gi;
        const vi = b2 * f[v + i]! + ob2 * gi * gi;
        f[m + i] = mi;
        f[v + i] = vi;
        f[p + i] -= (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
      }
    },

    polyak(target, src, len, tau) {
      const f = f32;
      const keep = 1 - tau;
      for (let i = 0; i < len; i++) f[target + i] = keep * f[target + i]! + tau * f[src + i]!;
    },

    copy(dst, src, len) {
      f32.copyWithin(dst, src, src + len);
    },

    fill(dst, len, value) {
      f32.fill(value, dst, dst + len);
    },
  };
  return k;
}
