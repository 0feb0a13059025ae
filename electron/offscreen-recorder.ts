// The desktop app's recorder (studio/record/recorder.ts interface): the renderer's recording
// page in an offscreen BrowserWindow instead of Chromium via playwright-core. Same page, same
// window.__maxentRecord, so the same video as `maxent record`; the preload forwards progress.
import { BrowserWindow, ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import path from 'node:path';
import type { Recorder } from '../studio/record/recorder.ts';
import {
  checkRecordResult,
  IPC_RECORD_PROGRESS,
  offscreenWindowOptions,
  parseProgress,
  RECORD_PAGE_QUERY,
  recordScript,
} from './offscreen-options.ts';

/** `trusted` is main.ts's set of windows whose main frame may call the studio API (the page's
 * rollout and save calls): the recording window is in it while it records. */
export function offscreenRecorder(preload: string, indexHtml: string, trusted: Set<WebContents>): Recorder {
  return async (service, runId, opts, onProgress = () => {}) => {
    // Fail on the cheap checks before a window opens (as headless.ts does).
    service.store.read(runId);
    if (service.store.newestCheckpoint(runId) == null) throw new Error(`run ${runId} has no checkpoint yet: train it further`);
    onProgress({ phase: 'start', frame: 0, frames: 0 });
    const win = new BrowserWindow(offscreenWindowOptions(preload));
    const onMsg = (e: IpcMainEvent, raw: unknown) => {
      if (e.sender !== win.webContents) return; // only this window's page
      const p = parseProgress(raw);
      if (p) onProgress(p);
    };
    ipcMain.on(IPC_RECORD_PROGRESS, onMsg);
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.on('will-frame-navigate', (e) => e.preventDefault());
    win.webContents.on('will-redirect', (e) => e.preventDefault());
    const contents = win.webContents;
    trusted.add(contents);
    try {
      await win.loadFile(indexHtml, { query: RECORD_PAGE_QUERY });
      const ready = await win.webContents.executeJavaScript(
        `new Promise((ok) => { const t = Date.now(); (function w() { if (document.querySelector('[data-ready="record"]')) ok(true); else if (Date.now() - t > 30000) ok(false); else setTimeout(w, 50); })(); })`,
      );
      if (!ready) throw new Error('the recording page did not start in the offscreen window (rebuild the UI: `npm run build:renderer`)');
      const raw: unknown = await win.webContents.executeJavaScript(recordScript(runId, opts));
      return checkRecordResult(raw, runId, path.join(service.store.dir(runId), 'videos'));
    } finally {
      ipcMain.removeListener(IPC_RECORD_PROGRESS, onMsg);
      trusted.delete(contents);
      if (!win.isDestroyed()) win.destroy();
    }
  };
}
