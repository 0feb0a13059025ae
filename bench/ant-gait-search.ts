// What running can earn the ant: a (1+8) evolution search over open-loop sinusoidal gaits, scored
// by the ant/run-direction (θ = 0) reward itself. Not part of `npm run bench`: it answers a model
// question (is running worth more than the alive bonus of standing still?), not a speed one.
//
//   npx tsx bench/ant-gait-search.ts [--gear 20] [--damping 1] [--iters 150] [--steps 400] [--seed 2]
//
// A gait: a_k(t) = clip(offset_k + amp_k · sin(2π f t + phase_k)) for the 8 joints, one frequency.
// --gear / --damping override the model's actuators for this process only (to compare models).
import { parseArgs } from 'node:util';
import { createEnv } from '../sim/index.ts';
import { ANT } from '../sim/robots/ant.ts';
import { Rng } from '../sim/rng.ts';

const { values } = parseArgs({
  options: {
    gear: { type: 'string' },
    damping: { type: 'string' },
    iters: { type: 'string', default: '150' },
    steps: { type: 'string', default: '400' },
    seed: { type: 'string', default: '2' },
  },
});
const num = (name: string, s: string | undefined): number => {
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number, got ${s}`);
  return v;
};
if (values.gear !== undefined || values.damping !== undefined) {
  for (const j of ANT.joints) {
    const gear = values.gear !== undefined ? num('gear', values.gear) : j.actuator.gear;
    const damping = values.damping !== undefined ? num('damping', values.damping) : j.actuator.damping;
    j.actuator = { ...j.actuator, gear, damping, maxTorque: 2 * gear };
  }
}
const iters = num('iters', values.iters),
  steps = num('steps', values.steps);
const env = await createEnv('ant/run-direction', { seed: 0 });
const rng = new Rng(num('seed', values.seed));
const a = new Float32Array(8);
const DT = env.spec.dt;

interface Score {
  perStep: number;
  speed: number;
  ctrl: number;
  upright: boolean;
  steps: number;
}

/** p = [f, then per joint: amp, phase, offset]. Episodes that end early score what they earned. */
function evaluate(p: number[]): Score {
  env.reset(0);
  let ret = 0,
    v = 0,
    c = 0,
    n = 0,
    upright = true;
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < 8; k++) {
      const u = p[3 + 3 * k]! + p[1 + 3 * k]! * Math.sin(2 * Math.PI * p[0]! * t * DT + p[2 + 3 * k]!);
      a[k] = Math.max(-1, Math.min(1, u));
    }
    const r = env.step(a);
    ret += r.reward;
    v += r.info.x_velocity!;
    c += r.info.ctrl_cost!;
    n++;
    if (r.obs[1]! < 0.7) upright = false; // quaternion w < 0.7: the torso tilted past ~90°
    if (r.terminated) break;
  }
  return { perStep: ret / steps, speed: v / n, ctrl: c / n, upright, steps: n };
}

const clampGait = (p: number[]): number[] =>
  p.map((x, i) => {
    if (i === 0) return Math.min(6, Math.max(0.5, x)); // Hz
    const field = (i - 1) % 3;
    if (field === 0) return Math.min(1, Math.max(0, x)); // amplitude
    if (field === 2) return Math.min(0.8, Math.max(-0.8, x)); // offset
    return x; // phase
  });

// Start from a trot: diagonal legs in phase, knees a quarter period behind their hips.
let best = clampGait([
  2,
  ...Array.from({ length: 8 }, (_, k) => [0.5, ((k % 2) * Math.PI) / 2 + (Math.floor(k / 2) % 2) * Math.PI, 0]).flat(),
]);
let bestScore = evaluate(best);
let sigma = 0.3;
for (let it = 1; it <= iters; it++) {
  let improved = false;
  for (let l = 0; l < 8; l++) {
    const cand = clampGait(best.map((x, i) => x + sigma * (i > 0 && (i - 1) % 3 === 1 ? 3 : 1) * rng.normal()));
    const s = evaluate(cand);
    if (s.perStep > bestScore.perStep) {
      best = cand;
      bestScore = s;
      improved = true;
    }
  }
  sigma = improved ? Math.min(0.6, sigma * 1.2) : Math.max(0.03, sigma * 0.85);
  if (it % 10 === 0) {
    const s = bestScore;
    console.error(
      `iter ${it}: reward/step ${s.perStep.toFixed(3)}, speed ${s.speed.toFixed(2)} m/s, ctrl ${s.ctrl.toFixed(2)}, upright ${s.upright}`,
    );
  }
}
const gear = ANT.joints[0]!.actuator.gear,
  damping = ANT.joints[0]!.actuator.damping;
console.log(JSON.stringify({ gear, damping, iters, horizon: steps, ...bestScore, gait: best.map((x) => +x.toFixed(3)) }));
env.dispose();
