// MaxEnt Studio renderer entry: wires the panels to window.studio (the only way out of the page).
//
// Why no UI framework: the UI is a few panels that redraw on a handful of store topics, and the
// expensive parts (Three.js scene, uPlot charts, the action-cloud canvas) are imperative anyway.
// Plain TypeScript modules with one job each keep the bundle small, the render loop free of
// framework overhead, and nothing between the code and the DOM that tests inspect.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { StudioApi } from '../studio/api.ts';
import { createWsClient, isConnectionAware } from '../studio/web/client.ts';
import { ChartsPanel } from './charts.ts';
import { errorMessage } from './dom.ts';
import { Gallery } from './gallery.ts';
import { LogPanel } from './log-panel.ts';
import { PolicyViews } from './policy-views.ts';
import { RunPage } from './run-page.ts';
import { RunsPanel } from './runs-panel.ts';
import type { PixelStats, SceneSpec } from './scene.ts';
import type * as THREE from 'three';
import { Store } from './store.ts';
import { SystemPanel } from './system-panel.ts';
import { ViewerPanel } from './viewer.ts';
import { recordRollout, type RecordOptions, type RecordProgress, type RecordResult } from './recorder.ts';
import { RecordPanel } from './record-panel.ts';
import { EvalPanel } from './eval-panel.ts';
import { hashForRun, runFromHash } from './run-link.ts';

/** Minimal scene-graph hooks for e2e checks (read-only views of the 3-D state). */
export interface StudioSceneHooks {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  specId(): string | null;
  bodyCount(): number;
  markerCount(): number;
  ghostCount(): number;
  ghostSpread(): number;
  /** End point of each ghost trail (world x, y, z). */
  ghostEnds(): [number, number, number][];
  rootPosition(): [number, number, number] | null;
  framesReceived(): number;
  fps(): number;
  pixelStats(): PixelStats;
  timeRender(n: number): number;
  /** Benchmark hooks (bench/render.ts): show a given scene, then time rendering pose frames. */
  quality(): string;
  benchScene(spec: SceneSpec): void;
  timePoseFrames(frames: number[][]): number;
}

declare global {
  interface Window {
    studio?: StudioApi;
    __studioScene?: StudioSceneHooks;
    /** Recording page (?mode=record): what `maxent record` drives through playwright-core. */
    __maxentRecord?: (runId: string, opts: Partial<RecordOptions>) => Promise<RecordResult>;
    __maxentRecordProgress?: (p: RecordProgress) => void;
  }
}

// In Electron the preload script has set window.studio already; in a browser we use WebSocket.
window.studio ??= createWsClient(`ws://${location.host}/api`);
const api: StudioApi = window.studio;

// ?mode=record is a bare page for headless recording (`maxent record`): no panels, no live view,
// nothing competing with the frame-by-frame renderer for the CPU.
if (new URLSearchParams(location.search).get('mode') === 'record') startRecordPage();
else startStudio();

function startRecordPage(): void {
  document.title = 'MaxEnt Studio — recording';
  window.__maxentRecord = (runId, opts) =>
    recordRollout(api, runId, opts, { onProgress: throttleProgress((p) => window.__maxentRecordProgress?.(p)) });
  document.getElementById('app')?.setAttribute('data-ready', 'record');
}

/** Each progress call crosses to Node (a playwright binding): per frame that is CPU the renderer
 * needs. Pass phase changes, the last frame and at most ~8 updates a second. */
function throttleProgress(f: (p: RecordProgress) => void): (p: RecordProgress) => void {
  let last = 0;
  let phase = '';
  return (p) => {
    const now = performance.now();
    if (p.phase === phase && p.frame !== p.frames && now - last < 125) return;
    last = now;
    phase = p.phase;
    f(p);
  };
}

