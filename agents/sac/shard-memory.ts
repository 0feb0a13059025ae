// The shared memory of the data-parallel SAC learner (parallel-sac.ts): one SharedArrayBuffer
// that the owning thread and its shard workers all map the same way. Every participant holds a
// full copy of the networks and runs the same optimiser steps on the same averaged gradients, so
// the copies stay bit-identical; only batches, gradients and (on load) the state cross threads.
//
//   ints    [HEADER]                 barrier count / generation, command, batch rows
//   batch   [maxRows × rowFloats]    obs | action | reward | next obs | done, one row per sample
//                                    (agent-buffers.ts packTransitionRows)
//   slots   [threads × slotFloats]   per participant: critic grads | actor grads; slot 0 also
//                                    receives the all-reduced average; then the scalars
//   state   [stateFloats]            actor p/m/v, critic p/m/v/target, α block (load / start)

import { packTransitionRows, transitionRowFloats, type TransitionArrays } from '../agent-buffers.ts';

export const CTL_COUNT = 0;
export const CTL_GEN = 1;
export const CTL_CMD = 2;
export const CTL_ROWS = 3;
export const CTL_UPDATES = 4;
export const CTL_ADAM_STEP = 5;
/** 1 + the index of a participant that failed (0 while all are well): barriers then throw. */
export const CTL_FAILED = 6;
export const CTL_ALPHA_STEP = 7;
const HEADER_INTS = 16;

export const CMD_UPDATE = 1;
/** Copy the state region into the worker's arena (start, load). */
export const CMD_SYNC = 2;
/** Write the update-noise RNG state into the slot's scalars (checkpoints). */
export const CMD_RNG = 3;
/** Set the update-noise RNG from the slot's scalars (load). */
export const CMD_SET_RNG = 6;
/** Write a checksum of the networks into the slot's scalars (tests: copies stay identical). */
export const CMD_CHECKSUM = 4;
export const CMD_QUIT = 5;

/** Scalars at the end of each slot. */
export const S_QLOSS = 0;
export const S_QMEAN = 1;
export const S_PLOSS = 2;
export const S_LOGP = 3;
/** The update-noise RNG state: 4 uint32 words (exact in float64). */
export const S_RNG = 4;
const SCALARS = 16;

export interface ShardDims {
  obsDim: number;
  actDim: number;
  maxRows: number;
  threads: number;
  criticSize: number;
  actorSize: number;
}

export interface ShardMemory {
  readonly dims: ShardDims;
  readonly sab: SharedArrayBuffer;
  readonly ctl: Int32Array;
  /** Float64 view for the scalars (exact RNG words, losses). */
  readonly f64: Float64Array;
  readonly batch: Float32Array;
  readonly rowFloats: number;
  /** Critic grads, actor grads of participant s. */
  criticSlot(s: number): Float32Array;
  actorSlot(s: number): Float32Array;
  /** Float64 index of participant s's first scalar. */
  scalarBase(s: number): number;
  readonly state: Float32Array;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

export function stateFloats(d: Pick<ShardDims, 'criticSize' | 'actorSize'>): number {
  return 3 * d.actorSize + 4 * d.criticSize + 4;
}

/** Maps (or, without sab, creates) the shared memory for these dimensions. */
export function mapShardMemory(dims: ShardDims, sab?: SharedArrayBuffer): ShardMemory {
  const rowFloats = transitionRowFloats(dims.obsDim, dims.actDim);
  const gradFloats = align(dims.criticSize + dims.actorSize, 4);
  const headerBytes = HEADER_INTS * 4;
  const batchBytes = align(dims.maxRows * rowFloats * 4, 16);
  const slotGradBytes = gradFloats * 4;
  const scalarsBytes = dims.threads * SCALARS * 8;
  const stateBytes = align(stateFloats(dims) * 4, 16);
  const total = headerBytes + batchBytes + dims.threads * slotGradBytes + scalarsBytes + stateBytes;
  const buf = sab ?? new SharedArrayBuffer(total);
  if (buf.byteLength !== total) throw new Error(`shard memory: expected ${total} bytes, got ${buf.byteLength}`);
  let off = 0;
  const ctl = new Int32Array(buf, off, HEADER_INTS);
  off += headerBytes;
  const batch = new Float32Array(buf, off, dims.maxRows * rowFloats);
  off += batchBytes;
  const slotsOff = off;
  off += dims.threads * slotGradBytes;
  const scalarsOff = off;
  const f64 = new Float64Array(buf, 0, Math.floor(buf.byteLength / 8));
  off += scalarsBytes;
  const state = new Float32Array(buf, off, stateFloats(dims));
  const criticSlots = Array.from({ length: dims.threads }, (_, s) => new Float32Array(buf, slotsOff + s * slotGradBytes, dims.criticSize));
  const actorSlots = Array.from(
    { length: dims.threads },
    (_, s) => new Float32Array(buf, slotsOff + s * slotGradBytes + dims.criticSize * 4, dims.actorSize),
  );
  return {
    dims,
    sab: buf,
    ctl,
    f64,
    batch,
    rowFloats,
    criticSlot: (s) => criticSlots[s]!,
    actorSlot: (s) => actorSlots[s]!,
    scalarBase: (s) => scalarsOff / 8 + s * SCALARS,
    state,
  };
}

/** Spins this many polls before sleeping: the other participants are usually microseconds away. */
const SPIN = 4000;

/**
 * Waits until all `parties` participants have arrived (a counting barrier with a generation
 * word, reusable back to back). Atomics.wait is allowed on Node's main thread and in workers.
 * Throws once any participant has marked itself failed, so no one waits forever for it.
 */
export function barrier(ctl: Int32Array, parties: number): void {
  const failedBefore = Atomics.load(ctl, CTL_FAILED);
  if (failedBefore) throw new ShardFailure(failedBefore - 1);
  const gen = Atomics.load(ctl, CTL_GEN);
  if (Atomics.add(ctl, CTL_COUNT, 1) === parties - 1) {
    Atomics.store(ctl, CTL_COUNT, 0);
    Atomics.add(ctl, CTL_GEN, 1);
    Atomics.notify(ctl, CTL_GEN);
    return;
  }
  for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, CTL_GEN) !== gen) return;
  while (Atomics.load(ctl, CTL_GEN) === gen) {
    const failed = Atomics.load(ctl, CTL_FAILED);
    if (failed) throw new ShardFailure(failed - 1);
    Atomics.wait(ctl, CTL_GEN, gen, 500);
  }
}

