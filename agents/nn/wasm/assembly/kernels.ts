// WebAssembly SIMD (f32x4) kernels for agents/nn (AssemblyScript; built by ../build.mjs).
// Arguments are float offsets into linear memory (the JS arena's Float32Array is this memory),
// matrices row-major, matching agents/nn/kernels.ts.
//
// All three products run through one sparse-aware kernel, spmm: C[r,:] = init + Σ_p A[r,p]·B[p,:].
// Rows of A are taken in pairs. For each pair, the indices p where either row is non-zero are
// gathered into a list (byte offset of B row p, both values); the list is then walked once per
// 16-column block with 2×4 f32x4 accumulators, so each B vector loaded feeds two rows.
// Why: A is a ReLU output or a ReLU-masked gradient in almost every call (~half zeros), so the
// union skips ~25% of the work, and sharing B loads between two rows lifts the kernel off the
// load-port limit (one 4-wide load per multiply-add otherwise). Measured on the 2-vCPU EPYC:
// 1.2-1.4x a dense 4×8 register tile on half-zero operands, and no slower on dense ones.
// The gather is O(rows·inner) against O(rows·inner·cols) work; the list (≤ 12·inner bytes)
// stays in L1 while B streams from L2.
//   linear: A = X,  B = W,  C = Y (bias init, optional ReLU)
//   gemmNT: A = dY, B = Wᵀ (transposed into scratch; W is small next to the batch), C = dX
//   gemmTN: A = Xᵀ (gathered with a column stride, no copy), B = dY, C = dW
// Wasm has no FMA outside relaxed-simd (not in Node 20), so products are mul then add.

// ---- scratch (fixed region at __heap_base; the JS arena starts at scratchEnd()) ----
const LIST_CAP: i32 = 1 << 18; // entries of (offset, v0, v1): 3 MiB; the largest reduction length
const T_CAP: i32 = 1 << 19; // floats for a transposed W chunk: 2 MiB

const LIST: usize = (__heap_base + 15) & ~15;
const TBUF: usize = LIST + <usize>LIST_CAP * 12;
const END: usize = TBUF + (<usize>T_CAP << 2);

/** First byte the JS bump allocator may use. */
export function scratchEnd(): usize {
  return END;
}

const MODE_ZERO: i32 = 0;
const MODE_ACC: i32 = 1;
const MODE_BIAS: i32 = 2;

// @ts-ignore: decorator
@inline function initVec(mode: i32, cp: usize, bp: usize): v128 {
  if (mode == MODE_BIAS) return v128.load(bp);
  if (mode == MODE_ACC) return v128.load(cp);
  return f32x4.splat(0);
}

// @ts-ignore: decorator
@inline function initScalar(mode: i32, cp: usize, bp: usize): f32 {
  if (mode == MODE_BIAS) return load<f32>(bp);
  if (mode == MODE_ACC) return load<f32>(cp);
  return 0;
}

