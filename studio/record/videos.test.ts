// Saved videos: listing, the HTTP route's confinement to runs/<id>/videos/, byte ranges, and a
// deterministic recorder.rollout (same options, same poses; ghosts leave the main rollout alone).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StudioService } from '../service.ts';
import { serve, type Served } from '../web/server.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-videos-'));
const staticDir = path.join(home, 'ui');
let service: StudioService;
let served: Served;
let runId = '';

beforeAll(async () => {
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  service = new StudioService({ home });
  const run = await service.startRun('point/multigoal', { steps: 300, hidden: [16, 16], batchSize: 32, learningStarts: 100 });
  runId = run.id;
  await service.waitFor(runId);
  served = await serve(service, { port: 0, staticDir });
});

afterAll(async () => {
  await service.shutdown();
  await served.close();
  fs.rmSync(home, { recursive: true, force: true });
});

it('lists saved videos and serves them (with byte ranges) only from the run videos folder', async () => {
  expect(await service.recorder.list(runId)).toEqual([]);
  const bytes = Buffer.from('0123456789abcdef');
  await service.recorder.save(runId, 'clip.mp4', bytes.toString('base64'));
  fs.writeFileSync(path.join(home, 'runs', runId, 'secret.mp4'), 'no');
  fs.writeFileSync(path.join(home, 'runs', 'x.mp4'), 'no');
  const list = await service.recorder.list(runId);
  expect(list.map((v) => [v.name, v.bytes])).toEqual([['clip.mp4', 16]]);
  await expect(service.recorder.list('no-such-run')).rejects.toThrow(/not found/);

  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${served.url}${p}`, { headers });
  const ok = await get(`/runs/${runId}/videos/clip.mp4`);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('video/mp4');
  expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true);
  const part = await get(`/runs/${runId}/videos/clip.mp4`, { range: 'bytes=4-7' });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe('bytes 4-7/16');
  expect(await part.text()).toBe('4567');
  expect((await get(`/runs/${runId}/videos/clip.mp4`, { range: 'bytes=99-' })).status).toBe(416);
  for (const p of [
    `/runs/${runId}/videos/..%2Fsecret.mp4`,
    `/runs/..%2F${runId}/videos/clip.mp4`,
    '/runs/../videos/x.mp4',
    '/runs/../x.mp4',
    `/runs/${runId}/videos/missing.mp4`,
    `/runs/${runId}/videos/%E0%A4%A.mp4`,
  ]) {
    expect((await get(p)).status, p).toBe(404);
  }
});

it('a saved video is never replaced unless asked: the second of two saves under one name fails', async () => {
  const a = Buffer.from('first video').toString('base64');
  const b = Buffer.from('second video').toString('base64');
  const { path: file } = await service.recorder.save(runId, 'same.mp4', a);
  await expect(service.recorder.save(runId, 'same.mp4', b)).rejects.toThrow(/already has a video named same\.mp4/);
  expect(fs.readFileSync(file, 'utf8')).toBe('first video');
  await service.recorder.save(runId, 'same.mp4', b, true);
  expect(fs.readFileSync(file, 'utf8')).toBe('second video');
  // No temp files left by the refused save.
  expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  await expect(service.recorder.save(runId, '.hidden.mp4', a)).rejects.toThrow(/invalid video name/);
  // Deleting: that one file, named; nothing outside videos/.
  expect((await service.recorder.remove(runId, 'same.mp4')).removed).toBe(file);
  expect(fs.existsSync(file)).toBe(false);
  await expect(service.recorder.remove(runId, 'same.mp4')).rejects.toThrow(/has no video named same\.mp4/);
  await expect(service.recorder.remove(runId, '../run.json' as string)).rejects.toThrow(/invalid video name/);
  expect(fs.existsSync(path.join(home, 'runs', runId, 'run.json'))).toBe(true);
});

it('recorder.rollout is deterministic and reports the checkpoint it used', async () => {
  const a = await service.recorder.rollout(runId, { episodes: 2, seed: 9, stochastic: true });
  const b = await service.recorder.rollout(runId, { episodes: 2, seed: 9, stochastic: true, ghosts: 3 });
  expect(a.checkpointStep).toBe(300);
  expect(b.episodes.map((e) => e.poses)).toEqual(a.episodes.map((e) => e.poses));
  expect(b.episodes[0]!.ghosts!.trails).toHaveLength(3);
  for (const e of a.episodes) {
    expect(e.stateSteps).toHaveLength(e.steps + 1);
    expect(e.poses).toHaveLength((e.steps + 1) * 7);
  }
  const skip = await service.recorder.rollout(runId, { episodes: 1, seed: 9, frameSkip: 4 });
  const L = skip.episodes[0]!.steps;
  expect(skip.episodes[0]!.stateSteps).toHaveLength(1 + Math.ceil(L / 4));
  expect(skip.episodes[0]!.stateSteps.at(-1)).toBe(L);
});
