// The viewer panel: the 3-D scene plus its toolbar (follow camera, pause, step, reset view) and a
// HUD. It loads the selected run's policy into the studio's viewer simulation and draws the
// `viewer.frame` pose stream. Paused or slowed down, incoming frames queue up (bounded; when full
// the newest are dropped so what plays stays contiguous): "Step" shows one, a speed below 1×
// shows `speed` queued frames per arriving frame.
import type { StudioApi, ViewerFrame, ViewerState } from '../studio/api.ts';
import { chosenCheckpoint, fillCheckpoints } from './checkpoint-select.ts';
import { fmtInt, h, labelled } from './dom.ts';
import { StudioScene } from './scene.ts';
import { CallStatus } from './status.ts';
import { isPlainKey } from './keys.ts';
import { followsByDefault, robotOf, saveFollow, savedFollow } from './follow.ts';

const QUEUE_MAX = 600;

interface QueuedFrame {
  poses: Float32Array;
  episodeStep: number;
  episodeReturn: number;
  policyStep: number | null;
}

export class ViewerPanel {
  readonly scene: StudioScene;
  readonly status = new CallStatus('viewer-status');
  state: ViewerState | null = null;
  /** Frames received from the studio (for tests and the HUD). */
  framesReceived = 0;
  private paused = false;
  private speed = 1;
  private credit = 0;
  private readonly queue: QueuedFrame[] = [];
  private readonly pool: QueuedFrame[] = [];
  private readonly hud: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pauseBtn: HTMLButtonElement;
  private readonly stepBtn: HTMLButtonElement;
  private readonly checkpoint: HTMLSelectElement;
  private readonly follow: HTMLInputElement;
  private hudAt = 0;
  private loads = 0; // viewer.load requests made: only the newest one's reply is shown
  private refetching = false;
  private readonly listeners = new Set<(s: ViewerState) => void>();

