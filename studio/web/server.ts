// `maxent serve`: serves the built renderer over HTTP and StudioApi over a WebSocket at /api.
// Loopback only by default: the studio can start processes and write files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../api.ts';
import { dispatch } from '../dispatch.ts';
import { videoFile } from '../record/videos.ts';
import type { StudioService } from '../service.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

export const defaultStaticDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface ServeOptions {
  port?: number;
  host?: string;
  staticDir?: string;
}

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serve(service: StudioService, opts: ServeOptions = {}): Promise<Served> {
  const staticDir = path.resolve(opts.staticDir ?? defaultStaticDir);
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`the UI is not built (${staticDir}/index.html missing): run \`npm run build:renderer\` or use \`npm run serve\``);
  }
  const server = http.createServer((req, res) => {
    // Saved rollout videos, for in-app playback and download (confined to runs/<id>/videos/).
    const m = /^\/runs\/([^/]+)\/videos\/([^/]+)$/.exec((req.url ?? '/').split('?')[0]!);
    if (m) serveVideo(service, safeDecode(m[1]!), safeDecode(m[2]!), req, res);
    else serveStatic(staticDir, req, res);
  });
  const wss = new WebSocketServer({ server, path: '/api', maxPayload: 1024 * 1024 * 1024 });
  const clients = new Set<WebSocket>();

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', async (data, isBinary) => {
      let raw: unknown;
      try {
        if (isBinary) throw new Error('binary messages are not part of StudioApi');
        raw = JSON.parse(data.toString());
      } catch (e) {
        ws.send(JSON.stringify({ id: -1, error: `invalid message: ${(e as Error).message}` }));
        return;
      }
      const reply = await dispatch(service, raw);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
  });

  service.watchOtherProcesses();
  const events: EventName[] = ['run.state', 'run.metrics', 'viewer.frame', 'log'];
  const unsubs = events.map((event) =>
    service.on(event, (data) => {
      if (clients.size === 0) return;
      const text = JSON.stringify({ event, data });
      for (const ws of clients) {
        // Frames are droppable: skip a client whose socket is backed up rather than buffer forever.
        if (event === 'viewer.frame' && ws.bufferedAmount > 1 << 20) continue;
        if (ws.readyState === ws.OPEN) ws.send(text);
      }
    }),
  );

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 5170, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      unsubs.forEach((u) => u());
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return ''; // a malformed escape names no video
  }
}

function serveVideo(service: StudioService, runId: string, name: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = videoFile(service.store, runId, name);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const size = fs.statSync(file).size;
  const type = MIME[path.extname(file)] ?? 'application/octet-stream';
  // <video> seeks with byte ranges; one range is all a player asks for.
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-type': type,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
      'cache-control': 'no-cache',
    });
    fs.createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes', 'cache-control': 'no-cache' });
  fs.createReadStream(file).pipe(res);
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let rel = decodeURIComponent(url.pathname);
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, '.' + rel);
  // Never serve outside the renderer folder.
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  fs.createReadStream(file).pipe(res);
}
