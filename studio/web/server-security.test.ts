// `maxent serve` against hostile requests: pages on other sites and DNS-rebound names may not
// reach the API (Origin and Host checks), and malformed requests get an error, never a crash.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { StudioService } from '../service.ts';
import { MAX_MESSAGE_BYTES, serve, type Served } from './server.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-ws-security-'));
const staticDir = path.join(home, 'ui');
let service: StudioService;
let served: Served;

beforeAll(async () => {
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  service = new StudioService({ home });
  served = await serve(service, { port: 0, staticDir });
});

afterAll(async () => {
  await service.shutdown();
  await served.close();
  fs.rmSync(home, { recursive: true, force: true });
});

afterEach(() => vi.restoreAllMocks());

/** Opens /api with these headers: 'open' after a round trip, or the refusal's status and text. */
function connect(headers: { origin?: string; host?: string }): Promise<{ open: true } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${served.port}/api`, {
      ...(headers.origin ? { origin: headers.origin } : {}),
      headers: headers.host ? { host: headers.host } : {},
    });
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'listScenarios', params: [] })));
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id?: number; result?: unknown };
      if (m.id !== 1) return;
      ws.close();
      resolve({ open: true });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (e) => reject(e));
  });
}

/** GET path with a Host header of our choosing. */
function get(p: string, host = `127.0.0.1:${served.port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: served.port, path: p, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Sends raw bytes and resolves with everything the server answered before closing. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(served.port, '127.0.0.1', () => s.write(request));
    let out = '';
    s.on('data', (c) => (out += c.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(10_000, () => s.destroy(new Error(`no answer to ${JSON.stringify(request)}`)));
  });
}

describe('cross-site requests', () => {
  it('lets the pages it serves, and clients without an Origin, use the API', async () => {
    expect(await connect({})).toEqual({ open: true });
    expect(await connect({ origin: `http://127.0.0.1:${served.port}` })).toEqual({ open: true });
    expect(await connect({ origin: `http://localhost:${served.port}`, host: `localhost:${served.port}` })).toEqual({ open: true });
    expect(await connect({ origin: `http://[::1]:${served.port}`, host: `[::1]:${served.port}` })).toEqual({ open: true });
  });

  it('refuses a WebSocket from another origin with 403 and a reason', async () => {
    for (const origin of [
      'https://evil.example',
      `http://evil.example:${served.port}`,
      `http://127.0.0.1:${served.port + 1}`,
      `https://127.0.0.1:${served.port}`,
      'null',
    ]) {
      const r = await connect({ origin });
      expect(r, origin).toMatchObject({ status: 403 });
      expect((r as { body: string }).body, origin).toMatch(/forbidden: a WebSocket from .*only pages this server serves/);
    }
  });

  it('refuses HTTP and WebSocket requests for another Host (DNS rebinding) with 403', async () => {
    expect((await get('/')).status).toBe(200);
    expect((await get('/', `localhost:${served.port}`)).status).toBe(200);
    const rebound = await get('/', `evil.example:${served.port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/Host "evil.example:\d+" is not this server \(open http:\/\/127.0.0.1:\d+\/\)/);
    expect((await get('/', '127.0.0.1')).status).toBe(403); // another port
    const ws = await connect({ host: `evil.example:${served.port}` });
    expect(ws).toMatchObject({ status: 403 });
    expect(await raw('GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1.1 403 [^]*no Host header/);
  });

  it('caps a WebSocket message at the longest string it could parse, well under 1 GiB', () => {
    // A 5-minute 720p recording at the recorder's bitrate (0.1 bit per pixel) fits as base64.
    const fiveMinutes = ((1280 * 720 * 30 * 0.1) / 8) * 300 * (4 / 3);
    expect(MAX_MESSAGE_BYTES).toBeGreaterThan(fiveMinutes);
    expect(MAX_MESSAGE_BYTES).toBeLessThan(1024 ** 3);
  });
});

describe('malformed requests', () => {
  const host = (): string => `Host: 127.0.0.1:${served.port}\r\n`;

  it('answers a malformed percent-escape with 400 and goes on serving', async () => {
    expect(await raw(`GET /%E0%A4%A HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`)).toMatch(
      /^HTTP\/1.1 400 [^]*malformed percent-encoding/,
    );
    expect((await get('/')).status).toBe(200);
  });

  it('answers a request target that is not a path with 400 and goes on serving', async () => {
    expect(await raw(`GET http://[ HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1.1 400 /);
    expect(await raw(`GET http://127.0.0.1/ HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1.1 400 /);
    expect((await get('/')).status).toBe(200);
  });

  it('answers 404 for a video that goes before its stat, survives a failed read, and answers 500 for any other failure', async () => {
    const config = { task: 'point/multigoal', seed: 0 } as never;
    const run = service.store.create({ scenarioId: null, parentRunId: null, parentStep: null, config, backend: 'cpu', device: 'cpu' });
    fs.writeFileSync(path.join(service.store.dir(run.id), 'videos', 'clip.mp4'), '0123');
    const stat = fs.statSync;
    vi.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
      if (String(p).endsWith('clip.mp4')) throw Object.assign(new Error(`ENOENT: ${String(p)}`), { code: 'ENOENT' });
      return stat(p, o);
    }) as typeof fs.statSync);
    expect((await get(`/runs/${run.id}/videos/clip.mp4`)).status).toBe(404);
    vi.restoreAllMocks();
    expect((await get(`/runs/${run.id}/videos/clip.mp4`)).body).toBe('0123');
    // A read that fails once the headers are out (a disk error) ends that response only.
    vi.spyOn(fs, 'createReadStream').mockImplementation(
      () =>
        new Readable({
          read() {
            this.destroy(new Error('EIO: i/o error'));
          },
        }) as fs.ReadStream,
    );
    await expect(get(`/runs/${run.id}/videos/clip.mp4`)).rejects.toThrow();
    vi.restoreAllMocks();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(fs, 'createReadStream').mockImplementation(() => {
      throw new Error('unexpected');
    });
    expect((await get('/')).status).toBe(500);
    vi.restoreAllMocks();
    expect((await get('/')).status).toBe(200);
  });
});
