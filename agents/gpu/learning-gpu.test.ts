// The WebGPU learner learns, driven as the studio's train loop drives it: transitions go to the
// GPU replay ring (small enough here to wrap), updates run in submits that overlap env steps, and
// acting uses the CPU mirror's policy, which lags the learner by up to two submits. Parity
// (sac-gpu.test.ts) checks single updates; this checks hundreds of them, sampled on the GPU.
// SwiftShader here and in CI (tiny nets: ~15 updates/s there); skipped where no adapter exists.
import { describe, expect, it } from 'vitest';
import type { SacConfig } from '../sac/sac.ts';
import { evaluate, originEnv } from '../sac/test-util.ts';
import { createRng } from '../rng.ts';
import { createGpuSacAgent, type TrainResult } from './sac-gpu.ts';
import { testGpu } from './test-gpu.ts';

const gpu = await testGpu();

describe.skipIf(!gpu)('WebGPU SAC learns', () => {
  it('the 1-D stabilisation toy from its GPU replay ring, acting with the lagging mirror', async () => {
    const env = originEnv();
    // CPU SAC with this config reaches -3.3 to -4.2 on seeds 1-3 (standing still: -19.8)
    const cfg: SacConfig = { obsDim: 1, actDim: 1, hidden: [16, 16], batchSize: 64, gamma: 0.9, lr: 3e-3, seed: 1 };
    const U = 8;
    const agent = await createGpuSacAgent(cfg, gpu!, { replayCapacity: 500, updatesPerSubmit: U });
    try {
      const steps = 712, // 512 updates: 64 submits
        learningStarts = 200;
      const rng = createRng(1);
      const act = new Float32Array(1),
        rew = new Float32Array(1),
        next = new Float32Array(1),
        done = new Float32Array(1);
      let obs = Float32Array.from(env.reset(rng));
      let t = 0,
        debt = 0,
        updates = 0;
      let pending: Promise<TrainResult> | null = null;
      const collect = async (): Promise<void> => {
        if (!pending) return;
        const r = await pending;
        pending = null;
        updates += r.count;
        expect(Number.isFinite(r.mean.qLoss)).toBe(true);
      };
      for (let step = 0; step < steps; step++) {
        if (step < learningStarts) act[0] = rng.uniform() * 2 - 1;
        else act.set(agent.act(obs));
        const r = env.step(act);
        rew[0] = r.reward;
        next.set(r.obs);
        done[0] = r.terminated ? 1 : 0;
        agent.addTransitions(obs, act, rew, next, done, 1);
        obs = Float32Array.from(r.obs);
        if (r.terminated || ++t >= env.maxSteps) {
          obs = Float32Array.from(env.reset(rng));
          t = 0;
        }
        if (step >= learningStarts && ++debt >= U) {
          await collect(); // the previous submit ran while the env stepped
          pending = agent.train(debt);
          debt = 0;
        }
      }
      await collect();
      expect(updates).toBe(steps - learningStarts);
      expect(agent.updates).toBe(updates);
      expect(agent.replaySize).toBe(500);
      const still = evaluate(env, () => new Float32Array(1), 50, 99).meanReturn;
      const learned = evaluate(env, (o) => agent.act(o, { deterministic: true }), 50, 99).meanReturn;
      console.log(`1-D toy on ${gpu!.info.name}: learned ${learned.toFixed(2)}, still ${still.toFixed(2)}, ${updates} updates`);
      expect(learned).toBeGreaterThan(-7);
      expect(learned).toBeGreaterThan(still + 10);
    } finally {
      agent.dispose();
    }
  }, 180_000);
});
