// Helpers every agent needs around its networks: batch checks and reused output arrays, so
// acting allocates only once per distinct size.
import type { Batch } from './agent.ts';

/** A zeroed batch of n transitions (what replay sampling, synthetic data and tests fill in). */
export function allocBatch(n: number, obsDim: number, actDim: number): Batch {
  return {
    size: n,
    obs: new Float32Array(n * obsDim),
    actions: new Float32Array(n * actDim),
    rewards: new Float32Array(n),
    nextObs: new Float32Array(n * obsDim),
    dones: new Float32Array(n),
  };
}

/** Transitions as separate arrays (a Batch, replay tensors, one vector step). */
export interface TransitionArrays {
  obs: Float32Array;
  actions: Float32Array;
  rewards: ArrayLike<number>;
  nextObs: Float32Array;
  dones: ArrayLike<number | boolean>;
}

/** Floats per packed transition row: [obs | action | reward | next obs | done]. */
export const transitionRowFloats = (obsDim: number, actDim: number): number => 2 * obsDim + actDim + 2;

/**
 * Packs transitions [from, from + n) of src into rows 0..n of dst, one row per transition in the
 * layout of transitionRowFloats (the WebGPU replay ring, the data-parallel learner's shared batch).
 */
export function packTransitionRows(
  dst: Float32Array,
  src: TransitionArrays,
  from: number,
  n: number,
  obsDim: number,
  actDim: number,
): void {
  const O = obsDim,
    A = actDim,
    S = transitionRowFloats(O, A);
  for (let e = 0; e < n; e++) {
    const i = from + e,
      r = e * S;
    dst.set(src.obs.subarray(i * O, i * O + O), r);
    dst.set(src.actions.subarray(i * A, i * A + A), r + O);
    dst[r + O + A] = src.rewards[i]! as number;
    dst.set(src.nextObs.subarray(i * O, i * O + O), r + O + A + 1);
    dst[r + S - 1] = src.dones[i] ? 1 : 0;
  }
}

/** Throws a clear error when a batch is too small for its declared size. */
export function validateBatch(b: Batch, obsDim: number, actDim: number): void {
  const m = b.size;
  if (!Number.isInteger(m) || m < 1) throw new Error(`update: batch size must be a positive integer, got ${m}`);
  if (b.obs.length < m * obsDim || b.nextObs.length < m * obsDim) throw new Error(`update: obs arrays must hold ${m}×${obsDim} floats`);
  if (b.actions.length < m * actDim) throw new Error(`update: actions must hold ${m}×${actDim} floats`);
  if (b.rewards.length < m || b.dones.length < m) throw new Error(`update: rewards/dones must hold ${m} floats`);
}

/** A Float32Array per requested length, created once and reused. */
export function outputPool(): (n: number) => Float32Array {
  const pool = new Map<number, Float32Array>();
  return (n) => {
    let o = pool.get(n);
    if (!o) pool.set(n, (o = new Float32Array(n)));
    return o;
  };
}

/** k copies of one observation in a reused array (for sampling k actions at one state). */
export function obsRepeater(obsDim: number): (obs: Float32Array, k: number) => Float32Array {
  let rep = new Float32Array(0);
  return (obs, k) => {
    if (obs.length < obsDim) throw new Error(`expected ${obsDim} observation floats, got ${obs.length}`);
    if (rep.length !== k * obsDim) rep = new Float32Array(k * obsDim);
    for (let i = 0; i < k; i++) rep.set(obs.subarray(0, obsDim), i * obsDim);
    return rep;
  };
}
