// A studio follows runs that another process trains (`maxent train` in a terminal): they appear in
// its run list and their state and metric rows arrive as events, as for runs trained in the studio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { MetricRow, RunInfo } from './api.ts';
import { jsonLines, runCli } from './cli-run.ts';
import { StudioService } from './service.ts';
import { resolveConfig } from './config.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-watch-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const small = ['--hidden', '8', '--batch', '32', '--learning-starts', '100', '--log-every', '100', '--json'];

it("follows a terminal's training run: its state and every new metric row, once", async () => {
  const before = await runCli(['train', 'point/multigoal', '--steps', '200', ...small], { home, timeoutMs: 120_000 });
  const oldId = jsonLines(before.stdout).find((l) => l.event === 'done')!.runId as string;
  const service = new StudioService({ home });
  const states: RunInfo[] = [];
  const rows = new Map<string, MetricRow[]>();
  service.on('run.state', (r) => states.push(r));
  service.on('run.metrics', (m) => rows.set(m.runId, [...(rows.get(m.runId) ?? []), ...m.rows]));
  try {
    service.watchOtherProcesses(50);
    const t = await runCli(['train', 'point/multigoal', '--steps', '4000', ...small], { home, timeoutMs: 240_000 });
    expect(t.code, t.stderr).toBe(0);
    const id = jsonLines(t.stdout).find((l) => l.event === 'done')!.runId as string;
    await new Promise((r) => setTimeout(r, 300));
    // The run already there and unchanged says nothing; the new one reports its progress.
    expect(states.some((s) => s.id === oldId)).toBe(false);
    const mine = states.filter((s) => s.id === id);
    expect(mine.some((s) => s.status === 'running' && s.elsewhere)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ status: 'finished', step: 4000, elsewhere: false });
    // Rows after the run was first seen, each once and in order, ending with the file's last.
    const got = (rows.get(id) ?? []).map((r) => r.step);
    const file = service.store.readMetrics(id).map((r) => r.step);
    expect(got.length).toBeGreaterThan(5);
    expect(got).toEqual(file.slice(file.length - got.length));
    // Finished, it is no longer anyone's to control.
    expect((await service.getRun(id)).elsewhere).toBe(false);
  } finally {
    await service.shutdown();
  }
}, 300_000);

it('a run another process resumes from an earlier checkpoint: its rewritten rows replace the old ones', async () => {
  const service = new StudioService({ home });
  const events: { runId: string; rows: MetricRow[]; replace?: boolean }[] = [];
  service.on('run.metrics', (m) => events.push(m));
  const store = service.store;
  const rec = store.create({
    scenarioId: null,
    parentRunId: null,
    parentStep: null,
    config: resolveConfig('point/multigoal', { steps: 1000 }),
    backend: 'cpu',
    device: 't',
  });
  const row = (step: number, ret: number): MetricRow => ({ step, time: step / 100, episodes: step / 100, episodeReturn: ret });
  const tick = () => new Promise((r) => setTimeout(r, 120));
  // Another process (the pid of this test, so the run reads as live) has trained to 400.
  store.update(rec.id, { status: 'running', pid: process.pid, hostname: os.hostname() });
  store.appendMetrics(rec.id, [row(100, -1), row(200, -2), row(300, -3), row(400, -4)]);
  store.update(rec.id, { step: 400 });
  try {
    service.watchOtherProcesses(40);
    await tick();
    store.appendMetrics(rec.id, [row(500, -5)]);
    store.update(rec.id, { step: 500 });
    await tick();
    expect(events.map((e) => [e.rows.map((r) => r.step), !!e.replace])).toEqual([[[500], false]]);
    // Killed, then resumed from its checkpoint at 200: rows after 200 are written again.
    store.truncateMetrics(rec.id, 200);
    store.appendMetrics(rec.id, [row(300, 30)]);
    store.update(rec.id, { step: 300 });
    await tick();
    const last = events.at(-1)!;
    expect(last.replace).toBe(true);
    expect(last.rows.map((r) => [r.step, r.episodeReturn])).toEqual([
      [100, -1],
      [200, -2],
      [300, 30],
    ]);
    // Then it goes on as before: only new rows.
    store.appendMetrics(rec.id, [row(400, 40)]);
    store.update(rec.id, { step: 400 });
    await tick();
    expect(events.at(-1)).toEqual({ runId: rec.id, rows: [row(400, 40)] });
  } finally {
    await service.shutdown();
  }
});

it('a run resumed in the studio sends its whole metrics with its first new row, so charts drop rows it wrote again', async () => {
  const service = new StudioService({ home });
  const events: { runId: string; rows: MetricRow[]; replace?: boolean }[] = [];
  service.on('run.metrics', (m) => events.push(m));
  const finished = (id: string) =>
    new Promise<void>((resolve) => {
      const off = service.on('run.state', (r) => {
        if (r.id === id && r.status === 'finished') {
          off();
          resolve();
        }
      });
    });
  try {
    const cfg = { steps: 300, hidden: [8], batchSize: 32, learningStarts: 100, logEvery: 100, checkpointEvery: 100 };
    const run = await service.startRunWithConfig('point/multigoal', cfg, null);
    await finished(run.id);
    expect(events.every((e) => !e.replace && e.rows.length === 1)).toBe(true);
    events.length = 0;
    await service.resumeRun(run.id, 200);
    await finished(run.id);
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine[0]!.replace).toBe(true);
    expect(mine[0]!.rows.map((r) => r.step)).toEqual([100, 200, 300, 400]);
    expect(mine.slice(1).map((e) => [e.replace, e.rows.map((r) => r.step)])).toEqual([[undefined, [500]]]);
  } finally {
    await service.shutdown();
  }
}, 120_000);
