// The viewer simulation: runs in the host process (Electron main or `maxent serve`), steps its
// own env with the latest policy snapshot at display rate and streams poses. Ghost rollouts
// branch from the current state through exact env snapshots.
import { createEnv } from '../../sim/index.ts';
import type { Env, EnvSpec } from '../../sim/env.ts';
import { createPolicyRunner } from '../../agents/index.ts';
import type { Agent, PolicySnapshot } from '../../agents/agent.ts';
import type { ActionSamples, GhostRollouts, QLandscape, ViewerFrame, ViewerState } from '../api.ts';
import type { TrainConfig } from '../config.ts';
import { agentFromCheckpoint } from '../run-agent.ts';

type Runner = ReturnType<typeof createPolicyRunner>;

export interface ViewerSource {
  runId: string | null;
  config: Pick<TrainConfig, 'task' | 'variant' | 'seed'> & Partial<TrainConfig>;
  snapshot: PolicySnapshot | null;
  /** Loads the checkpoint on display (for the Q landscape); null when there is none yet. */
  checkpoint: () => { step: number; bytes: Uint8Array; file: string } | null;
  /** Why checkpoint() found none (default: none yet). */
  noCheckpoint?: () => string;
  /** A checkpoint (env step) shown as it was: live snapshots from training leave it alone. */
  pinned?: number;
}

/** What a page needs of an env to draw it (ViewerState.spec, RolloutResult.spec). */
export function sceneSpec(s: EnvSpec): ViewerState['spec'] {
  return {
    id: s.id,
    obsDim: s.obsDim,
    actDim: s.actDim,
    bodies: s.bodies,
    markers: s.markers,
    actionNames: s.actionNames,
    travels: s.travels ?? false,
  };
}

export class Viewer {
  private env: Env | null = null;
  private source: ViewerSource | null = null;
  private runner: Runner | null = null;
  private critic: { agent: Agent; step: number } | null = null;
  private obs: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private episodeSeed = 0;
  private episodeStep = 0;
  private episodeReturn = 0;
  private mode: 'stochastic' | 'deterministic' = 'stochastic';
  private temperature = 1;
  private timer: NodeJS.Timeout | null = null;
  private poses = new Float32Array(0);
  private randomAct = new Float32Array(0);
  private rngState = 12345;

  constructor(private readonly onFrame: (f: ViewerFrame) => void) {}

  /** Loads so far, and the newest: a load overtaken while it awaited its source or env answers with the newest's state. */
  private loads = 0;
  private newest: Promise<ViewerState> | null = null;

  /** Shows a source; one still being read (a checkpoint to decode) may be passed as a promise. */
  load(source: ViewerSource | Promise<ViewerSource>): Promise<ViewerState> {
    const p = this.loadNow(source, ++this.loads);
    this.newest = p;
    return p;
  }

  private async loadNow(pending: ViewerSource | Promise<ViewerSource>, n: number): Promise<ViewerState> {
    const source = await pending;
    if (n !== this.loads) return this.newest!;
    const env = await createEnv(source.config.task, { variant: source.config.variant ?? undefined, seed: source.config.seed });
    // Two runs chosen in quick succession: the slower one (a checkpoint to read, the ant's env)
    // must not land last and show its robot under the other run's name.
    if (n !== this.loads) {
      env.dispose();
      return this.newest!;
    }
    this.stopLoop();
    this.env?.dispose();
    this.source = source;
    this.critic = null;
    this.env = env;
    this.runner = source.snapshot ? createPolicyRunner(source.snapshot) : null;
    this.poses = new Float32Array(this.env.spec.bodies.length * 7);
    this.randomAct = new Float32Array(this.env.spec.actDim);
    this.episodeSeed = source.config.seed * 1000;
    this.resetEpisode();
    this.startLoop();
    return this.state();
  }

  /** New weights from the training worker (only for the run on display). */
  setSnapshot(runId: string, snap: PolicySnapshot): void {
    if (!this.source || this.source.runId !== runId || this.source.pinned !== undefined) return;
    this.source.snapshot = snap;
    if (this.runner) this.runner.load(snap);
    else this.runner = createPolicyRunner(snap);
  }

  get loaded(): boolean {
    return this.env !== null;
  }

  get runId(): string | null {
    return this.source?.runId ?? null;
  }

  setMode(mode: 'stochastic' | 'deterministic', temperature?: number): ViewerState {
    this.mode = mode;
    if (temperature !== undefined) this.temperature = temperature;
    return this.state();
  }

  state(): ViewerState {
    const env = this.requireEnv();
    const s = env.spec;
    return {
      runId: this.source?.runId ?? null,
      task: s.id,
      spec: sceneSpec(s),
      mode: this.mode,
      temperature: this.temperature,
      policyStep: this.source?.snapshot?.step ?? null,
      checkpointStep: this.source?.pinned ?? null,
    };
  }

