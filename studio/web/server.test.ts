// The WebSocket host end to end with a raw client: validation replies, a live run's events,
// the viewer's frames and ghost rollouts, and static files confined to the renderer folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StudioService } from '../service.ts';
import { serve, type Served } from './server.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-ws-'));
const staticDir = path.join(home, 'ui');
let service: StudioService;
let served: Served;
let ws: WebSocket;
const events: { event: string; data: Record<string, unknown> }[] = [];
const replies = new Map<number, { result?: unknown; error?: string }>();
let nextId = 1;

beforeAll(async () => {
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  service = new StudioService({ home });
  served = await serve(service, { port: 0, staticDir });
  ws = new WebSocket(`ws://127.0.0.1:${served.port}/api`);
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.event) events.push(m);
    else replies.set(m.id, m);
  });
  await new Promise((r) => ws.once('open', r));
});

afterAll(async () => {
  ws.close();
  await service.shutdown();
  await served.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function call(method: string, ...params: unknown[]): Promise<{ result?: unknown; error?: string }> {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params }));
  for (let i = 0; i < 600 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 50));
  return replies.get(id) ?? { error: 'timeout' };
}

const until = async (pred: () => boolean, ms = 60_000): Promise<void> => {
  const t = Date.now();
  while (!pred()) {
    if (Date.now() - t > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('shows the default task before any run is loaded', async () => {
  const st = (await call('viewer.state')).result as { runId: string | null; task: string };
  expect(st).toMatchObject({ runId: null, task: 'point/multigoal' });
});

it('answers invalid messages with errors and keeps serving', async () => {
  ws.send('not json');
  await until(() => replies.has(-1));
  expect(replies.get(-1)?.error).toMatch(/invalid message/);
  expect((await call('nope')).error).toBe('unknown method "nope"');
  expect((await call('getRun', 'missing-run')).error).toMatch(/run missing-run not found/);
  const sc = (await call('listScenarios')).result as { id: string }[];
  expect(sc.map((s) => s.id)).toContain('multigoal');
});

it('streams a run and the viewer, then stops with a checkpoint', async () => {
  const start = await call('startRun', 'multigoal', { steps: 100000, hidden: [32, 32], batchSize: 64, learningStarts: 200, logEvery: 100 });
  expect(start.error).toBeUndefined();
  const run = start.result as { id: string; status: string };
  await until(() => events.some((e) => e.event === 'run.metrics' && e.data.runId === run.id));
  const view = await call('viewer.load', run.id);
  expect(view.error).toBeUndefined();
  expect((view.result as { spec: { bodies: unknown[] } }).spec.bodies.length).toBeGreaterThan(0);
  await until(() => events.some((e) => e.event === 'viewer.frame' && e.data.runId === run.id));
  const frame = events.find((e) => e.event === 'viewer.frame')!.data as { poses: number[] };
  expect(frame.poses.length % 7).toBe(0);
  const ghosts = (await call('viewer.ghosts', 8, 10)).result as { trails: number[][] };
  expect(ghosts.trails).toHaveLength(8);
  const fromStart = (await call('viewer.ghosts', 4, 5, 'start')).result as { trails: number[][] };
  // Every ghost from the start begins one step from the same start point (near the origin).
  for (const tr of fromStart.trails) expect(Math.hypot(tr[0]!, tr[2]!)).toBeLessThan(2);
  const samples = (await call('viewer.actionSamples', 16)).result as { actions: number[]; actDim: number };
  expect(samples.actions).toHaveLength(16 * samples.actDim);
  expect((await call('deleteRun', run.id)).error).toMatch(/is running: stop it/);
  const stopped = (await call('stop', run.id)).result as { status: string; step: number };
  expect(stopped.status).toBe('stopped');
  expect(fs.existsSync(path.join(home, 'runs', run.id, 'checkpoints', `${stopped.step}.safetensors`))).toBe(true);
  const q = await call('viewer.qLandscape', 0, 1, 8);
  expect(q.error).toBeUndefined();
  expect((q.result as { q: number[] }).q).toHaveLength(64);
  expect((await call('deleteRun', run.id)).result).toMatchObject({ deleted: path.join(home, 'runs', run.id) });
  expect(fs.existsSync(path.join(home, 'runs', run.id))).toBe(false);
});

it('serves the UI and nothing outside it', async () => {
  const ok = await fetch(`${served.url}/`);
  expect(ok.status).toBe(200);
  const escape = await fetch(`${served.url}/..%2f..%2fetc%2fpasswd`);
  expect(escape.status).toBe(404);
});
