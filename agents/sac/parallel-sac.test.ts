// The data-parallel SAC update: the shard-weighted average of shard gradients is the full-batch
// gradient; the workers' copies of the networks stay bit-identical; checkpoints carry the shard
// RNGs (save → load → continue is exact); it learns; a failed shard fails loudly.
import { describe, expect, it } from 'vitest';
import { createWasmKernels } from '../nn/wasm/wasm-kernels.ts';
import { createParallelSacAgent } from './parallel-sac.ts';
import { createSacAgent, type SacAgent, type SacConfig } from './sac.ts';
import { ShardFailure, barrier, mapShardMemory, markFailed, readShard, shardRange, writeBatch } from './shard-memory.ts';
import { chooseSacThreads } from './thread-choice.ts';
import { evaluate, originEnv, randomBatch, train } from './test-util.ts';
import { allocBatch } from '../agent-buffers.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/safetensors.ts';

const CFG: SacConfig = { obsDim: 5, actDim: 3, hidden: [16, 16], batchSize: 40, seed: 7, initAlpha: 0.5 };

function relErr(a: Float32Array, b: Float64Array): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += a[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('data-parallel SAC update', () => {
  it('the shard-size-weighted average of shard gradients equals the full-batch gradient', () => {
    const M = 10,
      T = 3; // uneven shards: 4, 3, 3
    const cfg = { ...CFG, batchSize: M };
    const b = randomBatch(M, cfg.obsDim, cfg.actDim, 3);
    const eps = { critic: new Float32Array(M * cfg.actDim), actor: new Float32Array(M * cfg.actDim) };
    for (let i = 0; i < eps.critic.length; i++) {
      eps.critic[i] = Math.sin(i * 1.7);
      eps.actor[i] = Math.cos(i * 0.9);
    }
    const full = createSacAgent(cfg);
    for (let i = 0; i < 2; i++) full.update(randomBatch(M, cfg.obsDim, cfg.actDim, 50 + i)); // off the symmetric init
    const mem = mapShardMemory({ obsDim: cfg.obsDim, actDim: cfg.actDim, maxRows: M, threads: T, criticSize: 1, actorSize: 1 });
    writeBatch(mem, b, M);
    // Shard agents: the same weights as `full` (its checkpoint), fed their rows of the same noise.
    const shards: { agent: SacAgent; rows: [number, number] }[] = [];
    for (let s = 0; s < T; s++) {
      const agent = createSacAgent(cfg);
      agent.load(full.save());
      const rows = shardRange(M, T, s);
      agent.internals.noiseHook = (phase, out) => out.set(eps[phase].subarray(rows[0] * cfg.actDim, rows[1] * cfg.actDim));
      shards.push({ agent, rows });
    }
    full.internals.noiseHook = (phase, out) => out.set(eps[phase]);
    for (const phase of ['critic', 'actor'] as const) {
      full.internals.lossesAndGrads(b, phase);
      const { grads, size } = phase === 'critic' ? full.internals.critics : full.internals.actor;
      const want = full.kernels.f32.slice(grads, grads + size);
      const got = new Float64Array(size);
      for (const { agent, rows } of shards) {
        const shard = allocBatch(rows[1] - rows[0], cfg.obsDim, cfg.actDim);
        readShard(mem, rows[0], rows[1], shard);
        agent.internals.lossesAndGrads(shard, phase);
        const g = phase === 'critic' ? agent.internals.critics : agent.internals.actor;
        const w = (rows[1] - rows[0]) / M;
        for (let i = 0; i < size; i++) got[i] += w * agent.kernels.f32[g.grads + i]!;
      }
      expect(relErr(want, got), phase).toBeLessThan(1e-5);
    }
  });

  it('keeps every thread’s copy of the networks bit-identical, also after a batch too small to split', async () => {
    for (const threads of [2, 3]) {
      const agent = await createParallelSacAgent(CFG, await createWasmKernels(), { threads });
      try {
        for (let i = 0; i < 12; i++) {
          const m = agent.update(randomBatch(40, CFG.obsDim, CFG.actDim, i));
          for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
        }
        agent.update(randomBatch(8, CFG.obsDim, CFG.actDim, 99)); // the owner alone; re-synced next time
        agent.update(randomBatch(40, CFG.obsDim, CFG.actDim, 100));
        const sums = agent.checksums();
        expect(sums).toHaveLength(threads);
        expect(new Set(sums).size).toBe(1);
        expect(agent.updates).toBe(14);
      } finally {
        agent.dispose();
      }
    }
  });

  it('save → load → continue gives identical next updates (the shard RNGs travel in the checkpoint)', async () => {
    const make = async () => createParallelSacAgent(CFG, await createWasmKernels(), { threads: 2 });
    const a = await make(),
      b = await make();
    try {
      for (let i = 0; i < 5; i++) a.update(randomBatch(40, CFG.obsDim, CFG.actDim, i));
      const bytes = encodeCheckpoint(a.save());
      expect(decodeCheckpoint(bytes).meta.extra['shardRng']).toHaveLength(1);
      b.load(decodeCheckpoint(bytes));
      for (let i = 0; i < 3; i++) {
        const batch = randomBatch(40, CFG.obsDim, CFG.actDim, 20 + i);
        expect(b.update(batch)).toEqual(a.update(batch));
      }
      expect(b.checksums()).toEqual(a.checksums());
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('learns the 1-D stabilisation toy on 2 threads', async () => {
    const env = originEnv();
    const cfg: SacConfig = { obsDim: 1, actDim: 1, hidden: [32, 32], batchSize: 64, gamma: 0.9, lr: 1e-3, seed: 1 };
    const agent = await createParallelSacAgent(cfg, await createWasmKernels(), { threads: 2 });
    try {
      train(env, cfg, 2500, 300, 1, agent);
      const still = evaluate(env, () => new Float32Array(1), 50, 99).meanReturn;
      const learned = evaluate(env, (o) => agent.act(o, { deterministic: true }), 50, 99).meanReturn;
      console.log(`1-D toy, 2 threads: learned ${learned.toFixed(2)}, still ${still.toFixed(2)}`);
      expect(learned).toBeGreaterThan(-7);
      expect(learned).toBeGreaterThan(still + 10);
      expect(new Set(agent.checksums()).size).toBe(1);
    } finally {
      agent.dispose();
    }
  });

  it('a failed participant makes every barrier throw instead of waiting for it', () => {
    const mem = mapShardMemory({ obsDim: 1, actDim: 1, maxRows: 4, threads: 2, criticSize: 1, actorSize: 1 });
    markFailed(mem.ctl, 1);
    expect(() => barrier(mem.ctl, 2)).toThrow(ShardFailure);
    expect(() => barrier(mem.ctl, 2)).toThrow(/participant 1 failed/);
  });

  it('rejects bad thread counts and a disposed agent', async () => {
    await expect(createParallelSacAgent(CFG, await createWasmKernels(), { threads: 1 })).rejects.toThrow(/threads must be/);
    const a = await createParallelSacAgent(CFG, await createWasmKernels(), { threads: 2 });
    a.dispose();
    expect(() => a.update(randomBatch(40, CFG.obsDim, CFG.actDim, 1))).toThrow(/disposed/);
  });
});

describe('choosing the update thread count', () => {
  const kernels = () => createWasmKernels();
  it('takes an explicit count, keeps small networks on one thread, and rejects nonsense', async () => {
    expect((await chooseSacThreads(CFG, 3, kernels)).threads).toBe(3);
    const small = await chooseSacThreads(CFG, 0, kernels);
    expect(small.threads).toBe(1);
    expect(small.trials).toEqual([]);
    await expect(chooseSacThreads(CFG, -1, kernels)).rejects.toThrow(/threads must be an integer/);
    await expect(chooseSacThreads(CFG, 1.5, kernels)).rejects.toThrow(/threads must be an integer/);
  });
});
