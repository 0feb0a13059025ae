// VecEnv as a plain loop over n independent Envs (used for cheap pure-TS envs).
import type { Env, EnvSpec, VecEnv, VecEnvStep } from '../env.ts';

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
      this.out.obs.set(this.envs[i]!.reset(base + i), i * d);
      this.ret[i] = 0;
      this.len[i] = 0;
    }
    this.out.finalObs.set(this.out.obs);
    return this.out.obs;
  }

  step(actions: Float32Array): VecEnvStep {
    const { obsDim: d, actDim: a } = this.spec;
    const o = this.out;
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

  dispose(): void {
    for (const e of this.envs) e.dispose();
  }
}