// @ts-ignore: decorator
@inline function madd4(a: v128, b: v128, c: v128): v128 {
  // a·b + c: one fused instruction where the module is built with relaxed-simd (FMA on x86/ARM),
  // else mul then add. Relaxed madd may or may not round once; both stay within the 1e-4 parity.
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline function relu4(v: v128): v128 {
  // and with (v > 0): NaN and -0 become +0, exactly like the TS oracle's !(y > 0)
  return v128.and(v, f32x4.gt(v, f32x4.splat(0)));
}

/** Floats of B one pass may touch: ~192 KiB, so B stays in the 512 KiB L2 across row pairs. */
const B_BLOCK: i32 = 48 * 1024;

/**
 * C[r, 0..cols) = init + Σ_p A[r,p] B[p, 0..cols), r < rows, p < inner.
 * A element (r,p) at a + (r·aRs + p·aCs)·4; B row p at b + p·bS·4; C row r at c + r·cS·4.
 * mode: 0 zero init, 1 accumulate into C, 2 init from bias (bytes at bias).
 * Long reductions are split into blocks of B rows that fit L2 (a 512×512 W or a 1024-row dY
 * would otherwise stream from L3 once per row pair); ReLU applies after the last block.
 */
function spmm(
  a: usize, aRs: i32, aCs: i32,
  b: usize, bS: i32,
  c: usize, cS: i32,
  rows: i32, inner: i32, cols: i32,
  mode: i32, bias: usize, relu: bool,
): void {
  let kc = B_BLOCK / max(cols, 1);
  if (kc < 16) kc = 16;
  if (inner <= kc) {
    spmmBlock(a, aRs, aCs, b, bS, c, cS, rows, inner, cols, mode, bias, relu);
    return;
  }
  for (let p0 = 0; p0 < inner; p0 += kc) {
    const p1 = min(inner, p0 + kc);
    spmmBlock(
      a + ((<usize>p0 * <usize>aCs) << 2), aRs, aCs, b + ((<usize>p0 * <usize>bS) << 2), bS, c, cS,
      rows, p1 - p0, cols, p0 == 0 ? mode : MODE_ACC, bias, relu && p1 == inner,
    );
  }
}

function spmmBlock(
  a: usize, aRs: i32, aCs: i32,
  b: usize, bS: i32,
  c: usize, cS: i32,
  rows: i32, inner: i32, cols: i32,
  mode: i32, bias: usize, relu: bool,
): void {
  if (rows <= 0 || cols <= 0) return;
  if (inner > LIST_CAP) unreachable(); // the JS side rejects this first
  const bRow = <usize>bS << 2;
  const aRsB = <usize>aRs << 2;
  const aCsB = <usize>aCs << 2;
  const cRow = <usize>cS << 2;
  for (let r = 0; r < rows; r += 2) {
    const two = r + 1 < rows; // an odd last row is paired with zeros and not stored
    const c0 = c + <usize>r * cRow;
    const c1 = c0 + cRow;
    // gather: branch-free append of (B row offset, A[r,p], A[r+1,p]) where either is non-zero
    let lp = LIST;
    let ap = a + <usize>r * aRsB;
    const ap1 = two ? aRsB : 0;
    let off: usize = 0;
    for (let p = 0; p < inner; p++) {
      const v0 = load<f32>(ap);
      const v1 = two ? load<f32>(ap + ap1) : 0;
      store<i32>(lp, <i32>off);
      store<f32>(lp, v0, 4);
      store<f32>(lp, v1, 8);
      lp += select<usize>(12, 0, (v0 != 0) | (v1 != 0));
      ap += aCsB;
      off += bRow;
    }
    const le = lp;

    let j = 0;
    // 16-column blocks × 2 rows: 8 accumulators, 4 B loads per list entry
    for (; j + 16 <= cols; j += 16) {
      const jb = <usize>j << 2;
      const bj = b + jb;
      const p0 = c0 + jb, p1 = c1 + jb, pb = bias + jb;
      let x0 = initVec(mode, p0, pb);
      let x1 = initVec(mode, p0 + 16, pb + 16);
      let x2 = initVec(mode, p0 + 32, pb + 32);
      let x3 = initVec(mode, p0 + 48, pb + 48);
      let y0 = two ? initVec(mode, p1, pb) : f32x4.splat(0);
      let y1 = two ? initVec(mode, p1 + 16, pb + 16) : f32x4.splat(0);
      let y2 = two ? initVec(mode, p1 + 32, pb + 32) : f32x4.splat(0);
      let y3 = two ? initVec(mode, p1 + 48, pb + 48) : f32x4.splat(0);
      for (let q = LIST; q < le; q += 12) {
        const bp = bj + <usize>load<i32>(q);
        const u = f32x4.splat(load<f32>(q, 4));
        const v = f32x4.splat(load<f32>(q, 8));
        const w0 = v128.load(bp, 0), w1 = v128.load(bp, 16), w2 = v128.load(bp, 32), w3 = v128.load(bp, 48);
        x0 = madd4(u, w0, x0);
        x1 = madd4(u, w1, x1);
        x2 = madd4(u, w2, x2);
        x3 = madd4(u, w3, x3);
        y0 = madd4(v, w0, y0);
        y1 = madd4(v, w1, y1);
        y2 = madd4(v, w2, y2);
        y3 = madd4(v, w3, y3);
      }
      if (relu) {
        x0 = relu4(x0); x1 = relu4(x1); x2 = relu4(x2); x3 = relu4(x3);
        y0 = relu4(y0); y1 = relu4(y1); y2 = relu4(y2); y3 = relu4(y3);
      }
      v128.store(p0, x0, 0); v128.store(p0, x1, 16); v128.store(p0, x2, 32); v128.store(p0, x3, 48);
      if (two) {
        v128.store(p1, y0, 0); v128.store(p1, y1, 16); v128.store(p1, y2, 32); v128.store(p1, y3, 48);
      }
    }
    // 4-column blocks × 2 rows
    for (; j + 4 <= cols; j += 4) {
      const jb = <usize>j << 2;
      const bj = b + jb;
      const p0 = c0 + jb, p1 = c1 + jb, pb = bias + jb;
      let x0 = initVec(mode, p0, pb);
      let y0 = two ? initVec(mode, p1, pb) : f32x4.splat(0);
      for (let q = LIST; q < le; q += 12) {
        const w0 = v128.load(bj + <usize>load<i32>(q));
        x0 = madd4(f32x4.splat(load<f32>(q, 4)), w0, x0);
        y0 = madd4(f32x4.splat(load<f32>(q, 8)), w0, y0);
      }
      if (relu) {
        x0 = relu4(x0);
        y0 = relu4(y0);
      }
      v128.store(p0, x0);
      if (two) v128.store(p1, y0);
    }
    // remaining 1..3 columns (cols == 1 is the critic head): scalar
    for (; j < cols; j++) {
      const jb = <usize>j << 2;
      const bj = b + jb;
      const p0 = c0 + jb, p1 = c1 + jb, pb = bias + jb;
      let s0 = initScalar(mode, p0, pb);
      let s1: f32 = two ? initScalar(mode, p1, pb) : 0;
      for (let q = LIST; q < le; q += 12) {
        const w0 = load<f32>(bj + <usize>load<i32>(q));
        s0 += load<f32>(q, 4) * w0;
        s1 += load<f32>(q, 8) * w0;
      }
      if (relu) {
        if (!(s0 > 0)) s0 = 0;
        if (!(s1 > 0)) s1 = 0;
      }
      store<f32>(p0, s0);
      if (two) store<f32>(p1, s1);
    }
  }
}

/** Y[m×n] = X[m×k]·W[k×n] + b (+ReLU). */
export function linear(x: i32, w: i32, b: i32, y: i32, m: i32, k: i32, n: i32, relu: bool): void {
  spmm(<usize>x << 2, k, 1, <usize>w << 2, n, <usize>y << 2, n, m, k, n, MODE_BIAS, <usize>b << 2, relu);
}

/** dX[m×k] (+)= dY[m×n]·W[k×n]ᵀ, through Wᵀ chunks in scratch. */
export function gemmNT(dy: i32, w: i32, dx: i32, m: i32, n: i32, k: i32, accumulate: bool): void {
  if (m <= 0 || k <= 0) return;
  if (n <= 0) {
    if (!accumulate) fill(dx, m * k, 0);
    return;
  }
  let per = T_CAP / k; // Wᵀ rows (= columns j of W) per chunk; each is a reduction index too
  if (per > LIST_CAP) per = LIST_CAP;
  if (per < 1) unreachable();
  const wB = <usize>w << 2;
  for (let j0 = 0; j0 < n; j0 += per) {
    const j1 = min(n, j0 + per);
    transpose(wB + (<usize>j0 << 2), k, j1 - j0, n, TBUF);
    const mode = j0 == 0 && !accumulate ? MODE_ZERO : MODE_ACC;
    spmm((<usize>dy << 2) + (<usize>j0 << 2), n, 1, TBUF, k, <usize>dx << 2, k, m, j1 - j0, k, mode, 0, false);
  }
}

/** dW[k×n] (+)= X[m×k]ᵀ·dY[m×n]: A = Xᵀ read with a column stride of k. */
export function gemmTN(x: i32, dy: i32, dw: i32, m: i32, k: i32, n: i32, accumulate: bool): void {
  spmm(<usize>x << 2, 1, k, <usize>dy << 2, n, <usize>dw << 2, n, k, m, n, accumulate ? MODE_ACC : MODE_ZERO, 0, false);
}

/**
 * dst[cols×rows] = src[rows×cols]ᵀ where src rows are stride floats apart; 4×4 register blocks.
 */
function transpose(src: usize, rows: i32, cols: i32, stride: i32, dst: usize): void {
  const sRow = <usize>stride << 2;
  const dRow = <usize>rows << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const s = src + <usize>i * sRow;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const sp = s + (<usize>j << 2);
      const r0 = v128.load(sp);
      const r1 = v128.load(sp + sRow);
      const r2 = v128.load(sp + 2 * sRow);
      const r3 = v128.load(sp + 3 * sRow);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const dp = dst + <usize>j * dRow + (<usize>i << 2);
      v128.store(dp, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(dp + dRow, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(dp + 2 * dRow, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(dp + 3 * dRow, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
    for (; j < cols; j++) {
      for (let ii = 0; ii < 4; ii++) {
        store<f32>(dst + <usize>j * dRow + (<usize>(i + ii) << 2), load<f32>(s + <usize>ii * sRow + (<usize>j << 2)));
      }
    }
  }
  for (; i < rows; i++) {
    const s = src + <usize>i * sRow;
    for (let j = 0; j < cols; j++) {
      store<f32>(dst + <usize>j * dRow + (<usize>i << 2), load<f32>(s + (<usize>j << 2)));
    }
  }
}

/** db[n] (+)= column sums of dY[m×n]. */
export function biasGrad(dy: i32, db: i32, m: i32, n: i32, accumulate: bool): void {
  const dyB = <usize>dy << 2;
  const dbB = <usize>db << 2;
  const row = <usize>n << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const dp = dbB + (<usize>j << 2);
    let a0 = accumulate ? v128.load(dp, 0) : f32x4.splat(0);
    let a1 = accumulate ? v128.load(dp, 16) : f32x4.splat(0);
    let a2 = accumulate ? v128.load(dp, 32) : f32x4.splat(0);
    let a3 = accumulate ? v128.load(dp, 48) : f32x4.splat(0);
    let sp = dyB + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      a0 = f32x4.add(a0, v128.load(sp, 0));
      a1 = f32x4.add(a1, v128.load(sp, 16));
      a2 = f32x4.add(a2, v128.load(sp, 32));
      a3 = f32x4.add(a3, v128.load(sp, 48));
      sp += row;
    }
    v128.store(dp, a0, 0); v128.store(dp, a1, 16); v128.store(dp, a2, 32); v128.store(dp, a3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    const dp = dbB + (<usize>j << 2);
    let a0 = accumulate ? v128.load(dp) : f32x4.splat(0);
    let sp = dyB + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      a0 = f32x4.add(a0, v128.load(sp));
      sp += row;
    }
    v128.store(dp, a0);
  }
  for (; j < n; j++) {
    const dp = dbB + (<usize>j << 2);
    let s: f32 = accumulate ? load<f32>(dp) : 0;
    let sp = dyB + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s += load<f32>(sp);
      sp += row;
    }
    store<f32>(dp, s);
  }
}

/** dY[i] = 0 where Y[i] <= 0 (or NaN). */
export function reluMask(dy: i32, y: i32, len: i32): void {
  const d = <usize>dy << 2;
  const s = <usize>y << 2;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(d + o, v128.and(v128.load(d + o), f32x4.gt(v128.load(s + o), zero)));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    if (!(load<f32>(s + o) > 0)) store<f32>(d + o, 0);
  }
}

