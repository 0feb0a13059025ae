// WGSL sources. Every kernel sees the same four bindings, so one bind group serves a whole
// program and each dispatch only changes its dynamic uniform offsets:
//   M  (binding 0) the arena: every tensor is a float range of one storage buffer, as on the CPU
//   P  (binding 1) this dispatch's parameters (32 words: offsets, sizes, flags, floats as bits)
//   R  (binding 2) the replay buffer (read-only; a dummy where a program has none)
//   UP (binding 3) per-update values: RNG counter, stats slot, Adam bias corrections, replay size
// Offsets and sizes are in floats; matrices are row-major, as agents/nn/kernels.ts.

import { LOG_STD_MAX, LOG_STD_MIN } from '../sac/policy.ts';

export const PARAM_WORDS = 32;
/** Indices into UP. */
export const UP_CTR = 0,
  UP_SLOT = 1,
  UP_C1 = 2,
  UP_C2 = 3,
  UP_COUNT = 4,
  /** α's own Adam bias corrections (its step count restarts when a fine-tune restarts α). */
  UP_C1A = 5,
  UP_C2A = 6;

const HEADER = /* wgsl */ `
struct Params { u: array<vec4<u32>, 8> }
@group(0) @binding(0) var<storage, read_write> M: array<f32>;
@group(0) @binding(1) var<uniform> P: Params;
@group(0) @binding(2) var<storage, read> R: array<f32>;
@group(0) @binding(3) var<uniform> UP: Params;
fn pu(i: u32) -> u32 { return P.u[i / 4u][i % 4u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }
fn uu(i: u32) -> u32 { return UP.u[i / 4u][i % 4u]; }
fn uf(i: u32) -> f32 { return bitcast<f32>(uu(i)); }
`;

/** Grid-stride 1-D kernels: a bounded dispatch covers any length. */
const ELEMENTWISE = /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let len = pu(LEN);
  for (var i = gid.x; i < len; i += nwg.x * 256u) { BODY }
}`;

function elementwise(lenIndex: number, body: string): string {
  return HEADER + ELEMENTWISE.replace('LEN', `${lenIndex}u`).replace('BODY', body);
}

/**
 * Tiled GEMM C[M×N] (+)= op(A)·op(B), 16×16 threads, each owning a T×T block of outputs
 * interleaved by 16 (coalesced stores, conflict-free shared reads); tiles of 16T × 16T × 16.
 * Tile loads map the stored matrix's contiguous dimension to consecutive threads.
 * Flags: 1 add bias[N] · 2 ReLU · 4 accumulate into C · 8 zero where mask (same layout as C) <= 0
 *        · 16 an extra row of ones in op(A): its output row is the bias gradient, stored at word 3.
 * Batched over workgroup z (twin critics in one dispatch) with per-operand z-strides.
 */
export function gemmWgsl(T: 2 | 4, transA: boolean, transB: boolean): string {
  const BM = 16 * T;
  return (
    HEADER +
    /* wgsl */ `