  constructor(
    root: HTMLElement,
    private readonly api: StudioApi,
  ) {
    const view = h('div', { class: 'viewer', 'data-testid': 'viewer' });
    this.hud = h('div', { class: 'hud', 'data-testid': 'viewer-hud', 'aria-live': 'off' });
    this.empty = h(
      'div',
      { class: 'overlay-msg', 'data-testid': 'viewer-empty' },
      'Start a run from a scenario card, or select one, to see its policy here.',
    );
    root.append(view);
    this.scene = new StudioScene(view);
    view.append(this.hud, this.empty);

    const follow = h('input', { type: 'checkbox', 'data-testid': 'follow-camera' });
    this.follow = follow;
    follow.addEventListener('change', () => {
      this.scene.follow = follow.checked;
      this.scene.frameView();
      if (this.scene.specId) saveFollow(robotOf(this.scene.specId), follow.checked);
    });
    this.pauseBtn = h(
      'button',
      {
        type: 'button',
        'data-testid': 'viewer-pause',
        'aria-pressed': 'false',
        title: 'Pause or go on (Space)',
        'aria-keyshortcuts': 'Space',
      },
      'Pause',
    );
    this.pauseBtn.addEventListener('click', () => this.setPaused(!this.paused));
    this.stepBtn = h(
      'button',
      {
        type: 'button',
        'data-testid': 'viewer-step',
        disabled: true,
        title: 'Show the next frame, while paused (→ or .)',
        'aria-keyshortcuts': 'ArrowRight Period',
      },
      'Step',
    );
    this.stepBtn.addEventListener('click', () => this.step());
    const speed = h(
      'select',
      { 'data-testid': 'viewer-speed' },
      ...[0.25, 0.5, 1].map((v) => h('option', { value: v, selected: v === 1 }, `${v}×`)),
    );
    speed.addEventListener('change', () => {
      this.speed = Number(speed.value);
      if (this.speed >= 1) this.recycleQueue();
    });
    this.checkpoint = h('select', {
      'data-testid': 'viewer-checkpoint',
      title: "Which policy to show: the run's newest (live while it trains) or one of its checkpoints",
    });
    fillCheckpoints(this.checkpoint, [], 'newest (live)');
    this.checkpoint.addEventListener('change', () => {
      const runId = this.state?.runId;
      if (!runId) return;
      const step = chosenCheckpoint(this.checkpoint);
      const n = ++this.loads;
      void this.status
        .run(step === undefined ? 'Loading the newest policy' : `Loading the policy at step ${fmtInt(step)}`, () =>
          this.api.viewer.load(runId, step),
        )
        .then((s) => s && n === this.loads && this.applyState(s));
    });
    const reset = h(
      'button',
      { type: 'button', 'data-testid': 'viewer-reset-camera', title: 'Frame the robot again (Home)', 'aria-keyshortcuts': 'Home' },
      'Reset view',
    );
    reset.addEventListener('click', () => this.scene.frameView());
    follow.title = 'Keep the camera on the robot (F)';
    follow.setAttribute('aria-keyshortcuts', 'F');
    document.addEventListener('keydown', (e) => {
      if (!isPlainKey(e)) return;
      if (e.key === ' ') {
        if (!e.repeat) this.pauseBtn.click(); // held down, it would flicker
      } else if ((e.key === 'ArrowRight' || e.key === '.') && !this.stepBtn.disabled) this.stepBtn.click();
      else if (e.key === 'Home') reset.click();
      else if (e.key === 'f' || e.key === 'F') follow.click();
      else return;
      e.preventDefault(); // Space would scroll the page
    });
    root.append(
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '3-D view controls' },
        labelled('Follow camera', follow),
        this.pauseBtn,
        this.stepBtn,
        labelled('Speed', speed),
        labelled('Policy', this.checkpoint),
        reset,
        this.status.el,
      ),
    );

    api.on('viewer.frame', (f) => this.onFrame(f));
  }

  /** The checkpoints of the run on display (from its RunInfo), for the Policy choice. */
  setCheckpoints(runId: string | null, steps: readonly number[]): void {
    if (runId !== (this.state?.runId ?? null)) return;
    fillCheckpoints(this.checkpoint, steps, 'newest (live)');
    if (this.state?.checkpointStep != null) this.checkpoint.value = String(this.state.checkpointStep);
  }

  onState(fn: (s: ViewerState) => void): void {
    this.listeners.add(fn);
  }

  /** Loads a run's policy into the viewer (no run: whatever the studio shows by default). */
  async load(runId?: string): Promise<void> {
    const n = ++this.loads;
    const s = await this.status.run(runId ? 'Loading the policy into the viewer' : 'Loading the viewer', () =>
      runId ? this.api.viewer.load(runId) : this.api.viewer.state(),
    );
    if (s && n === this.loads) this.applyState(s); // an older request's reply would show the wrong run
  }

  applyState(s: ViewerState): void {
    // Ghosts belong to the policy and state they were rolled out from.
    if (this.state && (this.state.runId !== s.runId || this.state.policyStep !== s.policyStep)) this.scene.clearGhosts();
    // Another run (or none) resets the Policy choice; main.ts then passes that run's checkpoints.
    if (s.runId !== this.state?.runId) fillCheckpoints(this.checkpoint, [], 'newest (live)');
    this.state = s;
    this.checkpoint.value = s.checkpointStep == null ? '' : String(s.checkpointStep); // another run's: set again by setCheckpoints once its options are in
    if (this.scene.specId !== s.spec.id || this.scene.bodyCount() !== s.spec.bodies.length) {
      if (robotOf(s.spec.id) !== robotOf(this.scene.specId ?? '')) {
        this.follow.checked = followsByDefault(s.spec, savedFollow());
        this.scene.follow = this.follow.checked;
      }
      this.scene.setSpec(s.spec);
    }
    this.recycleQueue();
    this.empty.textContent = s.spec.bodies.length ? '' : 'No environment loaded';
    this.hudAt = 0;
    this.writeHud(s.policyStep, 0, 0);
    for (const fn of this.listeners) fn(s);
  }

  private onFrame(f: ViewerFrame): void {
    this.framesReceived++;
    if (!this.state || f.task !== this.scene.specId) {
      // The studio switched environments (another window loaded a run): fetch the new spec once.
      if (!this.refetching) {
        this.refetching = true;
        void this.load().finally(() => (this.refetching = false));
      }
      return;
    }
    if (this.paused || this.speed < 1) {
      this.enqueue(f);
      if (this.paused) {
        this.stepBtn.textContent = `Step (${this.queue.length})`;
        return;
      }
      // Slow motion: each arriving frame earns `speed` of a queued frame.
      this.credit += this.speed;
      if (this.credit >= 1) {
        this.credit -= 1;
        this.step();
      }
      return;
    }
    this.scene.setPoses(f.poses);
    this.writeHud(f.policyStep, f.episodeStep, f.episodeReturn);
  }

  private enqueue(f: ViewerFrame): void {
    if (this.queue.length >= QUEUE_MAX) return;
    const q = this.pool.pop() ?? { poses: new Float32Array(f.poses.length), episodeStep: 0, episodeReturn: 0, policyStep: null };
    if (q.poses.length !== f.poses.length) q.poses = new Float32Array(f.poses.length);
    q.poses.set(f.poses);
    q.episodeStep = f.episodeStep;
    q.episodeReturn = f.episodeReturn;
    q.policyStep = f.policyStep;
    this.queue.push(q);
  }

  private recycleQueue(): void {
    this.pool.push(...this.queue.splice(0));
    this.credit = 0;
  }

  private setPaused(p: boolean): void {
    this.paused = p;
    this.pauseBtn.textContent = p ? 'Play' : 'Pause';
    this.pauseBtn.setAttribute('aria-pressed', String(p));
    this.stepBtn.disabled = !p;
    if (!p) {
      if (this.speed >= 1) this.recycleQueue();
      this.stepBtn.textContent = 'Step';
    }
  }

  private step(): void {
    const q = this.queue.shift();
    if (!q) return;
    this.scene.setPoses(q.poses);
    this.hudAt = 0;
    this.writeHud(q.policyStep, q.episodeStep, q.episodeReturn);
    this.pool.push(q);
    if (this.paused) this.stepBtn.textContent = `Step (${this.queue.length})`;
  }

  private writeHud(policyStep: number | null, episodeStep: number, ret: number): void {
    const now = performance.now();
    if (now - this.hudAt < 100) return; // ~10 Hz is plenty for text
    this.hudAt = now;
    const s = this.state;
    const mode = s ? `${s.mode}${s.mode === 'stochastic' ? ` T=${s.temperature.toFixed(2)}` : ''}` : '';
    this.hud.textContent =
      `${s?.task ?? ''}  ${s?.runId ? `run ${s.runId}` : 'no run chosen'}\n` +
      // The snapshot counts gradient updates, not env steps (a run's checkpoint 100,000 is ~95,000
      // updates after its warm-up), so say which.
      (policyStep === null
        ? // A run whose folder holds no checkpoint (metrics only, or pruned) has nothing to show: say so.
          `${s?.runId ? 'no saved policy in this run: ' : ''}uniform random actions\n`
        : `${s?.checkpointStep != null ? `checkpoint ${fmtInt(s.checkpointStep)}: ` : ''}policy after ${fmtInt(policyStep)} updates  ${mode}\n`) +
      `episode step ${episodeStep}  return ${ret.toFixed(2)}  ${this.scene.fps.toFixed(0)} fps`;
  }
}
