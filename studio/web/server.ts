// `maxent serve`: serves the built renderer over HTTP and StudioApi over a WebSocket at /api.
// Loopback only by default: the studio can start processes and write files.
import { constants as bufferConstants } from 'node:buffer';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../api.ts';
import { dispatch } from '../dispatch.ts';
import { videoFile } from '../record/videos.ts';
import type { StudioService } from '../service.ts';
import { requestGate, type RequestGate } from './request-gate.ts';

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

/**
 * The largest WebSocket message accepted. The biggest legitimate one is recorder.save carrying a
 * video as base64 text; a message longer than V8's longest string could not be turned into the
 * string JSON.parse needs (neither here nor in the page that built it), so it bounds the upload.
 */
export const MAX_MESSAGE_BYTES = bufferConstants.MAX_STRING_LENGTH;

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
  const host = opts.host ?? '127.0.0.1';
  let gate: RequestGate | undefined; // set once listening: the port is known then
  const server = http.createServer((req, res) => {
    // One bad request must not take the server, and every run it hosts, down with it.
    try {
      const refused = gate ? gate.checkHost(req.headers.host) : 'the server is starting';
      if (refused) return void plain(res, 403, `forbidden: ${refused}`);
      const target = requestPath(req.url);
      if (target === null) return void plain(res, 400, 'bad request: the request target is not a path');
      // Saved rollout videos, for in-app playback and download (confined to runs/<id>/videos/).
      const m = /^\/runs\/([^/]+)\/videos\/([^/]+)$/.exec(target);
      if (m) serveVideo(service, safeDecode(m[1]!) ?? '', safeDecode(m[2]!) ?? '', req, res);
      else serveStatic(staticDir, target, res);
    } catch (e) {
      console.error(`maxent serve: ${req.method} ${JSON.stringify(req.url)} failed:`, e);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy()); // a client gone mid-handshake is no server error
    try {
      const refused = gate ? (gate.checkHost(req.headers.host) ?? gate.checkOrigin(req.headers.origin)) : 'the server is starting';
      if (refused) return refuseUpgrade(socket, 403, `forbidden: ${refused}`);
      if (requestPath(req.url) !== '/api') return refuseUpgrade(socket, 404, 'not found: the studio API is at /api');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (e) {
      console.error(`maxent serve: upgrade ${JSON.stringify(req.url)} failed:`, e);
      refuseUpgrade(socket, 500, 'internal error');
    }
  });
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 5170, host, () => {
      try {
        gate = requestGate(host, (server.address() as { port: number }).port);
        resolve();
      } catch (e) {
        server.close();
        reject(e as Error);
      }
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      unsubs.forEach((u) => u());
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The path of an origin-form request target ("/a/b?q"), or null for any other form. */
function requestPath(url: string | undefined): string | null {
  if (!url?.startsWith('/')) return null; // absolute-form is for proxies; "*" for OPTIONS
  return url.split(/[?#]/, 1)[0]!;
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(text + '\n');
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = Buffer.from(text + '\n');
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body}`,
  );
}

/** decodeURIComponent, or undefined for a malformed escape (which names no file). */
function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function serveVideo(service: StudioService, runId: string, name: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = videoFile(service.store, runId, name);
  // The file may go between the lookup and here (deleted with its run).
  const size = file ? statFile(file)?.size : undefined;
  if (!file || size === undefined) {
    plain(res, 404, 'not found');
    return;
  }
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
    const body = fs.createReadStream(file, { start, end });
    res.writeHead(206, {
      'content-type': type,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
      'cache-control': 'no-cache',
    });
    send(body, res);
    return;
  }
  const body = fs.createReadStream(file);
  res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes', 'cache-control': 'no-cache' });
  send(body, res);
}

function serveStatic(root: string, urlPath: string, res: http.ServerResponse): void {
  let rel = safeDecode(urlPath);
  if (rel === undefined) {
    plain(res, 400, 'bad request: malformed percent-encoding in the path');
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, '.' + rel);
  // Never serve outside the renderer folder.
  if (!file.startsWith(root + path.sep) || !statFile(file)?.isFile()) {
    plain(res, 404, 'not found');
    return;
  }
  const body = fs.createReadStream(file);
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  send(body, res);
}

/** fs.statSync, or undefined for a path that names nothing (missing, or not a valid path: a NUL byte). */
function statFile(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** Streams a file out; a read error (the file went) or a client gone mid-way ends just this response. */
function send(file: fs.ReadStream, res: http.ServerResponse): void {
  pipeline(file, res, () => undefined);
}
