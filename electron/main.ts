// Electron main process: one secure window, the studio service (viewer simulation here,
// training in worker threads), IPC validated by the same dispatcher as the WebSocket host.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { StudioService } from '../studio/service.ts';
import { dispatch } from '../studio/dispatch.ts';
import { DEFAULT_RECORD_OPTIONS, type EventName } from '../studio/api.ts';
import { setWorkerEntry } from '../studio/worker/supervisor.ts';
import { pathToFileURL } from 'node:url';
import { videoFile } from '../studio/record/videos.ts';
import { setRecorder, getRecorder } from '../studio/record/recorder.ts';
import type { HeadlessRecordOptions } from '../studio/record/headless.ts';
import { offscreenRecorder } from './offscreen-recorder.ts';
import { handleMediaRequest, MEDIA_SCHEME, MEDIA_SCHEME_PRIVILEGES } from './media-protocol.ts';
import { quitGuard } from './quit-guard.ts';
import { CONTENT_SECURITY_POLICY, IPC_CALL, IPC_EVENT, windowOptions } from './window-options.ts';
import { ipcSenderRefusal, isAllowedNavigation, isAllowedPermission } from './guards.ts';

// Bundled layout (electron/build.mjs): dist-electron/{main,preload,worker,shard-worker}.cjs next to
// dist/renderer (the training worker starts shard-worker.cjs itself, found beside its bundle).
const appRoot = path.resolve(__dirname, '..');
const rendererDir = path.join(appRoot, 'dist', 'renderer');
setWorkerEntry(pathToFileURL(path.join(__dirname, 'worker.cjs')));

if (!app.requestSingleInstanceLock()) app.quit();
// Windows shows a page's notifications (a run ended) only for an app with an id: the installer's.
if (process.platform === 'win32') app.setAppUserModelId('dev.maxent.studio');
// Must happen before 'ready': the page plays saved videos from maxent-media:// (file:// pages
// cannot reach the web host's /runs/<id>/videos/ route).
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: MEDIA_SCHEME_PRIVILEGES }]);

let win: BrowserWindow | null = null;
let service: StudioService | null = null;
/** Windows whose main frame may call the studio API: the app window, and the offscreen
 * recorder's while it records. */
const trustedContents = new Set<WebContents>();
const stateFile = (): string => path.join(app.getPath('userData'), 'window-state.json');

function readBounds(): { width: number; height: number; x?: number; y?: number } | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as { width: number; height: number };
  } catch {
    return undefined;
  }
}

