// One recorder interface for every host: `maxent record` (Chromium via playwright-core,
// headless.ts) and the desktop app's main process (an offscreen BrowserWindow,
// electron/offscreen-recorder.ts). Both open the renderer's recording page (?mode=record) and
// call its window.__maxentRecord, so the video is the same whichever renders it.
import type { StudioService } from '../service.ts';
import type { HeadlessProgress, HeadlessRecordOptions, HeadlessResult } from './headless.ts';

export type Recorder = (
  service: StudioService,
  runId: string,
  opts: HeadlessRecordOptions,
  onProgress?: (p: HeadlessProgress) => void,
) => Promise<HeadlessResult>;

let installed: Recorder | null = null;

/** Electron's main process installs its offscreen recorder at startup; nothing else does. */
export function setRecorder(r: Recorder | null): void {
  installed = r;
}

/** The installed recorder, else headless Chromium (imported only when needed). */
export async function getRecorder(): Promise<Recorder> {
  return installed ?? (await import('./headless.ts')).recordHeadless;
}
