// The frame plan of a rollout video: which env state each video frame shows. Pure (no DOM), so
// the rule is unit-tested and shared by the UI, the CLI and the tests that check ffprobe's count.
//
// Frame-count rule. An episode of L env steps is kept at the states after steps 0, k, 2k, … and
// always the last one L, i.e. 1 + ceil(L / k) states (k = frameSkip, env steps per kept state).
// Each gap between two kept states is shown as m video frames (m = framesPerStep: m - 1 of them
// interpolated, for envs whose steps are too coarse to watch one frame each), so
//
//     frames(episode) = 1 + m * ceil(L / k)        frames(video) = sum over episodes
//     duration = frames / fps   (frame i is stamped i / fps: a fixed rate, never wall-clock)
//
// Defaults play in real time (one second of video per second of simulated time, to 1 %, k <= 20),
// but never slower than 10 env steps per video second (point tasks have dt = 1 s).
import type { RolloutEpisode } from '../studio/api.ts';

export interface StepRate {
  /** Env steps per kept state (k >= 1). */
  frameSkip: number;
  /** Video frames per kept-state gap (m >= 1). */
  framesPerStep: number;
}

/**
 * m / k frames per env step, as close to real time (fps * dt) as a fraction with k <= 20 gets:
 * the smallest k within 1 %, else the closest. The physics robots (dt 0.05 s) at 30 fps need 1.5:
 * k = 2, m = 3, where whole frames per step (m = 2) played them at 0.75x. Slow envs are capped at
 * 10 env steps per video second (m / k <= fps / 10), never skipping a state for it.
 */
export function defaultStepRate(dt: number, fps: number): StepRate {
  const target = Math.min(fps * dt, Math.max(1, fps / 10)); // video frames per env step
  let best: StepRate = { frameSkip: 1, framesPerStep: 1 };
  let bestErr = Infinity;
  for (let k = 1; k <= 20; k++) {
    const m = Math.min(120, Math.max(1, Math.round(target * k)));
    const err = Math.abs(m / k - target) / target;
    if (err < bestErr - 1e-12) [best, bestErr] = [{ frameSkip: k, framesPerStep: m }, err];
    if (bestErr <= 0.01) break;
  }
  return best;
}

/** Video frames of one episode: 1 + m * ceil(L / k). */
export function episodeFrames(steps: number, rate: StepRate): number {
  return 1 + rate.framesPerStep * Math.ceil(steps / rate.frameSkip);
}

/** Video frames of a whole rollout (the sum over episodes). */
export function totalFrames(episodes: Pick<RolloutEpisode, 'steps'>[], rate: StepRate): number {
  return episodes.reduce((n, e) => n + episodeFrames(e.steps, rate), 0);
}

export interface FrameRef {
  episode: number;
  /** Kept-state index in the episode, and the fraction towards the next one (0 <= f < 1). */
  state: number;
  frac: number;
}

/** The state shown by every video frame, in order. */
export function* framePlan(episodes: Pick<RolloutEpisode, 'steps' | 'stateSteps'>[], rate: StepRate): Generator<FrameRef> {
  const m = rate.framesPerStep;
  for (let e = 0; e < episodes.length; e++) {
    const gaps = episodes[e]!.stateSteps.length - 1;
    if (gaps !== Math.ceil(episodes[e]!.steps / rate.frameSkip))
      throw new Error(`rollout episode ${e}: ${gaps + 1} kept states for ${episodes[e]!.steps} steps at frame skip ${rate.frameSkip}`);
    yield { episode: e, state: 0, frac: 0 };
    for (let g = 0; g < gaps; g++)
      for (let j = 1; j <= m; j++) yield j === m ? { episode: e, state: g + 1, frac: 0 } : { episode: e, state: g, frac: j / m };
  }
}