function startStudio(): void {
  function byId(id: string): HTMLElement {
    const el = document.getElementById(id);
    if (!el) throw new Error(`renderer: #${id} missing from index.html`);
    return el;
  }

  const store = new Store();
  const log = new LogPanel(byId('log'), api);
  const gallery = new Gallery(byId('gallery'), api, store);
  const runs = new RunsPanel(byId('runs'), api, store);
  new RunPage(byId('run-page'), api, store);
  const viewer = new ViewerPanel(byId('viewer'), api);
  new ChartsPanel(byId('charts'), store);
  new PolicyViews(byId('policy'), api, viewer);
  // The viewer's Policy choice lists the checkpoints of the run on display, as they are written.
  const viewerCheckpoints = (): void => {
    const id = viewer.state?.runId ?? null;
    viewer.setCheckpoints(id, (id && store.runs.get(id)?.checkpoints) || []);
  };
  viewer.onState(viewerCheckpoints);
  store.on('runs', (id) => {
    if (!id || id === viewer.state?.runId) viewerCheckpoints();
  });
  new EvalPanel(byId('run-page'), api, store);
  new RecordPanel(byId('run-page'), api, store, viewer);
  const system = new SystemPanel(byId('system'), api, store);
  const connection = byId('connection');

  window.__studioScene = {
    renderer: viewer.scene.renderer,
    scene: viewer.scene.scene,
    specId: () => viewer.scene.specId,
    bodyCount: () => viewer.scene.bodyCount(),
    markerCount: () => viewer.scene.markerCount(),
    ghostCount: () => viewer.scene.ghostCount(),
    ghostSpread: () => viewer.scene.ghostSpread(),
    ghostEnds: () => viewer.scene.ghostEnds(),
    rootPosition: () => viewer.scene.rootPosition(),
    framesReceived: () => viewer.framesReceived,
    fps: () => viewer.scene.fps,
    pixelStats: () => viewer.scene.pixelStats(),
    timeRender: (n) => viewer.scene.timeRender(n),
    quality: () => viewer.scene.quality,
    benchScene: (spec) => {
      // The live stream would overwrite the benchmark's bodies: stop drawing it first.
      viewer.scene.setRunning(false);
      viewer.scene.setSpec(spec);
    },
    timePoseFrames: (frames) => {
      const t0 = performance.now();
      for (const f of frames) {
        viewer.scene.setPoses(f);
        viewer.scene.applyPoses();
        viewer.scene.timeRender(1);
      }
      return (performance.now() - t0) / frames.length;
    },
  };

  api.on('run.state', (r) => store.upsertRun(r));
  api.on('run.metrics', (m) => store.addMetrics(m.runId, m.rows, m.replace));

  // Metrics backfill: live events only carry new rows, so a run shown for the first time is
  // fetched from its metrics.jsonl once (rows merge by step, so overlap with live rows is harmless).
  const backfilled = new Set<string>();
  async function backfill(runId: string): Promise<void> {
    if (backfilled.has(runId)) return;
    backfilled.add(runId);
    const rows = await runs.status.run('Loading metrics', () => api.getMetrics(runId, 0));
    if (rows) store.addMetrics(runId, rows);
    else backfilled.delete(runId);
  }

  store.on('selection', (id) => {
    // replaceState: choosing runs should not fill the history the Back button walks.
    if (runFromHash(location.hash) !== (id ?? null))
      history.replaceState(null, '', location.pathname + location.search + hashForRun(id ?? null));
    if (!id) return;
    void backfill(id);
    void viewer.load(id);
  });
  store.on('compare', (id) => {
    if (id && store.compare.has(id)) void backfill(id);
  });

  window.addEventListener('hashchange', () => {
    const id = runFromHash(location.hash);
    if (id && id !== store.selectedRunId && store.runs.has(id)) store.select(id);
  });

  window.addEventListener('unhandledrejection', (e) => log.add('error', `unexpected: ${errorMessage(e.reason)}`));

  /** Whether a panel's last load failed (it shows the error). */
  const panelFailed = (): boolean =>
    [gallery.status, runs.status, system.status, viewer.status].some((s) => s.el.dataset.state === 'error');

  async function start(): Promise<void> {
    connection.textContent = 'Connecting…';
    connection.dataset.state = 'loading';
    // The studio's viewer shows the default task until a run is selected.
    await Promise.all([gallery.refresh(), runs.refresh(), system.refresh(), viewer.load()]);
    const failed = panelFailed();
    connection.dataset.state = failed ? 'error' : 'ok';
    connection.textContent = failed ? 'Studio unavailable: see the errors below' : 'Connected';
    // Open on the run the address names (a reload, a link), else on the newest run so a
    // returning user sees where they left off.
    const linked = runFromHash(location.hash);
    if (linked && store.runs.has(linked)) store.select(linked);
    else if (linked) log.add('warn', `run ${linked} (from the address) is not in this studio's run store: showing the newest run`);
    if (!store.selectedRunId) {
      const newest = [...store.runs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
      if (newest) store.select(newest.id);
    }
    byId('app').dataset.ready = 'true';
  }

  // A browser's connection can drop (`maxent serve` restarted, a laptop asleep). The indicator
  // follows the socket; once it is back the page catches up on what it missed: the runs, metric
  // rows logged meanwhile, and the viewer (a restarted studio has none loaded).
  let outages = 0;
  async function catchUp(): Promise<void> {
    const outage = outages;
    backfilled.clear();
    await Promise.all([gallery.refresh(), runs.refresh(), system.refresh()]);
    const id = store.selectedRunId;
    await Promise.all([...new Set([id, ...store.compare])].filter((r): r is string => !!r).map(backfill));
    await viewer.load(id ?? undefined);
    if (outage !== outages) return; // lost again meanwhile: the indicator says so already
    const failed = panelFailed();
    connection.dataset.state = failed ? 'error' : 'ok';
    connection.textContent = failed ? 'Reconnected, but some panels failed to load: see the errors below' : 'Connected';
  }
  if (isConnectionAware(api))
    api.onConnection((state) => {
      if (state === 'lost') {
        outages++;
        connection.dataset.state = 'error';
        connection.textContent = 'Connection lost: reconnecting…';
      } else {
        connection.dataset.state = 'loading';
        connection.textContent = 'Reconnected: catching up…';
        void catchUp();
      }
    });

  void start();
}
