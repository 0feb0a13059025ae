// Acts from a PolicySnapshot without critics or optimisers: what the viewer process runs.
// Uses the same TanhPolicy code as the learner, so actions match the learner's bit for bit
// (given the same kernels and noise).

import type { ActOptions, PolicySnapshot } from './agent.ts';
import { createTsKernels } from './nn/ts-kernels.ts';
import type { Kernels } from './nn/kernels.ts';
import { mlpLayout } from './nn/mlp.ts';
import { createRng, type Rng } from './rng.ts';
import { TanhPolicy, headDim, policyKind } from './sac/policy.ts';
import { SQL_POLICY_KIND, SvgdSampler } from './sql/sampler.ts';

/** What the runner needs of a policy: both SAC heads and the SQL sampler provide it. */
interface Actor {
  readonly net: { setParams(p: Float32Array): void };
  act(obs: Float32Array, m: number, rng: Rng, out: Float32Array, deterministic: boolean, temperature: number): Float32Array;
}

export interface PolicyRunner {
  readonly obsDim: number;
  readonly actDim: number;
  readonly kind: string;
  readonly step: number;
  act(obs: Float32Array, opts?: ActOptions): Float32Array;
  actBatch(obs: Float32Array, n: number, opts?: ActOptions): Float32Array;
  sampleActions(obs: Float32Array, k: number, opts?: ActOptions): Float32Array;
  /** Swaps in new weights; a snapshot of another architecture rebuilds the network. */
  load(snapshot: PolicySnapshot): void;
}

export interface PolicyRunnerOptions {
  seed?: number;
  kernels?: () => Kernels;
}

function validate(s: PolicySnapshot): void {
  if (!s || typeof s !== 'object') throw new Error('policy snapshot: not an object');
  const K = s.components;
  const sql = s.kind === SQL_POLICY_KIND; // SQL sampler: f(s, ξ), input obs + noise
  if (!sql && s.kind !== policyKind(K)) throw new Error(`policy snapshot: unsupported kind '${s.kind}' with ${K} components`);
  const n = (sql ? mlpLayout([s.obsDim + s.actDim, ...s.hidden, s.actDim]) : mlpLayout([s.obsDim, ...s.hidden, headDim(s.actDim, K)]))
    .packedSize;
  if (!(s.params instanceof Float32Array) || s.params.length !== n) {
    throw new Error(
      `policy snapshot: expected ${n} params for ${s.obsDim}→[${s.hidden.join(', ')}]→${s.actDim} (${K} components), got ${s.params?.length}`,
    );
  }
}

export function createPolicyRunner(snapshot: PolicySnapshot, opts: PolicyRunnerOptions = {}): PolicyRunner {
  const rng: Rng = createRng(opts.seed ?? 12345);
  let policy!: Actor;
  let snap!: PolicySnapshot;
  let arch = '';
  const outs = new Map<number, Float32Array>();
  let rep = new Float32Array(0);

  function build(s: PolicySnapshot): void {
    validate(s);
    const key = `${s.kind}|${s.obsDim}|${s.actDim}|${s.hidden.join(',')}|${s.components}`;
    if (key !== arch) {
      const k = opts.kernels ? opts.kernels() : createTsKernels(1 << 12);
      if (s.kind === SQL_POLICY_KIND) {
        policy = new SvgdSampler(
          k,
          s.obsDim,
          s.actDim,
          s.hidden,
          k.alloc(mlpLayout([s.obsDim + s.actDim, ...s.hidden, s.actDim]).size),
          -1,
        );
      } else {
        const size = mlpLayout([s.obsDim, ...s.hidden, headDim(s.actDim, s.components)]).size;
        policy = new TanhPolicy(k, s.obsDim, s.actDim, s.hidden, s.components, k.alloc(size), -1);
      }
      arch = key;
      outs.clear();
    }
    policy.net.setParams(s.params);
    snap = s;
  }
  const out = (n: number) => {
    let o = outs.get(n);
    if (!o) outs.set(n, (o = new Float32Array(n)));
    return o;
  };
  build(snapshot);

  return {
    get obsDim() {
      return snap.obsDim;
    },
    get actDim() {
      return snap.actDim;
    },
    get kind() {
      return snap.kind;
    },
    get step() {
      return snap.step;
    },
    act(obs, o) {
      return policy.act(obs, 1, rng, out(snap.actDim), o?.deterministic ?? false, o?.temperature ?? 1);
    },
    actBatch(obs, n, o) {
      return policy.act(obs, n, rng, out(n * snap.actDim), o?.deterministic ?? false, o?.temperature ?? 1);
    },
    sampleActions(obs, k, o) {
      const O = snap.obsDim;
      if (obs.length < O) throw new Error(`expected ${O} observation floats, got ${obs.length}`);
      if (rep.length !== k * O) rep = new Float32Array(k * O);
      for (let i = 0; i < k; i++) rep.set(obs.subarray(0, O), i * O);
      return policy.act(rep, k, rng, out(k * snap.actDim), o?.deterministic ?? false, o?.temperature ?? 1);
    },
    load: build,
  };
}
