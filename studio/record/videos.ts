// The videos in a run's videos/ folder: listing for the run page and a confined path lookup for
// the HTTP route that plays them (GET /runs/<id>/videos/<name>).
import fs from 'node:fs';
import path from 'node:path';
import type { VideoInfo } from '../api.ts';
import type { RunStore } from '../runs/store.ts';

const VIDEO_NAME = /^[A-Za-z0-9._-]+\.(mp4|webm)$/;

export function listVideos(store: RunStore, runId: string): VideoInfo[] {
  store.read(runId); // "run not found" rather than an empty list
  const dir = path.join(store.dir(runId), 'videos');
  if (!fs.existsSync(dir)) return [];
  const out: VideoInfo[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!VIDEO_NAME.test(name)) continue; // temp files of an atomic write, stray files
    const st = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (st?.isFile()) out.push({ name, bytes: st.size, modifiedAt: st.mtime.toISOString() });
  }
  return out.sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : a.name.localeCompare(b.name)));
}

/** The file for a video URL, or null when the id or name is not a plain video in that folder. */
export function videoFile(store: RunStore, runId: string, name: string): string | null {
  // The run-id pattern alone admits '.' and '..': refuse anything dot-led.
  if (!VIDEO_NAME.test(name) || name.startsWith('.') || runId.startsWith('.')) return null;
  let dir: string;
  try {
    dir = path.join(store.dir(runId), 'videos'); // store.dir validates the id (no separators, no ..)
  } catch {
    return null;
  }
  const file = path.join(dir, name);
  if (path.dirname(file) !== dir) return null;
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  return st?.isFile() ? file : null;
}
