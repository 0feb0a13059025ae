// A studio follows runs that another process trains (`maxent train` in a terminal): they appear in
// its run list and their state and metric rows arrive as events, as for runs trained in the studio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { MetricRow, RunInfo } from './api.ts';
import { jsonLines, runCli } from './cli-run.ts';
import { StudioService } from './service.ts';

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
