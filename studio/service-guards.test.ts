// The studio never trains or deletes what another process holds, never quietly trains a fine-tune
// from scratch, and survives a queued run's folder vanishing under it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { tempHomes, tinyRun, untilRun } from './run-wait.ts';
import { StudioService } from './service.ts';

const home = tempHomes('guards');
const small = tinyRun;
const record = (s: StudioService, over: { parentRunId?: string; parentStep?: number } = {}) =>
  s.store.create({
    scenarioId: null,
    parentRunId: over.parentRunId ?? null,
    parentStep: over.parentStep ?? null,
    config: resolveConfig('point/multigoal', { steps: 300 }),
    backend: 'cpu-ts',
    device: 'test',
  });

it('a queued run whose folder is deleted is skipped with a warning; the studio goes on', async () => {
  const s = new StudioService({ home: home(), maxRuns: 1, keepSession: false });
  const logs: string[] = [];
  s.on('log', (l) => logs.push(l.message));
  try {
    const a = await s.startRun('point/multigoal', { ...small, steps: 400, seed: 1 });
    const b = await s.startRun('point/multigoal', { ...small, steps: 300, seed: 2 });
    const c = await s.startRun('point/multigoal', { ...small, steps: 300, seed: 3 });
    expect(b.status).toBe('queued');
    fs.rmSync(s.store.dir(b.id), { recursive: true });
    await untilRun(s, c.id, (r) => r.status === 'finished');
    expect((await s.getRun(a.id)).status).toBe('finished');
    expect(logs.some((m) => m.includes(`queued run ${b.id} was not started`) && m.includes('not found'))).toBe(true);
  } finally {
    await s.shutdown();
  }
}, 300_000);

it('a fine-tune with no checkpoint of its own does not continue once its parent is deleted', async () => {
  const s = new StudioService({ home: home(), keepSession: false });
  try {
    const parent = record(s);
    const child = record(s, { parentRunId: parent.id, parentStep: 300 });
    s.store.remove(parent.id);
    const before = fs.readFileSync(path.join(s.store.dir(child.id), 'run.json'), 'utf8');
    await expect(s.resumeRun(child.id)).rejects.toThrow(
      new RegExp(`run ${child.id} is a fine-tune of ${parent.id}, which was deleted, and has no checkpoint of its own yet`),
    );
    expect(fs.readFileSync(path.join(s.store.dir(child.id), 'run.json'), 'utf8')).toBe(before);
  } finally {
    await s.shutdown();
  }
});

it('a run another process holds (training, or starting) is neither deleted nor started a second time', async () => {
  const s = new StudioService({ home: home(), keepSession: false });
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    const rec = record(s);
    for (const status of ['running', 'created'] as const) {
      s.store.update(rec.id, { status, pid: other.pid!, hostname: os.hostname() });
      await expect(s.deleteRun(rec.id)).rejects.toThrow(new RegExp(`is ${status} in another process \\(pid ${other.pid}\\)`));
      await expect(s.resumeRun(rec.id)).rejects.toThrow(/in another process/);
      expect(fs.existsSync(s.store.dir(rec.id))).toBe(true);
    }
    // Once that process is gone the run reads as interrupted, and can be deleted.
    other.kill();
    await new Promise((r) => other.once('exit', r));
    await expect(s.deleteRun(rec.id)).resolves.toMatchObject({ deleted: s.store.dir(rec.id) });
  } finally {
    other.kill();
    await s.shutdown();
  }
});

it('a run the list leaves out (its run.json unreadable) is named in a warning, once', async () => {
  const s = new StudioService({ home: home(), keepSession: false });
  const logs: string[] = [];
  s.on('log', (l) => logs.push(l.message));
  try {
    const good = record(s);
    const bad = record(s);
    fs.writeFileSync(path.join(s.store.dir(bad.id), 'run.json'), '{"format": "maxent-run", torn');
    expect((await s.listRuns()).map((r) => r.id)).toEqual([good.id]);
    await s.listRuns();
    expect(logs.filter((m) => m.includes(bad.id))).toEqual([expect.stringMatching(/^a run is not listed: .*run\.json is corrupt/)]);
  } finally {
    await s.shutdown();
  }
});

it('two runs chosen in quick succession: the viewer shows the last one, whose env loads faster', async () => {
  const s = new StudioService({ home: home(), keepSession: false });
  try {
    const ant = s.store.create({
      scenarioId: null,
      parentRunId: null,
      parentStep: null,
      config: resolveConfig('ant/run-any', { steps: 300 }),
      backend: 'cpu-ts',
      device: 'test',
    });
    const point = record(s);
    const [a, b] = await Promise.all([s.viewer.load(ant.id), s.viewer.load(point.id)]);
    for (const st of [a, b, await s.viewer.state()])
      expect({ run: st.runId, task: st.task }).toEqual({ run: point.id, task: 'point/multigoal' });
  } finally {
    await s.shutdown();
  }
});
