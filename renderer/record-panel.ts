// Rollout videos on the run page: Record (options, progress bar, Cancel) and the run's saved
// videos with in-app playback and a download link. Recording renders offscreen frame by frame
// (renderer/recorder.ts); the live 3-D view pauses meanwhile so both do not fight for the CPU.
import type { RunInfo, StudioApi, VideoInfo } from '../studio/api.ts';
import { chosenCheckpoint, fillCheckpoints } from './checkpoint-select.ts';
import { errorMessage, h, labelled, setChildren } from './dom.ts';
import {
  DEFAULT_RECORD_OPTIONS,
  RecordCancelled,
  recordRollout,
  type CameraMode,
  type RecordOptions,
  type RecordResult,
} from './recorder.ts';
import { CallStatus } from './status.ts';
import { confirmDialog } from './confirm-dialog.ts';
import type { Store } from './store.ts';
import type { ViewerPanel } from './viewer.ts';

const SIZES = ['640x360', '1280x720', '1920x1080'];

/** Where a saved video plays. A host that serves videos its own way says so through the API
 * (Electron's preload adds recorder.videoUrl: maxent-media://); otherwise it is `maxent serve`'s
 * route, relative because the page is served from the root. */
export function videoUrl(runId: string, name: string, api?: StudioApi): string {
  const host = api?.recorder.videoUrl;
  if (typeof host === 'function') return host(runId, name);
  return `runs/${encodeURIComponent(runId)}/videos/${encodeURIComponent(name)}`;
}

