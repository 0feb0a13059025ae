// The amortised SVGD sampler of Soft Q-learning (Haarnoja et al. 2017, §3.2): a network
// u = f(s, ξ), ξ ~ N(0, I_A), a = tanh(u). It has no tractable density; it is trained so that
// its samples follow exp(Q(s, a)/α) on [−1, 1]^A (agents/sql/sql.ts). Shared by the learner and
// the critic-free PolicyRunner, so both act identically from the same weights.
//
// Acting: temperature scales ξ (0 ⇒ ξ = 0). Deterministic action = f(s, 0): the image of the
// noise distribution's mode. It needs no critic (so the viewer's runner reproduces it exactly),
// but for a multimodal sampler it is only *a* typical action, not the best one: see README.

import type { Kernels } from '../nn/kernels.ts';
import { Mlp } from '../nn/mlp.ts';
import type { Rng } from '../rng.ts';

export const SQL_POLICY_KIND = 'sql-svgd';

export class SvgdSampler {
  readonly net: Mlp;

  constructor(
    private readonly k: Kernels,
    readonly obsDim: number,
    readonly actDim: number,
    readonly hidden: readonly number[],
    params: number,
    grads: number,
  ) {
    this.net = new Mlp(k, [obsDim + actDim, ...hidden, actDim], params, grads);
  }

  /**
   * Writes m rows [obs_{⌊i/rep⌋} | ξ_i] into the input buffer: each observation repeated rep times.
   * ξ = temperature · N(0, I) from rng, or 0 when rng is null. Returns the input offset.
   */
  fillInput(obs: Float32Array, nObs: number, rep: number, rng: Rng | null, temperature: number, xi?: Float32Array): number {
    const O = this.obsDim,
      A = this.actDim,
      W = O + A;
    const m = nObs * rep;
    if (obs.length < nObs * O) throw new Error(`sampler: expected ${nObs * O} observation floats, got ${obs.length}`);
    const x = this.net.input(m);
    const f = this.k.f32;
    for (let i = 0; i < m; i++) {
      const r = x + i * W;
      const o = Math.floor(i / rep) * O;
      for (let j = 0; j < O; j++) f[r + j] = obs[o + j]!;
      if (rng) {
        rng.normals(f, r + O, A);
        if (temperature !== 1) for (let j = 0; j < A; j++) f[r + O + j]! *= temperature;
      } else for (let j = 0; j < A; j++) f[r + O + j] = 0;
      if (xi) for (let j = 0; j < A; j++) xi[i * A + j] = f[r + O + j]!;
    }
    return x;
  }

  /** m actions into out (m × A) for m observations. */
  act(obs: Float32Array, m: number, rng: Rng, out: Float32Array, deterministic: boolean, temperature: number): Float32Array {
    const det = deterministic || temperature === 0;
    this.fillInput(obs, m, 1, det ? null : rng, temperature);
    const y = this.net.forward(m);
    const f = this.k.f32;
    const A = this.actDim;
    for (let i = 0; i < m * A; i++) out[i] = Math.tanh(f[y + i]!);
    return out;
  }
}