/**
 * Adam. The caller passes 1-b1, 1-b2 and the bias corrections c1 = 1/(1-b1^t), c2 = 1/(1-b2^t)
 * computed in double precision: 1 - f32(0.999) is off by 5e-5 relative.
 */
export function adam(
  p: i32, g: i32, m: i32, v: i32, len: i32,
  lr: f32, b1: f32, b2: f32, ob1s: f32, ob2s: f32, eps: f32, c1: f32, c2: f32,
): void {
  const pB = <usize>p << 2, gB = <usize>g << 2, mB = <usize>m << 2, vB = <usize>v << 2;
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2);
  const ob1 = f32x4.splat(ob1s), ob2 = f32x4.splat(ob2s);
  const vlr = f32x4.splat(lr), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(gB + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(mB + o)), f32x4.mul(ob1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(vB + o)), f32x4.mul(ob2, f32x4.mul(gi, gi)));
    v128.store(mB + o, mi);
    v128.store(vB + o, vi);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(mi, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(vi, vc2)), veps));
    v128.store(pB + o, f32x4.sub(v128.load(pB + o), step));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(gB + o);
    const mi = b1 * load<f32>(mB + o) + ob1s * gi;
    const vi = b2 * load<f32>(vB + o) + ob2s * gi * gi;
    store<f32>(mB + o, mi);
    store<f32>(vB + o, vi);
    store<f32>(pB + o, load<f32>(pB + o) - (lr * (mi * c1)) / (Mathf.sqrt(vi * c2) + eps));
  }
}

/** target = keep·target + tau·src, keep = 1 - tau (from the caller, in double precision). */
export function polyak(target: i32, src: i32, len: i32, tau: f32, keepS: f32): void {
  const t = <usize>target << 2, s = <usize>src << 2;
  const keep = f32x4.splat(keepS), vt = f32x4.splat(tau);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(t + o, f32x4.add(f32x4.mul(keep, v128.load(t + o)), f32x4.mul(vt, v128.load(s + o))));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    store<f32>(t + o, keepS * load<f32>(t + o) + tau * load<f32>(s + o));
  }
}

/** dst[len] = src[len] (overlap-safe). */
export function copy(dst: i32, src: i32, len: i32): void {
  if (len > 0) memory.copy(<usize>dst << 2, <usize>src << 2, <usize>len << 2);
}

/** dst[len] = value. */
export function fill(dst: i32, len: i32, value: f32): void {
  const d = <usize>dst << 2;
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(d + (<usize>i << 2), v);
  for (; i < len; i++) store<f32>(d + (<usize>i << 2), value);
}