export class RecordPanel {
  readonly status = new CallStatus('record-status');
  readonly listStatus = new CallStatus('videos-status');
  private readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly progress: HTMLProgressElement;
  private readonly startBtn: HTMLButtonElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly inputs: {
    episodes: HTMLInputElement;
    mode: HTMLSelectElement;
    seed: HTMLInputElement;
    size: HTMLSelectElement;
    fps: HTMLSelectElement;
    camera: HTMLSelectElement;
    overlays: HTMLInputElement;
    ghosts: HTMLInputElement;
    checkpoint: HTMLSelectElement;
  };
  private abort: AbortController | null = null;
  private shownRun: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
    private readonly store: Store,
    private readonly viewer: ViewerPanel,
  ) {
    const d = DEFAULT_RECORD_OPTIONS;
    this.inputs = {
      episodes: h('input', { type: 'number', min: 1, max: 20, value: d.episodes, 'data-testid': 'record-episodes' }),
      mode: h(
        'select',
        { 'data-testid': 'record-mode' },
        h('option', { value: 'deterministic' }, 'deterministic (mean)'),
        h('option', { value: 'stochastic', selected: true }, 'stochastic'),
      ),
      seed: h('input', { type: 'number', min: 0, value: d.seed, 'data-testid': 'record-seed' }),
      size: h(
        'select',
        { 'data-testid': 'record-size' },
        ...SIZES.map((s) => h('option', { value: s, selected: s === `${d.width}x${d.height}` }, s.replace('x', '×'))),
      ),
      fps: h(
        'select',
        { 'data-testid': 'record-fps' },
        ...[24, 30, 60].map((f) => h('option', { value: f, selected: f === d.fps }, `${f}`)),
      ),
      camera: h(
        'select',
        { 'data-testid': 'record-camera' },
        ...(['fixed', 'follow', 'orbit'] as const).map((c) => h('option', { value: c, selected: c === d.camera }, c)),
      ),
      overlays: h('input', { type: 'checkbox', checked: d.overlays, 'data-testid': 'record-overlays' }),
      ghosts: h('input', { type: 'checkbox', checked: d.ghosts, 'data-testid': 'record-ghosts' }),
      checkpoint: h('select', { 'data-testid': 'record-checkpoint', title: 'Which checkpoint to record' }),
    };
    const i = this.inputs;
    this.startBtn = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'record-start',
        title: 'Render a rollout of the chosen checkpoint into a video in the run folder',
      },
      'Record',
    );
    this.startBtn.addEventListener('click', () => void this.record());
    this.cancelBtn = h('button', { type: 'button', 'data-testid': 'record-cancel', disabled: true }, 'Cancel');
    this.cancelBtn.addEventListener('click', () => this.abort?.abort());
    this.progress = h('progress', { max: 1, value: 0, 'data-testid': 'record-progress', 'aria-label': 'Recording progress', hidden: true });
    this.list = h('ul', { class: 'video-list', 'data-testid': 'video-list', 'aria-label': 'Saved videos' });
    this.el = h(
      'details',
      { class: 'record', 'data-testid': 'record-panel' },
      h('summary', {}, 'Rollout videos'),
      h(
        'div',
        { class: 'row' },
        labelled('Episodes', i.episodes),
        labelled('Policy', i.mode),
        labelled('Checkpoint', i.checkpoint),
        labelled('Seed', i.seed),
      ),
      h(
        'div',
        { class: 'row' },
        labelled('Size', i.size),
        labelled('fps', i.fps),
        labelled('Camera', i.camera),
        labelled('Overlays', i.overlays),
        labelled('Ghosts', i.ghosts),
      ),
      h('div', { class: 'row' }, this.startBtn, this.cancelBtn, this.progress, this.status.el),
      this.list,
      this.listStatus.el,
    );
    root.append(this.el);
    store.on('selection', () => this.onSelection());
    store.on('runs', (id) => {
      if (id && id === this.shownRun) {
        this.syncButtons();
        fillCheckpoints(this.inputs.checkpoint, this.store.selected?.checkpoints ?? []);
      }
    });
    this.onSelection();
  }

  private onSelection(): void {
    const id = this.store.selectedRunId;
    this.el.hidden = !id;
    if (id === this.shownRun) return;
    this.shownRun = id;
    setChildren(this.list);
    this.status.set('idle', '');
    this.inputs.checkpoint.value = '';
    fillCheckpoints(this.inputs.checkpoint, this.store.selected?.checkpoints ?? []);
    this.syncButtons();
    if (id) void this.refresh();
  }

  private syncButtons(): void {
    this.startBtn.disabled = !this.shownRun || this.abort !== null;
    this.cancelBtn.disabled = this.abort === null;
  }

  async refresh(): Promise<void> {
    const id = this.shownRun;
    if (!id) return;
    const videos = await this.listStatus.run('Loading videos', () => this.api.recorder.list(id));
    if (!videos || id !== this.shownRun) return;
    if (!videos.length)
      setChildren(
        this.list,
        h('li', { class: 'meta', 'data-testid': 'videos-empty' }, 'No videos yet: Record renders one from the chosen checkpoint.'),
      );
    else setChildren(this.list, ...videos.map((v) => this.item(id, v)));
  }

  /** Delete, asked first: the file goes for good. */
  private deleteButton(runId: string, name: string): HTMLButtonElement {
    const b = h(
      'button',
      { type: 'button', class: 'danger', 'data-testid': 'video-delete', 'aria-label': `Delete video ${name}` },
      'Delete',
    );
    b.addEventListener('click', () =>
      confirmDialog({
        title: `Delete ${name}?`,
        body: "The video file is removed from the run's videos folder for good.",
        confirm: 'Delete',
        prefix: 'video-delete',
        onConfirm: () =>
          void this.listStatus
            .run(`Deleting ${name}`, () => this.api.recorder.remove(runId, name))
            .then((r) => {
              if (r) void this.refresh();
            }),
      }),
    );
    return b;
  }

  private item(runId: string, v: VideoInfo): HTMLLIElement {
    const url = videoUrl(runId, v.name, this.api);
    return h(
      'li',
      { 'data-testid': 'video-item', 'data-name': v.name },
      h(
        'div',
        { class: 'row' },
        h('span', {}, v.name),
        h('span', { class: 'meta' }, `${(v.bytes / 1e6).toFixed(2)} MB · ${new Date(v.modifiedAt).toLocaleString()}`),
        h('a', { href: url, download: v.name, 'data-testid': 'video-download' }, 'Download'),
        this.deleteButton(runId, v.name),
      ),
      h('video', {
        src: url,
        controls: true,
        preload: 'metadata',
        muted: true,
        'data-testid': 'video-player',
        'aria-label': `Video ${v.name}`,
      }),
    );
  }

  private options(): RecordOptions {
    const i = this.inputs;
    const [w, hgt] = i.size.value.split('x').map(Number);
    return {
      ...DEFAULT_RECORD_OPTIONS,
      episodes: Number(i.episodes.value),
      seed: Number(i.seed.value),
      stochastic: i.mode.value === 'stochastic',
      width: w!,
      height: hgt!,
      fps: Number(i.fps.value),
      camera: i.camera.value as CameraMode,
      overlays: i.overlays.checked,
      ghosts: i.ghosts.checked,
      step: chosenCheckpoint(i.checkpoint),
    };
  }

  private async record(): Promise<void> {
    const run: RunInfo | null = this.store.selected;
    if (!run || this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.syncButtons();
    this.progress.hidden = false;
    this.progress.value = 0;
    this.el.dataset.result = '';
    this.viewer.scene.setRunning(false);
    let last = 0;
    try {
      this.status.set('loading', 'Rolling out the policy…');
      const r: RecordResult = await recordRollout(this.api, run.id, this.options(), {
        signal: abort.signal,
        onProgress: (p) => {
          const now = performance.now();
          if (p.phase === 'render' && now - last < 100 && p.frame < p.frames) return;
          last = now;
          this.progress.value = p.frames ? p.frame / p.frames : 0;
          this.status.set(
            'loading',
            p.phase === 'rollout'
              ? 'Rolling out the policy…'
              : p.phase === 'render'
                ? `Rendering frame ${p.frame} of ${p.frames}…`
                : p.phase === 'finalize'
                  ? 'Finishing the file…'
                  : 'Saving…',
          );
        },
      });
      this.progress.value = 1;
      this.el.dataset.result = JSON.stringify(r);
      this.status.set(
        'ok',
        `Saved ${r.name}: ${r.frames} frames, ${r.duration.toFixed(1)} s, ${r.codec} (${r.framesPerSecond.toFixed(1)} frames/s)`,
      );
      if (this.shownRun === run.id) await this.refresh();
    } catch (e) {
      if (e instanceof RecordCancelled) this.status.set('idle', 'Recording cancelled');
      else this.status.set('error', `Recording failed: ${errorMessage(e)}`);
    } finally {
      this.abort = null;
      this.progress.hidden = true;
      this.viewer.scene.setRunning(true);
      this.syncButtons();
    }
  }
}