const T = ${T}u;
const BM = ${BM}u;
const BK = 16u;
const SA = ${BM + 1}u; // row stride of the shared tiles, padded: column-wise stores hit 16 banks, not 1
var<workgroup> As: array<f32, ${(BM + 1) * 16}>;
var<workgroup> Bs: array<f32, ${(BM + 1) * 16}>;
@compute @workgroup_size(16, 16, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let z = wid.z;
  let aO = pu(0u) + z * pu(12u);
  let bO = pu(1u) + z * pu(13u);
  let cO = pu(2u) + z * pu(14u);
  let biasO = pu(3u) + z * pu(15u);
  let maskO = pu(4u) + z * pu(16u);
  let Mm = pu(5u);
  let N = pu(6u);
  let K = pu(7u);
  let lda = pu(8u);
  let ldb = pu(9u);
  let ldc = pu(10u);
  let flags = pu(11u);
  let Mr = select(Mm, Mm + 1u, (flags & 16u) != 0u);
  let r0 = wid.y * BM;
  let c0 = wid.x * BM;
  var acc: array<f32, ${T * T}>;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var t = 0u; t < T; t++) {
      let e = li + t * 256u;
      ${transA ? 'let i = e % BM; let p = e / BM;' : 'let p = e % BK; let i = e / BK;'}
      let gi = r0 + i;
      let gp = k0 + p;
      var v = 0.0;
      if (gi < Mr && gp < K) {
        if (gi == Mm) { v = 1.0; } else { v = M[aO + ${transA ? 'gp * lda + gi' : 'gi * lda + gp'}]; }
      }
      As[p * SA + i] = v;
      ${transB ? 'let q = e % BK; let j = e / BK;' : 'let j = e % BM; let q = e / BM;'}
      let gj = c0 + j;
      let gq = k0 + q;
      var w = 0.0;
      if (gj < N && gq < K) { w = M[bO + ${transB ? 'gj * ldb + gq' : 'gq * ldb + gj'}]; }
      Bs[q * SA + j] = w;
    }
    workgroupBarrier();
    for (var p = 0u; p < BK; p++) {
      var a: array<f32, ${T}>;
      var b: array<f32, ${T}>;
      for (var i = 0u; i < T; i++) {
        a[i] = As[p * SA + lid.y + i * 16u];
        b[i] = Bs[p * SA + lid.x + i * 16u];
      }
      for (var i = 0u; i < T; i++) {
        for (var j = 0u; j < T; j++) { acc[i * T + j] = fma(a[i], b[j], acc[i * T + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < T; i++) {
    let gi = r0 + lid.y + i * 16u;
    if (gi >= Mr) { continue; }
    for (var j = 0u; j < T; j++) {
      let gj = c0 + lid.x + j * 16u;
      if (gj >= N) { continue; }
      var v = acc[i * T + j];
      if (gi == Mm) {
        let o = biasO + gj;
        if ((flags & 4u) != 0u) { v += M[o]; }
        M[o] = v;
        continue;
      }
      let o = cO + gi * ldc + gj;
      if ((flags & 1u) != 0u) { v += M[biasO + gj]; }
      if ((flags & 2u) != 0u) { v = select(0.0, v, v > 0.0); }
      if ((flags & 4u) != 0u) { v += M[o]; }
      if ((flags & 8u) != 0u) { if (!(M[maskO + gi * ldc + gj] > 0.0)) { v = 0.0; } }
      M[o] = v;
    }
  }
}`
  );
}

/**
 * The same contract as gemmWgsl without shared memory or barriers: one thread per output. Software
 * rasterisers run workgroup barriers as fibre switches (~4 ms per tiled dispatch on SwiftShader),
 * so this is what they get; real GPUs get the tiled kernel.
 */
export function gemmSimpleWgsl(transA: boolean, transB: boolean): string {
  return (
    HEADER +
    /* wgsl */ `
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let z = gid.z;
  let N = pu(6u);
  let Mm = pu(5u);
  let K = pu(7u);
  let flags = pu(11u);
  let Mr = select(Mm, Mm + 1u, (flags & 16u) != 0u);
  let gj = gid.x;
  let gi = gid.y;
  if (gj >= N || gi >= Mr) { return; }
  let aO = pu(0u) + z * pu(12u);
  let bO = pu(1u) + z * pu(13u);
  let lda = pu(8u);
  let ldb = pu(9u);
  var v = 0.0;
  for (var p = 0u; p < K; p++) {
    let a = select(M[aO + ${transA ? 'p * lda + gi' : 'gi * lda + p'}], 1.0, gi == Mm);
    v = fma(a, M[bO + ${transB ? 'gj * ldb + p' : 'p * ldb + gj'}], v);
  }
  if (gi == Mm) {
    let o = pu(3u) + z * pu(15u) + gj;
    if ((flags & 4u) != 0u) { v += M[o]; }
    M[o] = v;
    return;
  }
  let o = pu(2u) + z * pu(14u) + gi * pu(10u) + gj;
  if ((flags & 1u) != 0u) { v += M[pu(3u) + z * pu(15u) + gj]; }
  if ((flags & 2u) != 0u) { v = select(0.0, v, v > 0.0); }
  if ((flags & 4u) != 0u) { v += M[o]; }
  if ((flags & 8u) != 0u) { if (!(M[pu(4u) + z * pu(16u) + gi * pu(10u) + gj] > 0.0)) { v = 0.0; } }
  M[o] = v;
}`
  );
}

export const RELU_MASK = elementwise(2, 'if (!(M[pu(1u) + i] > 0.0)) { M[pu(0u) + i] = 0.0; }');

// p, g, m, v, len; lr, b1, b2, eps, 1-b1, 1-b2 (computed in float64 on the CPU); c1, c2 from UP.
export const ADAM = elementwise(
  4,
  `let g = M[pu(1u) + i];
  let m = pf(6u) * M[pu(2u) + i] + pf(9u) * g;
  let v = pf(7u) * M[pu(3u) + i] + pf(10u) * g * g;
  M[pu(2u) + i] = m;
  M[pu(3u) + i] = v;
  M[pu(0u) + i] -= pf(5u) * (m * uf(${UP_C1}u)) / (sqrt(v * uf(${UP_C2}u)) + pf(8u));`,
);

// target, src, len; tau, 1-tau
export const POLYAK = elementwise(2, 'M[pu(0u) + i] = pf(4u) * M[pu(0u) + i] + pf(3u) * M[pu(1u) + i];');

// dst, src, len
export const COPY = elementwise(2, 'M[pu(0u) + i] = M[pu(1u) + i];');

// dy, db, m, n, accumulate: one thread per column (only the standalone kernel; the SAC program
// fuses the bias gradient into gemmTN as a row of ones).
export const BIAS_GRAD = elementwise(
  3,
  `var s = 0.0;
  let m = pu(2u);
  for (var r = 0u; r < m; r++) { s += M[pu(0u) + r * pu(3u) + i]; }
  if (pu(4u) != 0u) { s += M[pu(1u) + i]; }
  M[pu(1u) + i] = s;`,
);

/** Counter-based RNG (PCG hash chain: a bijection in idx for fixed seed/counter/stream). */
const RNG = /* wgsl */ `
fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}
fn rnd(seed: u32, ctr: u32, idx: u32, stream: u32) -> u32 {
  return pcg(seed ^ pcg(ctr ^ pcg(stream ^ pcg(idx))));
}
fn uni(h: u32) -> f32 { return f32(h >> 8u) * (1.0 / 16777216.0); }
fn normal(seed: u32, ctr: u32, idx: u32, stream: u32) -> f32 {
  let u1 = 1.0 - uni(rnd(seed, ctr, idx, 2u * stream));
  let u2 = uni(rnd(seed, ctr, idx, 2u * stream + 1u));
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
`;

/** TS twin of the WGSL RNG, for tests that check which rows the GPU sampled. */
export function pcgHash(v: number): number {
  const s = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const w = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  return ((w >>> 22) ^ w) >>> 0;
}
export function rndHash(seed: number, ctr: number, idx: number, stream: number): number {
  return pcgHash((seed ^ pcgHash((ctr ^ pcgHash((stream ^ pcgHash(idx)) >>> 0)) >>> 0)) >>> 0);
}
export const GATHER_STREAM = 7;

// Numerically safe forms: tanh via exp(-2|x|) never overflows to NaN (some drivers' builtin does);
// log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)) as in policy.ts.
const HEAD_MATH = /* wgsl */ `
const LMIN = ${LOG_STD_MIN.toFixed(1)};
const HALF = ${(0.5 * (LOG_STD_MAX - LOG_STD_MIN)).toFixed(1)};
const HALF_LOG_2PI = ${(0.5 * Math.log(2 * Math.PI)).toPrecision(9)};
const LN2 = 0.6931471805599453;
fn tanh_(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  let t = (1.0 - e) / (1.0 + e);
  return select(-t, t, x >= 0.0);
}
fn softplus(x: f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
fn l1mt2(u: f32) -> f32 { return 2.0 * (LN2 - u - softplus(-2.0 * u)); }
`;

// Samples a batch from the replay ring: words xq, xt, rew, done, m, O, A, seed. Row layout in R:
// [obs O | act A | reward | nextObs O | done]. Writes [obs | act] into xq and nextObs into xt's
// first O columns (the head writes a' after them).
export const GATHER =
  HEADER +
  RNG +
  /* wgsl */ `
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let m = pu(4u);
  let O = pu(5u);
  let A = pu(6u);
  let S = 2u * O + A + 2u;
  let W = O + A;
  for (var e = gid.x; e < m * S; e += nwg.x * 256u) {
    let r = e / S;
    let c = e % S;
    let src = (rnd(pu(7u), uu(${UP_CTR}u), r, ${GATHER_STREAM}u) % uu(${UP_COUNT}u)) * S;
    let v = R[src + c];
    if (c < W) { M[pu(0u) + r * W + c] = v; }
    else if (c == W) { M[pu(2u) + r] = v; }
    else if (c < W + 1u + O) { M[pu(1u) + r * W + c - W - 1u] = v; }
    else { M[pu(3u) + r] = v; }
  }
}`;

// Tanh-Gaussian sample per row: words out, x, eps, u, logp, m, A, ldx, O, flags (1: draw ε from
// the RNG, else read it), seed, stream. Writes a = tanh(mu + σε) into x[:, O:O+A] and log π(a|s).
export const HEAD_SAMPLE =
  HEADER +
  RNG +
  HEAD_MATH +
  /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= pu(5u)) { return; }
  let A = pu(6u);
  let out = pu(0u) + i * 2u * A;
  var lp = 0.0;
  for (var j = 0u; j < A; j++) {
    let logStd = LMIN + HALF * (tanh_(M[out + A + j]) + 1.0);
    let k = i * A + j;
    var e: f32;
    if ((pu(9u) & 1u) != 0u) {
      e = normal(pu(10u), uu(${UP_CTR}u), k, pu(11u));
      M[pu(2u) + k] = e;
    } else {
      e = M[pu(2u) + k];
    }
    let u = M[out + j] + exp(logStd) * e;
    M[pu(3u) + k] = u;
    M[pu(1u) + i * pu(7u) + pu(8u) + j] = tanh_(u);
    lp += -l1mt2(u) - 0.5 * e * e - logStd - HALF_LOG_2PI;
  }
  M[pu(4u) + i] = lp;
}`;

// Critic targets and dJ_Q/dQ per row: words o1t, o2t, logpT, rew, done, o1, o2, d1, d2, rowLoss,
// rowQ, m, alphaOff; floats gamma (13), 1/m (14).
export const CRITIC_LOSS =
  HEADER +
  /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= pu(11u)) { return; }
  let alpha = exp(M[pu(12u)]);
  let y = M[pu(3u) + i] + pf(13u) * (1.0 - M[pu(4u) + i]) * (min(M[pu(0u) + i], M[pu(1u) + i]) - alpha * M[pu(2u) + i]);
  let q1 = M[pu(5u) + i];
  let q2 = M[pu(6u) + i];
  let e1 = q1 - y;
  let e2 = q2 - y;
  M[pu(7u) + i] = e1 * pf(14u);
  M[pu(8u) + i] = e2 * pf(14u);
  M[pu(9u) + i] = 0.5 * (e1 * e1 + e2 * e2);
  M[pu(10u) + i] = min(q1, q2);
}`;

// Actor loss per row, −min Q routed to the smaller critic (ties to Q1, as sac.ts): words o1, o2,
// logp, d1, d2, rowPi, m, alphaOff; float 1/m (8).
export const ACTOR_LOSS =
  HEADER +
  /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= pu(6u)) { return; }
  let alpha = exp(M[pu(7u)]);
  let a1 = M[pu(0u) + i];
  let a2 = M[pu(1u) + i];
  let first = a1 <= a2;
  M[pu(5u) + i] = alpha * M[pu(2u) + i] - select(a2, a1, first);
  M[pu(3u) + i] = select(0.0, -pf(8u), first);
  M[pu(4u) + i] = select(-pf(8u), 0.0, first);
}`;