function createWindow(): void {
  const bounds = readBounds();
  win = new BrowserWindow({
    ...windowOptions(path.join(__dirname, 'preload.cjs'), bounds),
    ...(bounds?.x !== undefined ? { x: bounds.x, y: bounds.y } : {}),
  });
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => {
    if (win) fs.writeFileSync(stateFile(), JSON.stringify(win.getBounds()));
  });
  const contents = win.webContents;
  trustedContents.add(contents);
  contents.once('destroyed', () => trustedContents.delete(contents));
  // Only the app's own page, in any frame, and no redirect away from it.
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, rendererDir)) e.preventDefault();
  });
  contents.on('will-frame-navigate', (e) => {
    if (!isAllowedNavigation(e.url, rendererDir)) e.preventDefault();
  });
  contents.on('will-redirect', (e) => {
    if (!isAllowedNavigation(e.url, rendererDir)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadFile(path.join(rendererDir, 'index.html'));
}

/** Picks a recorded rollout video from the run store and saves a copy where the user chooses. */
async function exportVideo(runsRoot: string): Promise<void> {
  const pick = await dialog.showOpenDialog({
    title: 'Export video',
    defaultPath: runsRoot,
    properties: ['openFile'],
    filters: [{ name: 'Videos', extensions: ['mp4', 'webm'] }],
  });
  const src = pick.filePaths[0];
  if (pick.canceled || !src) return;
  const save = await dialog.showSaveDialog({ title: 'Save video as', defaultPath: path.join(app.getPath('videos'), path.basename(src)) });
  if (save.canceled || !save.filePath) return;
  try {
    fs.copyFileSync(src, save.filePath);
    shell.showItemInFolder(save.filePath);
  } catch (e) {
    dialog.showErrorBox('Export video', `Could not copy ${src} to ${save.filePath}: ${(e as Error).message}`);
  }
}

/** Picks a run folder and records a 720p video of its latest checkpoint offscreen. */
async function recordVideo(runsRoot: string): Promise<void> {
  const pick = await dialog.showOpenDialog({ title: 'Record video of a run', defaultPath: runsRoot, properties: ['openDirectory'] });
  const dir = pick.filePaths[0];
  if (pick.canceled || !dir || !service) return;
  const runId = path.basename(dir);
  try {
    const record = await getRecorder();
    const opts = { ...DEFAULT_RECORD_OPTIONS, codec: 'auto' } as const;
    const r = await record(service, runId, opts, (p) => win?.setProgressBar(p.frames ? p.frame / p.frames : 2));
    shell.showItemInFolder(r.path);
  } catch (e) {
    dialog.showErrorBox('Record video', (e as Error).message);
  } finally {
    win?.setProgressBar(-1);
  }
}

function buildMenu(): void {
  const home = (): string => service?.store.root ?? '';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          { label: 'Open Run Folder', click: () => void shell.openPath(home()) },
          { label: 'Export Video…', click: () => void exportVideo(home()) },
          { label: 'Record Video of a Run…', click: () => void recordVideo(home()) },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      {
        label: 'View',
        submenu: [
          { role: 'reload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { role: 'togglefullscreen' },
        ],
      },
      {
        label: 'Help',
        submenu: [
          {
            label: 'About MaxEnt Studio',
            click: () =>
              void dialog.showMessageBox({
                message: `MaxEnt Studio ${app.getVersion()}`,
                detail: `Electron ${process.versions.electron}, Node ${process.versions.node}`,
              }),
          },
        ],
      },
    ]),
  );
}

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.whenReady().then(() => {
  // Electron grants every permission unless told otherwise: only what the page uses (guards.ts).
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  service = new StudioService({ home: process.env.MAXENT_HOME, maxRuns: 'saved', keepSession: true });
  const store = service.store;
  // Recording from main renders in an offscreen window, not in Chromium via playwright-core.
  setRecorder(offscreenRecorder(path.join(__dirname, 'preload.cjs'), path.join(rendererDir, 'index.html'), trustedContents));
  // The Electron e2e spec (e2e/record.spec.ts) drives the offscreen recorder from here.
  if (process.env.MAXENT_E2E === '1')
    (globalThis as { __maxentOffscreenRecord?: unknown }).__maxentOffscreenRecord = async (runId: string, opts: HeadlessRecordOptions) =>
      (await getRecorder())(service as StudioService, runId, opts);
  protocol.handle(MEDIA_SCHEME, (req) => handleMediaRequest(req, (id, name) => videoFile(store, id, name)));
  // The same { id, method, params } validation as the WebSocket host, from the app's own page only.
  ipcMain.handle(IPC_CALL, (e, raw: unknown) => {
    const mainFrames = [...trustedContents].filter((wc) => !wc.isDestroyed()).map((wc) => wc.mainFrame);
    const refused = ipcSenderRefusal(e.senderFrame, mainFrames, rendererDir);
    if (refused === null) return dispatch(service as StudioService, raw);
    const id = (raw as { id?: unknown } | null)?.id;
    console.warn(`studio API call refused from ${e.senderFrame?.url ?? 'a gone frame'}: ${refused}`);
    return { id: typeof id === 'number' ? id : -1, error: `studio API call refused: ${refused}` };
  });
  const events: EventName[] = ['run.state', 'run.metrics', 'viewer.frame', 'log'];
  for (const event of events) service.on(event, (data) => win?.webContents.send(IPC_EVENT, { event, data }));
  service.watchOtherProcesses(); // runs a terminal's `maxent train` writes show up and update live
  buildMenu();
  createWindow();
  // What trained or waited when the app last closed, once the window listens (its log says so).
  win?.webContents.once('did-finish-load', () => void service?.continueSession());
});

// Cmd+Q, the menu's Quit and app.quit() skip 'window-all-closed': both save live runs and the
// session first, once, then quit.
const quit = quitGuard(
  async () => {
    await service?.shutdown();
  },
  () => app.quit(),
);
app.on('before-quit', (e) => quit.beforeQuit(e));
app.on('window-all-closed', () => quit.windowAllClosed());
