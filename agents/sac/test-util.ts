// Shared helpers for the agents/ tests (not part of the public API).
import type { Agent, Batch } from '../agent.ts';
import { randomBatch as syntheticBatch } from '../random-batch.ts';
import { createRng, type Rng } from '../rng.ts';
import { ReplayBuffer } from '../replay.ts';
import { createSacAgent, type SacConfig } from './sac.ts';

/** The agents tests' batches: many terminal flags (30 %) so the done path is always exercised. */
export const randomBatch = (m: number, O: number, A: number, seed = 1): Batch => syntheticBatch(m, O, A, seed, { doneRate: 0.3 });

export interface ToyEnv {
  obsDim: number;
  actDim: number;
  maxSteps: number;
  reset(rng: Rng): Float32Array;
  step(a: Float32Array): { obs: Float32Array; reward: number; terminated: boolean };
}

/** 1-D stabilisation: drive x to 0 with bounded velocity; r = −|x| − 0.05 a². */
export function originEnv(): ToyEnv {
  let x = 0;
  const obs = new Float32Array(1);
  return {
    obsDim: 1,
    actDim: 1,
    maxSteps: 20,
    reset(rng) {
      x = rng.uniform() * 4 - 2;
      obs[0] = x;
      return obs;
    },
    step(a) {
      const u = Math.max(-1, Math.min(1, a[0]!));
      x = Math.max(-2, Math.min(2, x + 0.25 * u));
      obs[0] = x;
      return { obs, reward: -Math.abs(x) - 0.05 * u * u, terminated: false };
    },
  };
}

/** point/multigoal as sim/tasks/point.ts defines it (same constants), re-implemented here. */
export const GOALS = [
  [5, 0],
  [0, 5],
  [-5, 0],
  [0, -5],
] as const;
export function multigoalEnv(): ToyEnv {
  let x = 0,
    y = 0;
  const obs = new Float32Array(2);
  return {
    obsDim: 2,
    actDim: 2,
    maxSteps: 30,
    reset(rng) {
      x = 0.1 * rng.normal();
      y = 0.1 * rng.normal();
      obs[0] = x;
      obs[1] = y;
      return obs;
    },
    step(a) {
      const ax = Math.max(-1, Math.min(1, a[0]!)),
        ay = Math.max(-1, Math.min(1, a[1]!));
      x = Math.max(-7, Math.min(7, x + ax));
      y = Math.max(-7, Math.min(7, y + ay));
      let best = Infinity,
        bump = 0;
      for (const [gx, gy] of GOALS) {
        const d2 = (x - gx) ** 2 + (y - gy) ** 2;
        bump += Math.exp(-d2 / 2);
        best = Math.min(best, d2);
      }
      const reached = best < 1;
      obs[0] = x;
      obs[1] = y;
      return { obs, reward: -0.1 * best - 0.5 * (ax * ax + ay * ay) + bump + (reached ? 10 : 0), terminated: reached };
    },
  };
}

/** The studio's loop in miniature: random warm-up, then act → store → one update per step. */
export function train(env: ToyEnv, cfg: SacConfig, steps: number, learningStarts: number, seed: number, given?: Agent): Agent {
  const agent = given ?? createSacAgent(cfg);
  const replay = new ReplayBuffer(steps, env.obsDim, env.actDim);
  const rng = createRng(seed);
  const rand = new Float32Array(env.actDim);
  let obs = Float32Array.from(env.reset(rng));
  let t = 0;
  for (let step = 0; step < steps; step++) {
    let act: Float32Array;
    if (step < learningStarts) {
      for (let j = 0; j < env.actDim; j++) rand[j] = rng.uniform() * 2 - 1;
      act = rand;
    } else act = agent.act(obs);
    const r = env.step(act);
    t++;
    replay.add(obs, act, r.reward, r.obs, r.terminated); // truncation at maxSteps still bootstraps
    obs = Float32Array.from(r.obs);
    if (r.terminated || t >= env.maxSteps) {
      obs = Float32Array.from(env.reset(rng));
      t = 0;
    }
    if (step >= learningStarts) agent.update(replay.sample(cfg.batchSize!, rng));
  }
  return agent;
}

export function evaluate(env: ToyEnv, act: (o: Float32Array) => Float32Array, episodes: number, seed: number) {
  const rng = createRng(seed);
  let ret = 0,
    reached = 0;
  for (let e = 0; e < episodes; e++) {
    let o = env.reset(rng);
    for (let t = 0; t < env.maxSteps; t++) {
      const r = env.step(act(o));
      ret += r.reward;
      o = r.obs;
      if (r.terminated) {
        reached++;
        break;
      }
    }
  }
  return { meanReturn: ret / episodes, reachRate: reached / episodes };
}
