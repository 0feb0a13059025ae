// Uniform replay buffer on preallocated Float32Arrays (a ring). sample() writes into a Batch whose
// arrays are reused between calls, so the training loop allocates nothing per step.

import { allocBatch } from './agent-buffers.ts';
import type { Batch } from './agent.ts';
import type { Rng } from './rng.ts';

export interface ReplayState {
  capacity: number;
  obsDim: number;
  actDim: number;
  size: number;
  ptr: number;
  tensors: { obs: Float32Array; actions: Float32Array; rewards: Float32Array; nextObs: Float32Array; dones: Float32Array };
}

export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly dones: Float32Array;
  private ptr = 0;
  private count = 0;
  private batch: Batch | null = null;

  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly actDim: number,
  ) {
    for (const [name, v] of [
      ['capacity', capacity],
      ['obsDim', obsDim],
      ['actDim', actDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`ReplayBuffer: ${name} must be a positive integer, got ${v}`);
    }
    this.obs = new Float32Array(capacity * obsDim);
    this.actions = new Float32Array(capacity * actDim);
    this.rewards = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.dones = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** One transition. done = terminated (a real end); a time-limit truncation must pass false. */
  add(obs: ArrayLike<number>, act: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, done: boolean | number): void {
    const i = this.ptr,
      o = this.obsDim,
      a = this.actDim;
    for (let j = 0; j < o; j++) {
      this.obs[i * o + j] = obs[j]!;
      this.nextObs[i * o + j] = nextObs[j]!;
    }
    for (let j = 0; j < a; j++) this.actions[i * a + j] = act[j]!;
    this.rewards[i] = reward;
    this.dones[i] = done ? 1 : 0;
    this.ptr = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * n transitions from a vec env: obs/nextObs n × obsDim, actions n × actDim. nextObs must be the
   * real final observation of an episode that ended (not the auto-reset one).
   */
  addBatch(
    obs: Float32Array,
    actions: Float32Array,
    rewards: ArrayLike<number>,
    nextObs: Float32Array,
    dones: ArrayLike<number | boolean>,
    n: number,
  ): void {
    const o = this.obsDim,
      a = this.actDim;
    if (obs.length < n * o || nextObs.length < n * o || actions.length < n * a || rewards.length < n || dones.length < n) {
      throw new Error(`ReplayBuffer.addBatch: arrays too short for n=${n} (obsDim ${o}, actDim ${a})`);
    }
    for (let e = 0; e < n; e++) {
      const i = this.ptr;
      this.obs.set(obs.subarray(e * o, e * o + o), i * o);
      this.nextObs.set(nextObs.subarray(e * o, e * o + o), i * o);
      this.actions.set(actions.subarray(e * a, e * a + a), i * a);
      this.rewards[i] = rewards[e]!;
      this.dones[i] = dones[e] ? 1 : 0;
      this.ptr = (i + 1) % this.capacity;
      if (this.count < this.capacity) this.count++;
    }
  }

  /** Uniform sample with replacement. The returned Batch (and its arrays) is reused by the next call. */
  sample(batchSize: number, rng: Rng): Batch {
    if (this.count === 0) throw new Error('ReplayBuffer.sample: buffer is empty');
    const o = this.obsDim,
      a = this.actDim;
    let b = this.batch;
    if (!b || b.size !== batchSize) {
      b = allocBatch(batchSize, o, a);
      this.batch = b;
    }
    for (let r = 0; r < batchSize; r++) {
      const i = rng.int(this.count);
      b.obs.set(this.obs.subarray(i * o, i * o + o), r * o);
      b.nextObs.set(this.nextObs.subarray(i * o, i * o + o), r * o);
      b.actions.set(this.actions.subarray(i * a, i * a + a), r * a);
      b.rewards[r] = this.rewards[i]!;
      b.dones[r] = this.dones[i]!;
    }
    return b;
  }

  clear(): void {
    this.ptr = 0;
    this.count = 0;
  }

  /** The filled part (views, not copies; oldest-first order is not needed for uniform sampling). */
  exportState(): ReplayState {
    const n = this.count,
      o = this.obsDim,
      a = this.actDim;
    return {
      capacity: this.capacity,
      obsDim: o,
      actDim: a,
      size: n,
      ptr: this.ptr,
      tensors: {
        obs: this.obs.subarray(0, n * o),
        actions: this.actions.subarray(0, n * a),
        rewards: this.rewards.subarray(0, n),
        nextObs: this.nextObs.subarray(0, n * o),
        dones: this.dones.subarray(0, n),
      },
    };
  }

  importState(s: ReplayState): void {
    if (s.obsDim !== this.obsDim || s.actDim !== this.actDim) {
      throw new Error(`ReplayBuffer.importState: dims ${s.obsDim}/${s.actDim} do not match buffer ${this.obsDim}/${this.actDim}`);
    }
    const o = this.obsDim,
      a = this.actDim;
    const t = s.tensors;
    const n = Math.min(s.size, this.capacity);
    if (
      t.obs.length < s.size * o ||
      t.nextObs.length < s.size * o ||
      t.actions.length < s.size * a ||
      t.rewards.length < s.size ||
      t.dones.length < s.size
    ) {
      throw new Error(`ReplayBuffer.importState: tensors shorter than size ${s.size}`);
    }
    this.obs.set(t.obs.subarray(0, n * o));
    this.nextObs.set(t.nextObs.subarray(0, n * o));
    this.actions.set(t.actions.subarray(0, n * a));
    this.rewards.set(t.rewards.subarray(0, n));
    this.dones.set(t.dones.subarray(0, n));
    this.count = n;
    this.ptr = s.size <= this.capacity && s.capacity === this.capacity ? s.ptr % this.capacity : n % this.capacity;
  }
}

/**
 * Adds the buffer's filled part to a checkpoint (tensors 'replay.*', counters in meta.extra.replay),
 * for fine-tuning or resuming with the same data. Returns the same checkpoint object.
 */
export function addReplayToCheckpoint<
  C extends { tensors: Record<string, Float32Array>; shapes?: Record<string, number[]>; meta: { extra: Record<string, unknown> } },
>(c: C, replay: ReplayBuffer): C {
  const s = replay.exportState();
  const n = s.size;
  const shapes = (c.shapes ??= {});
  for (const [name, t] of Object.entries(s.tensors)) {
    c.tensors[`replay.${name}`] = t.slice();
    const per = t.length / Math.max(n, 1);
    shapes[`replay.${name}`] = name === 'rewards' || name === 'dones' ? [n] : [n, n ? per : 0];
  }
  c.meta.extra['replay'] = { capacity: s.capacity, obsDim: s.obsDim, actDim: s.actDim, size: n, ptr: s.ptr };
  return c;
}

/** Removes what addReplayToCheckpoint added (a kept policy holds no replay data). Returns the same checkpoint. */
export function stripReplayFromCheckpoint<
  C extends { tensors: Record<string, Float32Array>; shapes?: Record<string, number[]>; meta: { extra: Record<string, unknown> } },
>(c: C): C {
  for (const name of Object.keys(c.tensors)) {
    if (!name.startsWith('replay.')) continue;
    delete c.tensors[name];
    if (c.shapes) delete c.shapes[name];
  }
  delete c.meta.extra['replay'];
  return c;
}

/** Restores a buffer saved by addReplayToCheckpoint; false when the checkpoint holds none. */
export function restoreReplayFromCheckpoint(
  c: { tensors: Record<string, Float32Array>; meta: { extra: Record<string, unknown> } },
  replay: ReplayBuffer,
): boolean {
  const info = c.meta.extra['replay'] as { capacity: number; obsDim: number; actDim: number; size: number; ptr: number } | undefined;
  if (!info) return false;
  const t = (name: string) => {
    const v = c.tensors[`replay.${name}`];
    if (!v) throw new Error(`checkpoint: replay tensor 'replay.${name}' missing`);
    return v;
  };
  replay.importState({
    ...info,
    tensors: { obs: t('obs'), actions: t('actions'), rewards: t('rewards'), nextObs: t('nextObs'), dones: t('dones') },
  });
  return true;
}
