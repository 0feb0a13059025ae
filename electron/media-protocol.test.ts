// The maxent-media:// handler without Electron: URL validation, byte ranges, 200/206/404/416.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { handleMediaRequest, mediaVideoUrl, parseMediaUrl, parseRange } from './media-protocol.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-media-'));
const id = '20261123-142901-point-multigoal-035b51';
fs.mkdirSync(path.join(root, id, 'videos'), { recursive: true });
fs.writeFileSync(path.join(root, id, 'videos', 'clip.mp4'), '0123456789abcdef');
fs.writeFileSync(path.join(root, id, 'secret.mp4'), 'no');
const resolve = (runId: string, name: string) => path.join(root, runId, 'videos', name);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  handleMediaRequest({ url, method, headers: new Headers(headers) }, resolve);

it('builds and parses video URLs; refuses traversal, odd names and other hosts', () => {
  expect(parseMediaUrl(mediaVideoUrl(id, 'clip.mp4'))).toEqual({ runId: id, name: 'clip.mp4' });
  for (const u of [
    `maxent-media://videos/${id}/..%2Fsecret.mp4`,
    `maxent-media://videos/..%2F${id}/clip.mp4`,
    `maxent-media://videos/../clip.mp4`,
    `maxent-media://videos/${id}/videos/clip.mp4`,
    `maxent-media://videos/${id}/.hidden.mp4`,
    `maxent-media://videos/${id}/clip.txt`,
    `maxent-media://videos/..%2F..%2Fetc/passwd.mp4`,
    `maxent-media://videos/${id}/%E0%A4%A.mp4`,
    `maxent-media://other/${id}/clip.mp4`,
    `maxent-media://videos/${id}/clip.mp4?x=1`,
    `file:///videos/${id}/clip.mp4`,
    'not a url',
  ])
    expect(parseMediaUrl(u), u).toBeNull();
});

it('parses single byte ranges', () => {
  expect(parseRange(null, 16)).toBeNull();
  expect(parseRange('bytes=4-7', 16)).toEqual({ start: 4, end: 7 });
  expect(parseRange('bytes=4-', 16)).toEqual({ start: 4, end: 15 });
  expect(parseRange('bytes=-4', 16)).toEqual({ start: 12, end: 15 });
  expect(parseRange('bytes=10-99', 16)).toEqual({ start: 10, end: 15 });
  expect(parseRange('bytes=99-', 16)).toBe('unsatisfiable');
  expect(parseRange('bytes=7-4', 16)).toBe('unsatisfiable');
  expect(parseRange('bytes=-0', 16)).toBe('unsatisfiable');
  expect(parseRange('bytes=0-1,4-5', 16)).toBeNull(); // multi-range: whole file
  expect(parseRange('items=0-1', 16)).toBeNull();
});

it('serves the file with the right type, 206 for ranges, 416 past the end, 404 outside videos/', async () => {
  const url = mediaVideoUrl(id, 'clip.mp4');
  const ok = await get(url);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('video/mp4');
  expect(ok.headers.get('accept-ranges')).toBe('bytes');
  expect(await ok.text()).toBe('0123456789abcdef');
  const part = await get(url, { range: 'bytes=4-7' });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe('bytes 4-7/16');
  expect(part.headers.get('content-length')).toBe('4');
  expect(await part.text()).toBe('4567');
  const bad = await get(url, { range: 'bytes=99-' });
  expect(bad.status).toBe(416);
  expect(bad.headers.get('content-range')).toBe('bytes */16');
  const head = await get(url, {}, 'HEAD');
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe('16');
  expect((await get(url, {}, 'POST')).status).toBe(405);
  expect((await get(mediaVideoUrl(id, 'missing.mp4'))).status).toBe(404);
  expect((await get(`maxent-media://videos/${id}/..%2Fsecret.mp4`)).status).toBe(404);
});
