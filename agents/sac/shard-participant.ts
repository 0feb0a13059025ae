// One participant of the data-parallel SAC update (the owning thread is participant 0, each
// shard worker one more). All run the same steps on their rows of the shared batch:
//   critic grads of my shard → barrier → average my chunk of all shards' grads → barrier →
//     copy the whole average → Adam on the critics
//   actor grads of my shard, the same all-reduce → Adam on the actor, α step, Polyak
// Averages are weighted by shard size and summed in participant order, so every copy of the
// networks receives the same bits and stays identical to the others.
import type { Batch } from '../agent.ts';
import type { SacAgent } from './sac.ts';
import {
  CTL_ADAM_STEP,
  CTL_ALPHA_STEP,
  CTL_ROWS,
  CTL_UPDATES,
  S_LOGP,
  S_PLOSS,
  S_QLOSS,
  S_QMEAN,
  S_RNG,
  barrier,
  readShard,
  reduceChunk,
  shardRange,
  type ShardMemory,
} from './shard-memory.ts';

export class ShardParticipant {
  private readonly shard: Batch;
  private readonly w: Float64Array;
  private readonly criticSlots: Float32Array[];
  private readonly actorSlots: Float32Array[];
  /** The α loss of the last update(). */
  lastAlphaLoss = 0;

  constructor(
    readonly agent: SacAgent,
    readonly mem: ShardMemory,
    readonly index: number,
  ) {
    const { obsDim: O, actDim: A, maxRows, threads } = mem.dims;
    const cap = Math.ceil(maxRows / threads);
    this.shard = {
      size: 0,
      obs: new Float32Array(cap * O),
      actions: new Float32Array(cap * A),
      rewards: new Float32Array(cap),
      nextObs: new Float32Array(cap * O),
      dones: new Float32Array(cap),
    };
    this.w = new Float64Array(threads);
    this.criticSlots = Array.from({ length: threads }, (_, s) => mem.criticSlot(s));
    this.actorSlots = Array.from({ length: threads }, (_, s) => mem.actorSlot(s));
  }

  /** One update on this participant's rows; every participant must call it for the same batch. */
  update(): void {
    const { mem, index } = this;
    const T = mem.dims.threads;
    const rows = mem.ctl[CTL_ROWS]!;
    for (let s = 0; s < T; s++) {
      const [a, b] = shardRange(rows, T, s);
      this.w[s] = (b - a) / rows;
    }
    const [start, end] = shardRange(rows, T, index);
    this.shard.size = end - start;
    readShard(mem, start, end, this.shard);
    const { phases, critics, actor } = this.agent.internals;

    const [qLoss, qMean] = phases.criticGrads(this.shard);
    this.allReduce(this.criticSlots, critics.grads, S_QLOSS, qLoss, S_QMEAN, qMean);
    phases.stepCritics();

    const [policyLoss, meanLogp] = phases.actorGrads(this.shard);
    this.allReduce(this.actorSlots, actor.grads, S_PLOSS, policyLoss, S_LOGP, meanLogp);
    this.lastAlphaLoss = phases.stepActor(this.weighted(S_LOGP));
  }

  /**
   * Publishes my shard's gradients (at arena offset `grads`) and two scalars, averages my chunk of
   * everyone's, and leaves the whole average in my arena's gradients.
   */
  private allReduce(slots: Float32Array[], grads: number, sa: number, va: number, sb: number, vb: number): void {
    const { mem, index } = this;
    const T = mem.dims.threads;
    const f = this.agent.kernels.f32;
    const sc = mem.scalarBase(index);
    const mine = slots[index]!;
    mine.set(f.subarray(grads, grads + mine.length));
    mem.f64[sc + sa] = va;
    mem.f64[sc + sb] = vb;
    barrier(mem.ctl, T);
    reduceChunk(slots, this.w, index);
    barrier(mem.ctl, T);
    f.set(slots[0]!, grads);
  }

  /** Shard-size-weighted mean of one scalar over all participants (after an update's barriers). */
  weighted(scalar: number): number {
    let acc = 0;
    for (let s = 0; s < this.w.length; s++) acc += this.w[s]! * this.mem.f64[this.mem.scalarBase(s) + scalar]!;
    return acc;
  }

  /** Copies the full learner state into the shared state region (owner, before a sync). */
  packState(): void {
    const { internals } = this.agent;
    const f = this.agent.kernels.f32,
      st = this.mem.state;
    let o = 0;
    for (const [off, len] of this.stateRanges()) {
      st.set(f.subarray(off, off + len), o);
      o += len;
    }
    const c = internals.phases.counters();
    this.mem.ctl[CTL_UPDATES] = c.updates;
    this.mem.ctl[CTL_ADAM_STEP] = c.adamStep;
    this.mem.ctl[CTL_ALPHA_STEP] = c.alphaStep;
  }

  /** Loads the shared state region into this participant's arena (worker, on a sync). */
  unpackState(): void {
    const f = this.agent.kernels.f32,
      st = this.mem.state;
    let o = 0;
    for (const [off, len] of this.stateRanges()) {
      f.set(st.subarray(o, o + len), off);
      o += len;
    }
    this.agent.internals.phases.setCounters(this.mem.ctl[CTL_UPDATES]!, this.mem.ctl[CTL_ADAM_STEP]!, this.mem.ctl[CTL_ALPHA_STEP]!);
  }

  writeRng(): void {
    const sc = this.mem.scalarBase(this.index) + S_RNG;
    this.agent.internals.phases.rng.getState().forEach((v, i) => (this.mem.f64[sc + i] = v));
  }

  readRng(s: number): number[] {
    const sc = this.mem.scalarBase(s) + S_RNG;
    return [0, 1, 2, 3].map((i) => this.mem.f64[sc + i]!);
  }

  setRngFromSlot(): void {
    this.agent.internals.phases.rng.setState(this.readRng(this.index));
  }

  /** A checksum of every network copy (exact bits of params, moments, targets, α), for tests. */
  checksum(): number {
    const f = this.agent.kernels.f32;
    const u = new Uint32Array(f.buffer, f.byteOffset, f.length);
    let h = 0x811c9dc5;
    for (const [off, len] of this.stateRanges()) for (let i = 0; i < len; i++) h = Math.imul(h ^ u[off + i]!, 0x01000193);
    return h >>> 0;
  }

  private stateRanges(): [number, number][] {
    const { actor, critics, alphaOff } = this.agent.internals;
    return [
      [actor.params, actor.size],
      [actor.m, actor.size],
      [actor.v, actor.size],
      [critics.params, critics.size],
      [critics.m, critics.size],
      [critics.v, critics.size],
      [critics.target, critics.size],
      [alphaOff, 4],
    ];
  }
}
