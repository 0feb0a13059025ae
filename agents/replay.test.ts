import { describe, expect, it } from 'vitest';
import { ReplayBuffer, addReplayToCheckpoint, restoreReplayFromCheckpoint } from './replay.ts';
import { createSacAgent } from './sac/sac.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint/safetensors.ts';
import { createRng } from './rng.ts';

describe('ReplayBuffer', () => {
  it('stores, wraps around, and samples whole transitions into reused arrays', () => {
    const r = new ReplayBuffer(5, 2, 1);
    for (let i = 0; i < 7; i++) r.add([i, -i], [i / 10], i * 100, [i + 1, -i - 1], i === 3);
    expect(r.size).toBe(5);
    const rng = createRng(1);
    const b = r.sample(64, rng);
    const seen = new Set<number>();
    for (let j = 0; j < 64; j++) {
      const i = b.obs[2 * j]!;
      seen.add(i);
      expect(i).toBeGreaterThanOrEqual(2); // 0 and 1 were overwritten
      expect(b.obs[2 * j + 1]).toBe(-i);
      expect(b.nextObs[2 * j]).toBe(i + 1);
      expect(b.actions[j]).toBeCloseTo(i / 10, 6);
      expect(b.rewards[j]).toBe(i * 100);
      expect(b.dones[j]).toBe(i === 3 ? 1 : 0);
    }
    expect(seen.size).toBe(5);
    expect(r.sample(64, rng)).toBe(b); // reused
  });

  it('addBatch (vec env) and export/import', () => {
    const r = new ReplayBuffer(10, 1, 1);
    r.addBatch(
      new Float32Array([1, 2, 3]),
      new Float32Array([0.1, 0.2, 0.3]),
      new Float32Array([1, 2, 3]),
      new Float32Array([4, 5, 6]),
      new Uint8Array([0, 1, 0]),
      3,
    );
    expect(r.size).toBe(3);
    expect(Array.from(r.dones.subarray(0, 3))).toEqual([0, 1, 0]);
    const s = r.exportState();
    const q = new ReplayBuffer(10, 1, 1);
    q.importState(s);
    expect(q.size).toBe(3);
    expect(Array.from(q.nextObs.subarray(0, 3))).toEqual([4, 5, 6]);
    expect(() => new ReplayBuffer(10, 2, 1).importState(s)).toThrow(/dims/);
    expect(() => new ReplayBuffer(0, 1, 1)).toThrow(/capacity/);
    expect(() => new ReplayBuffer(3, 1, 1).sample(2, createRng(0))).toThrow(/empty/);
  });

  it('travels inside a checkpoint', () => {
    const r = new ReplayBuffer(8, 3, 2);
    for (let i = 0; i < 5; i++) r.add([i, i, i], [0.5, -0.5], i, [i + 1, 0, 0], i === 4);
    const agent = createSacAgent({ obsDim: 3, actDim: 2, hidden: [4], batchSize: 2 });
    const c = decodeCheckpoint(encodeCheckpoint(addReplayToCheckpoint(agent.save(), r)));
    agent.load(c); // extra tensors do not disturb the agent
    const q = new ReplayBuffer(8, 3, 2);
    expect(restoreReplayFromCheckpoint(c, q)).toBe(true);
    expect(q.size).toBe(5);
    expect(Array.from(q.obs.subarray(0, 15))).toEqual(Array.from(r.obs.subarray(0, 15)));
    expect(Array.from(q.dones.subarray(0, 5))).toEqual([0, 0, 0, 0, 1]);
    expect(restoreReplayFromCheckpoint(agent.save(), q)).toBe(false);
  });
});
