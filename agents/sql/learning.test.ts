// SQL learning on a toy (agents/ cannot import sim/): a one-step problem (γ = 0) whose soft-optimal
// policy is known in closed form, exp(r(a)/α)/Z, with four separated modes. The critic learns r
// from uniformly random actions; the amortised SVGD sampler must then put mass in all four modes
// in about the right proportions — what a unimodal policy cannot do.
import { expect, it } from 'vitest';
import { createKernels } from '../index.ts';
import { createRng } from '../rng.ts';
import { createSqlAgent } from './sql.ts';

const MODES = [
  [0.6, 0.6],
  [-0.6, 0.6],
  [0.6, -0.6],
  [-0.6, -0.6],
] as const;
/** Four Gaussian bumps; the first is 0.3 higher. */
const reward = (x: number, y: number) => Math.max(...MODES.map(([a, b], i) => (i === 0 ? 0.3 : 0) - 8 * ((x - a) ** 2 + (y - b) ** 2)));

it('4-mode bandit: the sampler covers every mode in about the exp(r/α) proportions', async () => {
  const alpha = 0.5;
  const agent = createSqlAgent(
    {
      obsDim: 1,
      actDim: 2,
      hidden: [64, 64],
      batchSize: 64,
      seed: 1,
      initAlpha: alpha,
      gamma: 0,
      valueParticles: 8,
      svgdParticles: 8,
      lr: 1e-3,
    },
    await createKernels('auto'),
  );
  const rng = createRng(3);
  const m = 64;
  const b = {
    size: m,
    obs: new Float32Array(m),
    actions: new Float32Array(2 * m),
    rewards: new Float32Array(m),
    nextObs: new Float32Array(m),
    dones: new Float32Array(m).fill(1),
  };
  for (let it = 0; it < 1500; it++) {
    for (let i = 0; i < m; i++) {
      const x = rng.uniform() * 2 - 1,
        y = rng.uniform() * 2 - 1;
      b.actions[2 * i] = x;
      b.actions[2 * i + 1] = y;
      b.rewards[i] = reward(x, y);
    }
    agent.update(b);
  }
  const n = 2000;
  const s = agent.sampleActions(new Float32Array(1), n);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[(s[2 * i]! > 0 ? 0 : 1) + (s[2 * i + 1]! > 0 ? 0 : 2)]!++;
  const frac = counts.map((c) => c / n);
  // exact: modes have equal width, so p(mode 0) = e^{0.3/α} / (e^{0.3/α} + 3) ≈ 0.38, others ≈ 0.21
  const w0 = Math.exp(0.3 / alpha);
  console.log(
    `bandit quadrant fractions ${frac.map((f) => f.toFixed(2)).join(', ')} (exact ${(w0 / (w0 + 3)).toFixed(2)}, ${(1 / (w0 + 3)).toFixed(2)} ×3)`,
  );
  for (const f of frac) expect(f).toBeGreaterThan(0.1);
  expect(frac[0]).toBe(Math.max(...frac));
  expect(Math.abs(frac[0]! - w0 / (w0 + 3))).toBeLessThan(0.12);
});
