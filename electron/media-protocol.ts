// maxent-media://videos/<run id>/<file>: how Electron's file:// page plays saved rollout videos
// (it cannot reach `maxent serve`'s /runs/<id>/videos/ route). Free of Electron imports so the
// request handler is unit-tested without the binary; main.ts registers it with protocol.handle.
// Only plain .mp4/.webm files directly in a run's videos/ folder are served, with byte ranges
// (a <video> seeks with Range requests and needs 206 answers).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { RUN_ID, VIDEO_NAME } from '../studio/runs/pattern.ts';

export const MEDIA_SCHEME = 'maxent-media';
const HOST = 'videos';
const TYPES: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm' };

/** Privileges for protocol.registerSchemesAsPrivileged: standard (real origin and URL parsing),
 * secure (no mixed-content block on the page), fetch and streaming (media elements stream it). */
export const MEDIA_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, stream: true } as const;

/** The URL the renderer puts in <video src> for a saved video. */
export function mediaVideoUrl(runId: string, name: string): string {
  return `${MEDIA_SCHEME}://${HOST}/${encodeURIComponent(runId)}/${encodeURIComponent(name)}`;
}

/** The run id and file name of a media URL, or null for anything else (no traversal: each part
 * must match the run-id or video-name pattern after decoding, and there are exactly two). */
export function parseMediaUrl(url: string): { runId: string; name: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${MEDIA_SCHEME}:` || u.hostname !== HOST || u.search || u.username || u.port) return null;
  const parts = u.pathname.split('/');
  if (parts.length !== 3 || parts[0] !== '') return null;
  let runId: string;
  let name: string;
  try {
    runId = decodeURIComponent(parts[1]!);
    name = decodeURIComponent(parts[2]!);
  } catch {
    return null;
  }
  return RUN_ID.test(runId) && VIDEO_NAME.test(name) ? { runId, name } : null;
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (what media players send); null: no usable
 * Range header (serve the whole file); 'unsatisfiable': answer 416. */
export function parseRange(header: string | null, size: number): ByteRange {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (!m[1] && !m[2])) return null;
  let start: number;
  let end: number;
  if (!m[1]) {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(size - 1, Number(m[2])) : size - 1;
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Handles one protocol request. `resolve` maps a validated id and name to the file on disk
 * (studio/record/videos.ts videoFile: confined to runs/<id>/videos/), or null. */
export async function handleMediaRequest(
  req: { url: string; method: string; headers: Headers },
  resolve: (runId: string, name: string) => string | null,
): Promise<Response> {
  const text = (status: number, body: string, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } });
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed', { allow: 'GET, HEAD' });
  const ref = parseMediaUrl(req.url);
  const file = ref ? resolve(ref.runId, ref.name) : null;
  const st = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  if (!ref || !file || !st?.isFile()) return text(404, 'not found');
  const size = st.size;
  const base = {
    'content-type': TYPES[ref.name.slice(ref.name.lastIndexOf('.') + 1)]!,
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
  };
  const range = parseRange(req.headers.get('range'), size);
  if (range === 'unsatisfiable') return text(416, 'range not satisfiable', { 'content-range': `bytes */${size}` });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const headers: Record<string, string> = { ...base, 'content-length': String(end - start + 1) };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const body =
    req.method === 'HEAD' || size === 0 ? null : (Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