// dJ/d(head output) of the Gaussian head (policy.ts backward, K = 1): words out, eps, u, g1, g2,
// dOut, m, A, ldx, O, alphaOff; float 1/m (11). dJ/da = g1 + g2 (critics' input gradients).
export const HEAD_BACKWARD =
  HEADER +
  HEAD_MATH +
  /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= pu(6u)) { return; }
  let A = pu(7u);
  let w = exp(M[pu(10u)]) * pf(11u);
  let out = pu(0u) + i * 2u * A;
  let dout = pu(5u) + i * 2u * A;
  for (var j = 0u; j < A; j++) {
    let th = tanh_(M[out + A + j]);
    let sigma = exp(LMIN + HALF * (th + 1.0));
    let k = i * A + j;
    let e = M[pu(1u) + k];
    let a = tanh_(M[pu(2u) + k]);
    let g = i * pu(8u) + pu(9u) + j;
    let dU = (M[pu(3u) + g] + M[pu(4u) + g]) * (1.0 - a * a);
    M[dout + j] = w * 2.0 * a + dU;
    let dLogStd = w * (-1.0 + 2.0 * a * sigma * e) + dU * sigma * e;
    M[dout + A + j] = dLogStd * HALF * (1.0 - th * th);
  }
}`;

// One workgroup: batch means (q loss, Q, policy loss, log π), the α loss and its Adam step, and
// the update's metrics into stats[slot]. Words rowLoss, rowQ, rowPi, logp, m, alphaOff, stats,
// autoAlpha; floats targetEntropy (8), lr (9), b1, b2, eps, 1-b1, 1-b2 (14), 1/m (15).
export const ALPHA_STATS =
  HEADER +
  /* wgsl */ `
