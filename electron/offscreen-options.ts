// The offscreen recording window's settings and the checks on what it sends back, kept free of
// Electron imports so they are unit-tested where Electron cannot run (offscreen-recorder.ts uses them).
import path from 'node:path';
import { VIDEO_NAME } from '../studio/runs/pattern.ts';
import type { HeadlessProgress, HeadlessRecordOptions, HeadlessResult } from '../studio/record/headless.ts';
import { windowOptions, type SecureWindowOptions } from './window-options.ts';

export const IPC_RECORD_PROGRESS = 'studio:record-progress';

/** The app window's security settings plus offscreen rendering, never shown. The page renders
 * into its own offscreen canvas at the video size, so the window itself can stay small;
 * backgroundThrottling off keeps a hidden page's timers and rAF at full speed. */
export function offscreenWindowOptions(preload: string): SecureWindowOptions & {
  webPreferences: SecureWindowOptions['webPreferences'] & { offscreen: true; backgroundThrottling: false };
} {
  const base = windowOptions(preload, { width: 640, height: 360 });
  return {
    ...base,
    minWidth: 1,
    minHeight: 1,
    show: false,
    title: 'MaxEnt Studio — recording',
    webPreferences: { ...base.webPreferences, offscreen: true, backgroundThrottling: false },
  };
}

/** The recording page's query (renderer/main.ts: ?mode=record). */
export const RECORD_PAGE_QUERY = { mode: 'record' } as const;

/** The script the main process runs in the recording page: the options travel as JSON literals. */
export function recordScript(runId: string, opts: HeadlessRecordOptions): string {
  return `window.__maxentRecord(${JSON.stringify(runId)}, ${JSON.stringify(opts)})`;
}

const PHASES = new Set(['start', 'rollout', 'render', 'finalize', 'save']);

/** A progress message from the page, or null when it is not one (ignored, never thrown on). */
export function parseProgress(raw: unknown): HeadlessProgress | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Record<string, unknown>;
  const n = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1e9;
  if (typeof p.phase !== 'string' || !PHASES.has(p.phase) || !n(p.frame) || !n(p.frames)) return null;
  return { phase: p.phase as HeadlessProgress['phase'], frame: p.frame as number, frames: p.frames as number };
}

/** Checks the page's result before main trusts its path: the file must be the run's video. */
export function checkRecordResult(raw: unknown, runId: string, videosDir: string): HeadlessResult {
  if (typeof raw !== 'object' || raw === null) throw new Error('the recording page returned no result');
  const r = raw as HeadlessResult;
  if (r.runId !== runId) throw new Error(`the recording page recorded ${String(r.runId)}, not ${runId}`);
  if (typeof r.name !== 'string' || !VIDEO_NAME.test(r.name))
    throw new Error(`the recording page returned an invalid video name ${JSON.stringify(r.name)}`);
  if (typeof r.path !== 'string' || r.path !== path.join(videosDir, r.name))
    throw new Error(`the recording page returned a path outside ${videosDir}: ${JSON.stringify(r.path)}`);
  for (const k of ['frames', 'fps', 'width', 'height', 'bytes'] as const)
    if (typeof r[k] !== 'number' || !(r[k] >= 0)) throw new Error(`the recording page returned an invalid ${k}`);
  return r;
}
