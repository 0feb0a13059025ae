// The GPU replay ring: batches sampled on the GPU are exactly the rows the counter-based RNG
// names (rebuilt here in TS), wrapping included; training from the ring is deterministic per seed;
// GPU checkpoints load into the CPU agent (same safetensors tensors) and back.
import { afterAll, describe, expect, it } from 'vitest';
import { allocBatch } from '../agent-buffers.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/safetensors.ts';
import { randomBatch } from '../random-batch.ts';
import { createSacAgent, type SacConfig } from '../sac/sac.ts';
import { createGpuSacAgent, gpuSeed, type GpuSacAgent } from './sac-gpu.ts';
import { GATHER_STREAM, rndHash } from './wgsl.ts';
import { testGpu } from './test-gpu.ts';

const gpu = await testGpu();
const O = 4,
  A = 2,
  m = 13,
  CAP = 50;

const transitions = (n: number, seed: number) => randomBatch(n, O, A, seed, { actionScale: 1, doneRate: 0.2 });

describe.skipIf(!gpu)('WebGPU replay ring and checkpoints', () => {
  const cfg: SacConfig = { obsDim: O, actDim: A, hidden: [11, 7], batchSize: m, seed: 5 };
  const agents: GpuSacAgent[] = [];
  const make = async (c = cfg) => {
    const g = await createGpuSacAgent(c, gpu!, { replayCapacity: CAP, updatesPerSubmit: 3 });
    agents.push(g);
    return g;
  };
  afterAll(() => agents.forEach((g) => g.dispose()));
  const first = transitions(40, 1),
    second = transitions(20, 2);
  const fill = (g: GpuSacAgent) => {
    g.addTransitions(first.obs, first.actions, first.rewards, first.nextObs, first.dones, 40);
    g.addTransitions(second.obs, second.actions, second.rewards, second.nextObs, second.dones, 20); // wraps
  };

  it('samples exactly the rows its RNG names, from a wrapped ring', async () => {
    const a = await make();
    fill(a);
    expect(a.replaySize).toBe(CAP);
    await a.train(1);
    await a.sync();
    // the same update from the rows rebuilt in TS (ring slot s holds the newest transition written there)
    const slot = (s: number): [typeof first, number] => (s < 10 ? [second, 10 + s] : s < 40 ? [first, s] : [second, s - 40]);
    const b = allocBatch(m, O, A);
    for (let r = 0; r < m; r++) {
      const [src, i] = slot(rndHash(gpuSeed(cfg.seed!), 0, r, GATHER_STREAM) % CAP);
      b.obs.set(src.obs.subarray(i * O, i * O + O), r * O);
      b.nextObs.set(src.nextObs.subarray(i * O, i * O + O), r * O);
      b.actions.set(src.actions.subarray(i * A, i * A + A), r * A);
      b.rewards[r] = src.rewards[i]!;
      b.dones[r] = src.dones[i]!;
    }
    const c = await make();
    await c.updateWithBatch(b); // same counter (0) and seed: the same GPU noise
    await c.sync();
    const ta = a.save().tensors,
      tc = c.save().tensors;
    for (const k of Object.keys(ta)) expect(Array.from(tc[k]!), k).toEqual(Array.from(ta[k]!));

    // 60 rows in one call into a ring of 50: the newest 50 land where two calls put them
    const d = await make();
    const cat = (key: 'obs' | 'actions' | 'rewards' | 'nextObs' | 'dones') => {
      const out = new Float32Array(first[key].length + second[key].length);
      out.set(first[key]);
      out.set(second[key], first[key].length);
      return out;
    };
    d.addTransitions(cat('obs'), cat('actions'), cat('rewards'), cat('nextObs'), cat('dones'), 60);
    await d.train(1);
    await d.sync();
    const td = d.save().tensors;
    for (const k of Object.keys(ta)) expect(Array.from(td[k]!), k).toEqual(Array.from(ta[k]!));
  });

  it('is deterministic per seed, and the seed matters', async () => {
    const run = async (seed: number) => {
      const g = await make({ ...cfg, seed: 5 });
      // same initial weights, different sampling/noise seed: only the GPU RNG key differs
      if (seed !== 5) {
        const h = await make({ ...cfg, seed });
        h.load(g.save());
        fill(h);
        await h.train(7);
        await h.sync();
        return h.save().tensors['actor.0.weight']!;
      }
      fill(g);
      await g.train(7); // 3 + 3 + 1 updates per submit
      await g.sync();
      return g.save().tensors['actor.0.weight']!;
    };
    const x = await run(5),
      y = await run(5),
      z = await run(6);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(Array.from(z)).not.toEqual(Array.from(x));
  });

  it('checkpoints are the CPU format: GPU → CPU → GPU', async () => {
    const g = await make();
    fill(g);
    await g.train(4);
    expect(() => g.save()).toThrow(/sync/);
    await g.sync();
    const bytes = encodeCheckpoint(g.save());
    const cpu = createSacAgent(cfg);
    cpu.load(decodeCheckpoint(bytes));
    expect(cpu.updates).toBe(4);
    const back = await make();
    back.load(cpu.save());
    expect(back.updates).toBe(4);
    const t1 = g.save().tensors,
      t2 = back.save().tensors;
    for (const k of Object.keys(t1)) expect(Array.from(t2[k]!), k).toEqual(Array.from(t1[k]!));
    // acting uses the refreshed policy: the CPU agent from the checkpoint acts identically
    const obs = new Float32Array([0.1, -0.2, 0.3, 0.4]);
    expect(Array.from(g.act(obs, { deterministic: true }))).toEqual(Array.from(cpu.act(obs, { deterministic: true })));
  });
});
