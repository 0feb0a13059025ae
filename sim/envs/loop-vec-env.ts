// VecEnv as a plain loop over n independent Envs (used for cheap pure-TS envs). Env i is
// seeded envSeed(seed, i) (rng.ts). step() and restore() change every env or none.
import { assertFiniteActions, EnvError, type Env, type EnvSpec, type VecEnv, type VecEnvStep } from '../env.ts';
import { envSeed } from '../rng.ts';
import { frameBytes, readFrame, writeFrame, type VecFrame } from './vec-snapshot.ts';

export class LoopVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly n: number;
  readonly episodeReturns: Float32Array;
  readonly episodeLengths: Float32Array;
  private readonly envs: Env[];
  private readonly seed: number;
  private readonly out: VecEnvStep;
  private readonly act: Float32Array;
  private readonly ret: Float64Array;
  private readonly len: Int32Array;

  constructor(envs: Env[], seed: number) {
    if (envs.length < 1) throw new Error('VecEnv needs at least one env');
    this.envs = envs;
    this.n = envs.length;
    this.spec = envs[0]!.spec;
    this.seed = seed;
    const { obsDim, actDim } = this.spec;
    this.out = {
      obs: new Float32Array(this.n * obsDim),
      finalObs: new Float32Array(this.n * obsDim),
      rewards: new Float32Array(this.n),
      terminated: new Uint8Array(this.n),
      truncated: new Uint8Array(this.n),
    };
    this.act = new Float32Array(actDim);
    this.ret = new Float64Array(this.n);
    this.len = new Int32Array(this.n);
    this.episodeReturns = new Float32Array(this.n).fill(NaN);
    this.episodeLengths = new Float32Array(this.n).fill(NaN);
  }

  reset(seed?: number): Float32Array {
    const base = seed ?? this.seed;
    const d = this.spec.obsDim;
    for (let i = 0; i < this.n; i++) {
      this.out.obs.set(this.envs[i]!.reset(envSeed(base, i)), i * d);
      this.ret[i] = 0;
      this.len[i] = 0;
    }
    this.out.finalObs.set(this.out.obs);
    return this.out.obs;
  }

  step(actions: Float32Array): VecEnvStep {
    const { obsDim: d, actDim: a } = this.spec;
    const o = this.out;
    assertFiniteActions(this.spec.id, actions, this.n, a); // all, before env 0 moves
    for (let i = 0; i < this.n; i++) {
      for (let j = 0; j < a; j++) this.act[j] = actions[i * a + j]!;
      const r = this.envs[i]!.step(this.act);
      o.rewards[i] = r.reward;
      o.terminated[i] = r.terminated ? 1 : 0;
      o.truncated[i] = r.truncated ? 1 : 0;
      o.finalObs.set(r.obs, i * d);
      this.ret[i] += r.reward;
      this.len[i]++;
      if (r.terminated || r.truncated) {
        this.episodeReturns[i] = this.ret[i]!;
        this.episodeLengths[i] = this.len[i]!;
        this.ret[i] = 0;
        this.len[i] = 0;
        o.obs.set(this.envs[i]!.reset(), i * d);
      } else {
        this.episodeReturns[i] = NaN;
        this.episodeLengths[i] = NaN;
        o.obs.set(r.obs, i * d);
      }
    }
    return o;
  }

  private frame(): VecFrame {
    const { id, obsDim } = this.spec;
    return {
      id,
      n: this.n,
      obsDim,
      ret: this.ret,
      out: this.out,
      episodeReturns: this.episodeReturns,
      episodeLengths: this.episodeLengths,
    };
  }

  /** The frame, then per env: its episode length (u32), its snapshot's length (u32) and bytes. */
  snapshot(): Uint8Array {
    const snaps = this.envs.map((e) => e.snapshot());
    const f = this.frame();
    const head = frameBytes(f);
    const out = new Uint8Array(head + snaps.reduce((s, b) => s + 8 + b.byteLength, 0));
    const dv = writeFrame(f, out);
    let o = head;
    snaps.forEach((b, i) => {
      dv.setUint32(o, this.len[i]!, true);
      dv.setUint32(o + 4, b.byteLength, true);
      out.set(b, o + 8);
      o += 8 + b.byteLength;
    });
    return out;
  }

  restore(state: Uint8Array): void {
    // check the whole layout before touching any env: a bad snapshot leaves the VecEnv as it was
    const f = this.frame();
    const { dv, commit } = readFrame(f, state);
    const parts: [number, Uint8Array][] = [];
    let o = frameBytes(f);
    for (let i = 0; i < this.n; i++) {
      if (o + 8 > state.byteLength) throw new EnvError(`${this.spec.id}: truncated VecEnv snapshot`);
      const k = dv.getUint32(o + 4, true);
      if (o + 8 + k > state.byteLength) throw new EnvError(`${this.spec.id}: truncated VecEnv snapshot`);
      parts.push([dv.getUint32(o, true), state.subarray(o + 8, o + 8 + k)]);
      o += 8 + k;
    }
    // Each Env.restore() checks its part before changing anything, but a bad part k would leave
    // envs 0..k−1 restored: keep their current state and put it back if a later part fails.
    const backup = this.envs.map((e) => e.snapshot());
    let i = 0;
    try {
      for (; i < this.n; i++) this.envs[i]!.restore(parts[i]![1]);
    } catch (err) {
      for (let k = 0; k <= i && k < this.n; k++) this.envs[k]!.restore(backup[k]!);
      throw err;
    }
    parts.forEach(([len], k) => (this.len[k] = len));
    commit();
  }

  dispose(): void {
    for (const e of this.envs) e.dispose();
  }
}
