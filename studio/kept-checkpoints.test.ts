// Kept policies: a run keeps its policy at each tenth of its budget (agent state only, no replay)
// beside the newest full checkpoints, so the viewer, Evaluate and Record can show how it grew
// after the full checkpoints of those steps are pruned.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeCheckpoint } from '../agents/index.ts';
import { jsonLines, runCli } from './cli-run.ts';
import { loadRunAgent } from './run-agent.ts';
import { StudioService } from './service.ts';
import { keepsPolicy } from './worker/train-loop.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-kept-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('keeps the checkpoint that crosses each tenth of the run (or each keepEvery), and always the final one', () => {
  const kept = (cfg: { steps: number; keepEvery?: number }, every: number, from = 0) => {
    const out: number[] = [];
    for (let prev = from, s = from + every; prev < cfg.steps; prev = s, s = Math.min(s + every, cfg.steps))
      if (keepsPolicy(cfg, prev, s)) out.push(s);
    return out;
  };
  expect(kept({ steps: 100 }, 10)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  expect(kept({ steps: 100 }, 4)).toEqual([12, 20, 32, 40, 52, 60, 72, 80, 92, 100]);
  expect(kept({ steps: 100 }, 30)).toEqual([30, 60, 90, 100]);
  expect(kept({ steps: 100, keepEvery: 25 }, 10)).toEqual([30, 50, 80, 100]);
  expect(kept({ steps: 100, keepEvery: 0 }, 10)).toEqual([100]);
  // A resumed run (from 50, its budget raised to 150) goes on by tenths of the new budget.
  expect(kept({ steps: 150 }, 10, 50)).toEqual([60, 80, 90, 110, 120, 140, 150]);
});

it('a finished run can be viewed, evaluated and rolled out at a kept step whose full checkpoint is gone', async () => {
  const t = await runCli(
    ['train', 'point/multigoal', '--steps', '2000', '--hidden', '8', '--checkpoint-every', '100', '--log-every', '500', '--json'],
    { home, timeoutMs: 120_000 },
  );
  expect(t.code, t.stderr).toBe(0);
  const id = jsonLines(t.stdout).find((l) => l.event === 'done')!.runId as string;
  const dir = path.join(home, 'runs', id, 'checkpoints');
  const tenths = [200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000];
  expect(
    fs
      .readdirSync(path.join(dir, 'kept'))
      .filter((f) => f.endsWith('.safetensors'))
      .map((f) => Number(f.split('.')[0]))
      .sort((a, b) => a - b),
  ).toEqual(tenths);
  const service = new StudioService({ home });
  try {
    const info = await service.getRun(id);
    expect(info.checkpoints).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 1900, 2000]);
    // A kept policy is the agent alone: no replay, no loop state, and far smaller.
    const lean = decodeCheckpoint(new Uint8Array(fs.readFileSync(path.join(dir, 'kept', '2000.safetensors'))));
    const full = decodeCheckpoint(new Uint8Array(fs.readFileSync(path.join(dir, '2000.safetensors'))));
    expect(Object.keys(lean.tensors).some((k) => k.startsWith('replay') || k.startsWith('loop'))).toBe(false);
    expect(Object.keys(full.tensors).some((k) => k.startsWith('replay'))).toBe(true);
    for (const k of Object.keys(lean.tensors)) expect(full.tensors[k], k).toEqual(lean.tensors[k]);
    expect(fs.statSync(path.join(dir, 'kept', '2000.safetensors')).size).toBeLessThan(
      fs.statSync(path.join(dir, '2000.safetensors')).size / 2,
    );

    // The policy at 400 differs from the final one, and every view of it is that policy.
    const at400 = await loadRunAgent(service.store, id, 400);
    const last = await loadRunAgent(service.store, id);
    expect(at400.agent.exportPolicy().step).toBeLessThan(last.agent.exportPolicy().step);
    const view = await service.viewer.load(id, 400);
    expect(view).toMatchObject({ runId: id, checkpointStep: 400, policyStep: at400.agent.exportPolicy().step });
    // Pinned: weights streamed from training (were the run live) leave the shown policy alone.
    const sim = (service as unknown as { viewerSim: { setSnapshot(id: string, s: unknown): void } }).viewerSim;
    sim.setSnapshot(id, last.agent.exportPolicy());
    expect((await service.viewer.state()).policyStep).toBe(at400.agent.exportPolicy().step);
    expect((await service.viewer.load(id)).checkpointStep).toBeNull();
    await expect(service.viewer.load(id, 450)).rejects.toThrow(
      /450\.safetensors does not exist \(run \S+ has checkpoints at steps 200, 400, /,
    );
    const rep = await service.evaluate(id, { episodes: 2, step: 400 });
    expect(rep.checkpointStep).toBe(400);
    const roll = await service.recorder.rollout(id, { episodes: 1, step: 400 });
    expect(roll.checkpointStep).toBe(400);
    // With the full checkpoints deleted (to save space), the newest kept policy stands in.
    for (const f of fs.readdirSync(dir)) if (/^\d+\.(safetensors|json)$/.test(f)) fs.rmSync(path.join(dir, f));
    expect(service.store.latestCheckpoint(id)).toBeNull();
    expect((await service.evaluate(id, { episodes: 1 })).checkpointStep).toBe(2000);
    expect((await service.viewer.load(id)).policyStep).toBe(last.agent.exportPolicy().step);
    // Resumed, it goes on from that policy (no replay, reseeded envs), keeping its metrics.
    const rowsBefore = service.store.readMetrics(id);
    const more = await runCli(['resume', id, '--steps', '200', '--json'], { home, timeoutMs: 120_000 });
    expect(more.code, more.stderr).toBe(0);
    const warn = jsonLines(more.stdout).find((l) => l.event === 'log' && l.level === 'warn');
    expect(warn?.message).toMatch(
      /only a kept policy is left at step 2000 \(no replay buffer, no loop state\): the run resumes from that policy/,
    );
    expect(service.store.readMetrics(id).slice(0, rowsBefore.length)).toEqual(rowsBefore);
    expect((await service.getRun(id)).step).toBe(2200);
    // The CLI says which steps there are when asked for one that has none.
    const missing = await runCli(['eval', id, '--step', '300'], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has checkpoints at steps 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2100, 2200\)/);
  } finally {
    await service.shutdown();
  }
}, 300_000);
