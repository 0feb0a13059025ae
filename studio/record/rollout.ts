// Deterministic rollouts for rollout videos. The renderer renders a video frame by frame from this
// pose sequence (never from the live, wall-clock viewer stream), so the same run, checkpoint and
// options always give the same video, however slow the machine.
//
// Determinism: the policy is the run's latest checkpoint or the one asked for (its step is reported), episode e resets
// with seed `seed + e`, and the stochastic policy samples from its own RNG seeded with `seed`;
// ghosts use a second RNG so switching them on or off leaves the main rollout unchanged.
import { createEnv } from '../../sim/index.ts';
import type { Env } from '../../sim/env.ts';
import { createPolicyRunner } from '../../agents/index.ts';
import type { GhostRollouts, RolloutEpisode, RolloutOptions, RolloutResult } from '../api.ts';
import type { RunStore } from '../runs/store.ts';
import { loadRunAgent } from '../run-agent.ts';
import { sceneSpec } from '../viewer/viewer.ts';

/** Upper bound on poses sent to the renderer (a JSON reply of ~50 MB at most). */
const MAX_POSE_FLOATS = 6_000_000;

export async function computeRollout(store: RunStore, runId: string, opts: RolloutOptions): Promise<RolloutResult> {
  store.read(runId);
  if (opts.step === undefined && store.newestCheckpoint(runId) == null)
    throw new Error(store.noCheckpoint(runId, ': record it after its first checkpoint'));
  const { rec, agent, step } = await loadRunAgent(store, runId, opts.step);
  const snapshot = agent.exportPolicy();
  const episodes = opts.episodes ?? 3;
  const seed = opts.seed ?? 0;
  const frameSkip = opts.frameSkip ?? 1;
  const temperature = opts.temperature ?? 1;
  const deterministic = !opts.stochastic;
  const ghostK = opts.ghosts ?? 0;
  const runner = createPolicyRunner(snapshot, { seed });
  const ghostRunner = ghostK > 0 ? createPolicyRunner(snapshot, { seed: seed + 0x9e37 }) : null;
  const env = await createEnv(rec.config.task, { variant: rec.config.variant ?? undefined, seed });
  try {
    const s = env.spec;
    const ghostHorizon = opts.ghostHorizon ?? Math.min(s.maxEpisodeSteps, 100);
    const bodyFloats = s.bodies.length * 7;
    const poses = new Float32Array(bodyFloats);
    const out: RolloutEpisode[] = [];
    let floats = 0;
    for (let e = 0; e < episodes; e++) {
      const epSeed = seed + e;
      let obs: Float32Array = env.reset(epSeed).slice();
      const ghosts = ghostRunner ? rollGhosts(env, obs, ghostRunner, ghostK, ghostHorizon, temperature) : undefined;
      const ep: RolloutEpisode = { seed: epSeed, steps: 0, stateSteps: [0], returns: [0], poses: Array.from(env.poses(poses)), ghosts };
      let ret = 0;
      let t = 0;
      for (;;) {
        const a = runner.act(obs, { deterministic, temperature });
        const r = env.step(a);
        obs = r.obs;
        ret += r.reward;
        t++;
        const end = r.terminated || r.truncated || t >= s.maxEpisodeSteps;
        // Keep every frameSkip-th state and always the last one (see RolloutEpisode).
        if (t % frameSkip === 0 || end) {
          env.poses(poses);
          for (let i = 0; i < bodyFloats; i++) ep.poses.push(poses[i]!);
          ep.stateSteps.push(t);
          ep.returns.push(ret);
        }
        if (end) break;
      }
      ep.steps = t;
      floats += ep.poses.length;
      if (floats > MAX_POSE_FLOATS)
        throw new Error(`rollout too long: more than ${MAX_POSE_FLOATS} pose values; record fewer episodes or a larger frame skip`);
      out.push(ep);
    }
    return {
      runId,
      task: s.id,
      checkpointStep: step,
      dt: s.dt,
      frameSkip,
      stochastic: !deterministic,
      seed,
      spec: sceneSpec(s),
      episodes: out,
    };
  } finally {
    env.dispose();
  }
}

/** k sampled futures from the episode start (env state restored afterwards). */
function rollGhosts(
  env: Env,
  obs0: Float32Array,
  runner: ReturnType<typeof createPolicyRunner>,
  k: number,
  horizon: number,
  temperature: number,
): GhostRollouts {
  const start = env.snapshot();
  const poses = new Float32Array(env.spec.bodies.length * 7);
  const trails: number[][] = [];
  const finalPoses: number[][] = [];
  for (let g = 0; g < k; g++) {
    env.restore(start);
    let o: Float32Array = obs0;
    const trail: number[] = [];
    for (let h = 0; h < horizon; h++) {
      const r = env.step(runner.act(o, { deterministic: false, temperature }));
      env.poses(poses);
      trail.push(poses[0]!, poses[1]!, poses[2]!);
      o = r.obs;
      if (r.terminated || r.truncated) break;
    }
    trails.push(trail);
    finalPoses.push(Array.from(env.poses(poses)));
  }
  env.restore(start);
  return { trails, finalPoses };
}