var<workgroup> red: array<vec4<f32>, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  let m = pu(4u);
  var s = vec4<f32>(0.0);
  for (var i = t; i < m; i += 256u) {
    s += vec4<f32>(M[pu(0u) + i], M[pu(1u) + i], M[pu(2u) + i], M[pu(3u) + i]);
  }
  red[t] = s;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w = w / 2u) {
    if (t < w) { red[t] += red[t + w]; }
    workgroupBarrier();
  }
  if (t != 0u) { return; }
  let inv = pf(15u);
  let sum = red[0];
  let meanLogp = sum.w * inv;
  let a = pu(5u);
  let logA = M[a];
  let alphaLoss = -logA * (meanLogp + pf(8u));
  if (pu(7u) != 0u) {
    let g = -(meanLogp + pf(8u));
    M[a + 1u] = g;
    let mm = pf(10u) * M[a + 2u] + pf(13u) * g;
    let vv = pf(11u) * M[a + 3u] + pf(14u) * g * g;
    M[a + 2u] = mm;
    M[a + 3u] = vv;
    M[a] = logA - pf(9u) * (mm * uf(${UP_C1A}u)) / (sqrt(vv * uf(${UP_C2A}u)) + pf(12u));
  }
  let st = pu(6u) + uu(${UP_SLOT}u) * 8u;
  M[st] = sum.x * inv;
  M[st + 1u] = sum.z * inv;
  M[st + 2u] = exp(M[a]);
  M[st + 3u] = alphaLoss;
  M[st + 4u] = -meanLogp;
  M[st + 5u] = sum.y * inv;
}`;