export class ShardFailure extends Error {
  constructor(readonly participant: number) {
    super(`data-parallel SAC: participant ${participant} failed`);
  }
}

/** Marks participant `index` failed (unless one already did) and wakes everyone at a barrier. */
export function markFailed(ctl: Int32Array, index: number): void {
  Atomics.compareExchange(ctl, CTL_FAILED, 0, index + 1); // the first failure is the cause
  Atomics.notify(ctl, CTL_GEN);
}

/** Rows [start, end) of shard s when `rows` samples are split over `threads` shards. */
export function shardRange(rows: number, threads: number, s: number): [number, number] {
  const base = Math.floor(rows / threads),
    extra = rows % threads;
  const start = s * base + Math.min(s, extra);
  return [start, start + base + (s < extra ? 1 : 0)];
}

/**
 * Participant `me`'s part of an all-reduce: averages chunk `me` of every slot (weights w, summed
 * in participant order in float64, so the bits do not depend on who computes them) into the same
 * chunk of slot 0. Chunk `me` of slot 0 is read and written by participant `me` only; after a
 * barrier, slot 0 holds the whole average for everyone to copy.
 */
export function reduceChunk(slots: Float32Array[], w: Float64Array, me: number): void {
  const n = slots[0]!.length,
    T = slots.length;
  const [start, end] = shardRange(n, T, me);
  const out = slots[0]!;
  if (T === 2) {
    const b = slots[1]!,
      wa = w[0]!,
      wb = w[1]!;
    for (let i = start; i < end; i++) out[i] = wa * out[i]! + wb * b[i]!;
    return;
  }
  for (let i = start; i < end; i++) {
    let acc = 0;
    for (let s = 0; s < T; s++) acc += w[s]! * slots[s]![i]!;
    out[i] = acc;
  }
}

/** Unpacks rows [start, end) of the shared batch into a shard's own arrays. */
export function readShard(
  mem: ShardMemory,
  start: number,
  end: number,
  out: { obs: Float32Array; actions: Float32Array; rewards: Float32Array; nextObs: Float32Array; dones: Float32Array },
): void {
  const { obsDim: O, actDim: A } = mem.dims;
  const R = mem.rowFloats,
    src = mem.batch;
  for (let i = start; i < end; i++) {
    const r = i * R,
      j = i - start;
    for (let c = 0; c < O; c++) out.obs[j * O + c] = src[r + c]!;
    for (let c = 0; c < A; c++) out.actions[j * A + c] = src[r + O + c]!;
    out.rewards[j] = src[r + O + A]!;
    for (let c = 0; c < O; c++) out.nextObs[j * O + c] = src[r + O + A + 1 + c]!;
    out.dones[j] = src[r + 2 * O + A + 1]!;
  }
}

/** Packs a batch's first `rows` samples into the shared batch region. */
export function writeBatch(mem: ShardMemory, b: TransitionArrays, rows: number): void {
  packTransitionRows(mem.batch, b, 0, rows, mem.dims.obsDim, mem.dims.actDim);
}