  /** k sampled futures from the current state; the displayed episode is left exactly as it was. */
  ghosts(k: number, horizon: number, from: 'current' | 'start' = 'current'): GhostRollouts {
    const env = this.requireEnv();
    const saved = env.snapshot();
    const savedObs = this.obs.slice();
    // 'start' branches every ghost from one fresh episode start (where multimodal policies fan
    // out); the displayed episode is restored afterwards either way.
    let origin = { state: saved, obs: savedObs };
    if (from === 'start') {
      const obs = env.reset(this.episodeSeed).slice();
      origin = { state: env.snapshot(), obs };
    }
    const trails: number[][] = [];
    const finalPoses: number[][] = [];
    const act = new Float32Array(env.spec.actDim);
    const tb = (env.spec.traceBody ?? 0) * 7; // the arm's hand, the walkers' torso
    for (let g = 0; g < k; g++) {
      env.restore(origin.state);
      let o: Float32Array<ArrayBufferLike> = origin.obs;
      const trail: number[] = [];
      for (let h = 0; h < horizon; h++) {
        // Ghosts always sample: they show the spread of the stochastic policy.
        this.policyAction(o, act, false);
        const r = env.step(act);
        env.poses(this.poses);
        trail.push(this.poses[tb], this.poses[tb + 1], this.poses[tb + 2]);
        o = r.obs;
        if (r.terminated || r.truncated) break;
      }
      trails.push(trail);
      finalPoses.push(Array.from(env.poses(this.poses)));
    }
    env.restore(saved);
    this.obs = savedObs;
    return { trails, finalPoses };
  }

  actionSamples(k: number): ActionSamples {
    const env = this.requireEnv();
    const actDim = env.spec.actDim;
    let actions: Float32Array;
    if (this.runner) actions = this.runner.sampleActions(this.obs, k, { temperature: this.temperature });
    else {
      actions = new Float32Array(k * actDim);
      for (let i = 0; i < actions.length; i++) actions[i] = this.uniform() * 2 - 1;
    }
    return { actDim, actions: Array.from(actions) };
  }

  /** Q over a grid of two action dimensions (others fixed at the deterministic action). */
  async qLandscape(dimA: number, dimB: number, grid: number): Promise<QLandscape> {
    const env = this.requireEnv();
    const actDim = env.spec.actDim;
    if (dimA >= actDim || dimB >= actDim) throw new Error(`action dimensions must be < ${actDim} for ${env.spec.id}`);
    const critic = await this.loadCritic();
    const base = new Float32Array(actDim);
    this.policyAction(this.obs, base, true);
    const actions = new Float32Array(grid * grid * actDim);
    for (let b = 0; b < grid; b++) {
      for (let a = 0; a < grid; a++) {
        const row = (b * grid + a) * actDim;
        actions.set(base, row);
        actions[row + dimA] = -1 + (2 * a) / (grid - 1);
        actions[row + dimB] = -1 + (2 * b) / (grid - 1);
      }
    }
    const q = critic.agent.qValues(this.obs, actions, grid * grid);
    return { dimA, dimB, grid, q: Array.from(q), alpha: critic.agent.alpha ?? 1 };
  }

  dispose(): void {
    this.stopLoop();
    this.env?.dispose();
    this.env = null;
  }

  private async loadCritic(): Promise<{ agent: Agent & { alpha?: number }; step: number }> {
    const src = this.source;
    if (!src?.runId) throw new Error('load a run in the viewer first: the Q landscape needs its critics');
    const ck = src.checkpoint();
    if (!ck) throw new Error(src.noCheckpoint?.() ?? `run ${src.runId} has no checkpoint yet; the Q landscape appears after the first one`);
    if (this.critic && this.critic.step === ck.step) return this.critic;
    const agent = await agentFromCheckpoint(src.config as TrainConfig, ck.bytes, ck.file);
    this.critic = { agent, step: ck.step };
    return this.critic;
  }

  private policyAction(obs: Float32Array, out: Float32Array, deterministic: boolean): void {
    if (this.runner) {
      out.set(this.runner.act(obs, { deterministic, temperature: this.temperature }));
    } else {
      for (let i = 0; i < out.length; i++) out[i] = this.uniform() * 2 - 1;
    }
  }

  private uniform(): number {
    // xorshift32: the viewer's own noise for runs without a policy yet (not training-critical).
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x >>> 0;
    return this.rngState / 4294967296;
  }

  private resetEpisode(): void {
    this.obs = this.requireEnv().reset(this.episodeSeed++);
    this.episodeStep = 0;
    this.episodeReturn = 0;
  }

  private tick(): void {
    const env = this.env;
    if (!env) return;
    this.policyAction(this.obs, this.randomAct, this.mode === 'deterministic');
    const r = env.step(this.randomAct);
    this.obs = r.obs;
    this.episodeStep++;
    this.episodeReturn += r.reward;
    env.poses(this.poses);
    this.onFrame({
      runId: this.source?.runId ?? null,
      task: env.spec.id,
      policyStep: this.source?.snapshot?.step ?? null,
      episodeStep: this.episodeStep,
      episodeReturn: this.episodeReturn,
      poses: Array.from(this.poses),
    });
    if (r.terminated || r.truncated) this.resetEpisode();
  }

  private startLoop(): void {
    const dt = this.requireEnv().spec.dt;
    // Real time at the env's control rate, capped at 30 frames/s for the UI.
    const ms = Math.max(1000 / 30, dt * 1000);
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (e) {
        this.stopLoop();
        console.error(`viewer: ${(e as Error).message}`);
      }
    }, ms);
    this.timer.unref();
  }

  private stopLoop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private requireEnv(): Env {
    if (!this.env) throw new Error('the viewer has no run loaded');
    return this.env;
  }
}
