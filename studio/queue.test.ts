// The studio trains at most maxRuns runs at once; the rest wait queued, first in first out, and
// start as runs end. A queued run can be started now, taken off the queue, or deleted; a run that
// stopped or finished can be continued (with more steps) from its checkpoint.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { StudioService } from './service.ts';
import { tempHomes, tinyRun, untilRun as until } from './run-wait.ts';
import { resolveConfig } from './config.ts';
import { readStudioSettings, studioSettingsFile } from './runs/studio-settings.ts';
import { studioSessionFile, takeStudioSession, writeStudioSession } from './runs/studio-session.ts';

const home = tempHomes('queue');
const small = tinyRun;

it('queues runs past maxRuns and starts each when a slot frees, in order', async () => {
  const s = new StudioService({ home: home(), maxRuns: 1 });
  const order: string[] = [];
  const log: string[] = []; // "start a" / "end a", as they happen
  s.on('run.state', (r) => {
    if (r.status === 'running' && !order.includes(r.id)) {
      order.push(r.id);
      log.push(`start ${r.id}`);
    }
    if (r.status === 'finished' && !log.includes(`end ${r.id}`)) log.push(`end ${r.id}`);
  });
  try {
    const a = await s.startRun('point/multigoal', { ...small, steps: 600, seed: 1 });
    const b = await s.startRun('point/multigoal', { ...small, steps: 300, seed: 2 });
    const c = await s.startRun('point/multigoal', { ...small, steps: 300, seed: 3 });
    expect(a.status).not.toBe('queued');
    expect(b).toMatchObject({ status: 'queued', queuePosition: 1, elsewhere: false });
    expect(c).toMatchObject({ status: 'queued', queuePosition: 2 });
    expect(s.store.read(b.id).status).toBe('queued'); // run.json says so, for other processes
    await expect(s.pause(b.id)).rejects.toThrow(/is queued, not training yet/);
    await expect(s.resume(b.id, 100)).rejects.toThrow(/more steps can be added once it has stopped/);
    for (const r of [a, b, c]) await until(s, r.id, (x) => x.status === 'finished');
    // run.json can say finished a moment before the worker's status event arrives: wait for the last one.
    for (const end = Date.now() + 30_000; !log.includes(`end ${c.id}`) && Date.now() < end;) {
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(order).toEqual([a.id, b.id, c.id]);
    // Never two at once: each started after the one before finished.
    expect(log).toEqual([a, b, c].flatMap((r) => [`start ${r.id}`, `end ${r.id}`]));
  } finally {
    await s.shutdown();
  }
}, 300_000);

it('a queued run can be started now, taken off the queue, or deleted; a wider limit starts the rest', async () => {
  const s = new StudioService({ home: home(), maxRuns: 1 });
  try {
    // a trains until the test stops it, so the ordering below never depends on how fast this machine is.
    const a = await s.startRun('point/multigoal', { ...small, steps: 10_000_000, seed: 1 });
    const b = await s.startRun('point/multigoal', { ...small, steps: 200, seed: 2 });
    const c = await s.startRun('point/multigoal', { ...small, steps: 200, seed: 3 });
    const d = await s.startRun('point/multigoal', { ...small, steps: 200, seed: 4 });
    // Stop takes c off the queue: stopped at step 0, and d moves up.
    expect(await s.stop(c.id)).toMatchObject({ status: 'stopped', step: 0 });
    expect((await s.getRun(d.id)).queuePosition).toBe(2);
    await s.deleteRun(d.id);
    expect(fs.existsSync(path.join(s.store.root, d.id))).toBe(false);
    // Start now: past the limit, while a still trains.
    expect((await s.resume(b.id)).status).not.toBe('queued');
    await until(s, b.id, (x) => x.status === 'finished');
    expect((await s.getRun(a.id)).status).not.toBe('finished');
    // c, stopped before it ever ran, continues from step 0 (queued again behind a).
    expect((await s.resume(c.id)).status).toBe('queued');
    const info = await s.system.setMaxRuns(2);
    expect(info.maxRuns).toBe(2);
    await until(s, c.id, (x) => x.status === 'running' || x.status === 'finished');
    await until(s, c.id, (x) => x.status === 'finished');
    expect((await s.getRun(a.id)).status).toBe('running');
    expect((await s.stop(a.id)).status).toBe('stopped');
    await expect(s.system.setMaxRuns(0)).rejects.toThrow(/runs at once: a whole number from 1 to 64, got 0/);
  } finally {
    await s.shutdown();
  }
}, 300_000);

it('continues a finished run for more steps, and says why it will not without them', async () => {
  const s = new StudioService({ home: home() });
  try {
    const a = await s.startRun('point/multigoal', { ...small, steps: 400, seed: 1 });
    await until(s, a.id, (x) => x.status === 'finished');
    await expect(s.resume(a.id)).rejects.toThrow(/already finished its 400 steps \(pass more steps to continue\)/);
    const more = await s.resume(a.id, 300);
    expect(more.totalSteps).toBe(700);
    const done = await until(s, a.id, (x) => x.status === 'finished');
    expect(done.step).toBe(700);
    expect(s.store.readMetrics(a.id).at(-1)!.step).toBe(700);
  } finally {
    await s.shutdown();
  }
}, 300_000);

it('a studio that closes leaves its queued runs stopped; one that crashed leaves them (and runs it was starting) interrupted', async () => {
  const h = home();
  const s = new StudioService({ home: h, maxRuns: 1 });
  const a = await s.startRun('point/multigoal', { ...small, steps: 100_000, seed: 1 });
  const b = await s.startRun('point/multigoal', { ...small, steps: 200, seed: 2 });
  await s.shutdown();
  expect(s.store.read(b.id).status).toBe('stopped');
  expect(s.store.read(a.id).status).toBe('stopped');
  // A record queued by a process that is gone reads as interrupted, to resume.
  s.store.update(b.id, { status: 'queued', pid: 2 ** 22 + 12345, hostname: os.hostname() });
  const other = new StudioService({ home: h });
  expect((await other.getRun(b.id)).status).toBe('interrupted');
  // So does one a process created and died before its worker started (it used to read "created" for ever).
  s.store.update(b.id, { status: 'created', pid: 2 ** 22 + 12345, hostname: os.hostname() });
  expect((await other.getRun(b.id)).status).toBe('interrupted');
  const resumed = await other.resume(b.id);
  expect(resumed.status).not.toBe('interrupted');
  expect((await other.waitFor(b.id)).status).toBe('finished');
  await other.shutdown();
});

it('saves the runs-at-once choice beside the runs, and survives a corrupt settings file', async () => {
  const h = home();
  const s = new StudioService({ home: h, maxRuns: 'saved' });
  expect((await s.system.info()).maxRuns).toBe(os.availableParallelism());
  await s.system.setMaxRuns(3);
  expect(readStudioSettings(h).settings.maxRuns).toBe(3);
  expect((await new StudioService({ home: h, maxRuns: 'saved' }).system.info()).maxRuns).toBe(3);
  // A CLI command's service has no limit and saves nothing.
  const cli = new StudioService({ home: h });
  expect((await cli.system.info()).maxRuns).toBe(null);
  await cli.system.setMaxRuns(5);
  expect(readStudioSettings(h).settings.maxRuns).toBe(3);
  fs.writeFileSync(studioSettingsFile(h), '{"format":"maxent-studio-settings","version":1,"maxRuns":"lots"}');
  expect(readStudioSettings(h).problem).toMatch(/studio\.json is not valid \(studio\.json\.maxRuns: expected an integer/);
  fs.writeFileSync(studioSettingsFile(h), '{ torn');
  expect(readStudioSettings(h).problem).toMatch(/studio\.json is unreadable/);
  const again = new StudioService({ home: h, maxRuns: 'saved' });
  expect((await again.system.info()).maxRuns).toBe(os.availableParallelism());
  await again.system.setMaxRuns(2); // replaces the corrupt file
  expect(readStudioSettings(h)).toEqual({ settings: { maxRuns: 2 } });
});

it('a studio host continues next time what it was training or queuing when it closed', async () => {
  const h = home();
  const host = new StudioService({ home: h, maxRuns: 1, keepSession: true });
  const a = await host.startRun('point/multigoal', { ...small, steps: 10_000_000, seed: 1 });
  const b = await host.startRun('point/multigoal', { ...small, steps: 300, seed: 2 });
  const c = await host.startRun('point/multigoal', { ...small, steps: 300, seed: 3 });
  await host.stop(c.id); // taken off the queue by the user: stays stopped
  await until(host, a.id, (x) => x.status === 'running');
  await host.shutdown();
  expect([a, b, c].map((r) => host.store.read(r.id).status)).toEqual(['stopped', 'stopped', 'stopped']);
  expect(JSON.parse(fs.readFileSync(studioSessionFile(h), 'utf8')).continue).toEqual([a.id, b.id]);

  // A CLI command's service neither saves nor continues anything.
  const cli = new StudioService({ home: h });
  await cli.shutdown();
  expect(fs.existsSync(studioSessionFile(h))).toBe(true);

  const logs: string[] = [];
  const next = new StudioService({ home: h, maxRuns: 1, keepSession: true });
  next.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
  try {
    const continued = await next.continueSession();
    expect(continued.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(continued[1]).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(fs.existsSync(studioSessionFile(h))).toBe(false); // read once: a second start continues nothing
    expect(await next.continueSession()).toEqual([]);
    expect((await next.getRun(c.id)).status).toBe('stopped');
    expect(logs).toContain('info: continued 2 runs from the last session');
    // a continues from its checkpoint, not from step 0.
    const resumed = await until(next, a.id, (x) => x.status === 'running');
    expect(resumed.step).toBeGreaterThan(0);
  } finally {
    await next.shutdown();
  }

  // A run deleted since, or a damaged file, is named in the log and starts nothing.
  const again = new StudioService({ home: h, maxRuns: 1, keepSession: true });
  again.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
  await again.deleteRun(b.id);
  expect((await again.continueSession()).map((r) => r.id)).toEqual([a.id]);
  expect(logs).toContain(`warn: run ${b.id} was not continued: it was deleted`);
  await again.shutdown();
  fs.writeFileSync(studioSessionFile(h), '{"format":"maxent-studio-session","version":1,"continue":["../etc"]}');
  const last = new StudioService({ home: h, keepSession: true });
  last.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
  expect(await last.continueSession()).toEqual([]);
  expect(logs.at(-1)).toMatch(/session\.json is not valid \(session\.json\.continue\[0\]: expected a string matching/);
  expect((await last.getRun(a.id)).status).toBe('stopped');
  await last.shutdown();
}, 300_000);

it("another process's training run on this machine takes a slot; the queue starts when it ends", async () => {
  const h = home();
  const s = new StudioService({ home: h, maxRuns: 1 });
  // A stand-in for a `maxent train` in a terminal: a record held by a live process here.
  const sleeper = spawn('sleep', ['60']);
  try {
    const other = s.store.create({
      name: 'terminal run',
      scenarioId: null,
      parentRunId: null,
      parentStep: null,
      config: resolveConfig('point/multigoal', {}),
      backend: 'cpu',
      device: 'cpu',
    });
    s.store.update(other.id, { status: 'running', pid: sleeper.pid!, hostname: os.hostname() });
    s.watchOtherProcesses(50);
    const a = await s.startRun('point/multigoal', { ...small, steps: 300, seed: 1 });
    expect(a).toMatchObject({ status: 'queued', queuePosition: 1 });
    // While that process trains, a waits.
    await new Promise((res) => setTimeout(res, 300));
    expect((await s.getRun(a.id)).status).toBe('queued');
    sleeper.kill(); // its process dies: the run reads interrupted and its slot is free
    await until(s, a.id, (x) => x.status === 'finished');
  } finally {
    sleeper.kill();
    await s.shutdown();
  }
}, 120_000);

it('two studios on one home: the second to close adds its runs to the first one’s, and one with none leaves them', async () => {
  const h = home();
  writeStudioSession(h, ['run-a', 'run-b']);
  writeStudioSession(h, []); // a studio that trained nothing
  writeStudioSession(h, ['run-c', 'run-a']);
  expect(JSON.parse(fs.readFileSync(studioSessionFile(h), 'utf8')).continue).toEqual(['run-a', 'run-b', 'run-c']);
  expect(takeStudioSession(h).runIds).toEqual(['run-a', 'run-b', 'run-c']);
  expect(fs.existsSync(studioSessionFile(h))).toBe(false);
});
