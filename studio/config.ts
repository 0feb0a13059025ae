// The resolved training configuration: scenario defaults + task defaults + user overrides.
// Stored whole in run.json so a run can always be resumed or reproduced.
import { SETTING_KEYS, type RunOverrides, type TrainSettings } from './api.ts';

export interface TrainConfig {
  task: string;
  /** Variant as the user wrote it (JSON object or a built-in variant name), validated; or null. */
  variant: Record<string, unknown> | string | null;
  algo: 'sac' | 'sql';
  steps: number;
  seed: number;
  numEnvs: number;
  hidden: number[];
  batchSize: number;
  lr: number;
  gamma: number;
  tau: number;
  learningStarts: number;
  replaySize: number;
  updatesPerStep: number;
  logEvery: number;
  snapshotEvery: number;
  checkpointEvery: number;
  policy: 'gaussian' | 'mixture';
  components: number;
  /**
   * SQL: particles per state, both the uniform samples of the soft value (M) and the sampler's
   * SVGD particles (K). The update costs about (M + 3K)× a critic pass per sample, so fewer trade
   * accuracy for speed on a big problem. Runs recorded before this field trained with 16.
   */
  particles: number;
  initAlpha: number;
  /** Tune α toward the target entropy (SAC). Off = α stays at initAlpha (multimodal pretraining). */
  autoAlpha: boolean;
  device: 'auto' | 'cpu' | 'webgpu' | 'tfjs';
  /**
   * CPU threads for the SAC update (data-parallel over the batch); 0 = auto: measured at start,
   * more threads only where they are faster. Runs recorded before this field read as 0.
   */
  threads: number;
  /** Store the replay buffer in checkpoints (exact resume); 'auto' = while it is <= 128 MB. */
  saveReplay: boolean | 'auto';
  /**
   * Fine-tuning only: restart α at initAlpha (and its Adam moments at 0) instead of the parent's
   * learned α, so the child explores again. The parent's α is tuned to its own task; on a reward
   * that reverses it (cheetah backward) that small α left the fine-tune slower than scratch.
   */
  resetAlpha: boolean;
  /**
   * Keep the policy (agent state, no replay) every this many env steps for good, beside the newest
   * full checkpoints, so the viewer, Evaluate and videos can show how the policy grew; 0 = only the final one.
   * Absent: at each tenth of the run. The final checkpoint of a finished run is always kept.
   */
  keepEvery?: number;
}

/** SAC defaults from SCENARIOS.md; scenarios and tasks override what the problem needs. */
export const SAC_DEFAULTS: Omit<TrainConfig, 'task' | 'variant' | 'steps'> = {
  algo: 'sac',
  seed: 1,
  numEnvs: 1,
  hidden: [256, 256],
  batchSize: 256,
  lr: 3e-4,
  gamma: 0.99,
  tau: 0.005,
  learningStarts: 5000,
  replaySize: 1_000_000,
  updatesPerStep: 1,
  logEvery: 1000,
  snapshotEvery: 2000,
  checkpointEvery: 10000,
  policy: 'gaussian',
  components: 4,
  particles: 16,
  initAlpha: 1,
  autoAlpha: true,
  device: 'auto',
  threads: 0,
  saveReplay: 'auto',
  resetAlpha: false,
};

/** Per-task adjustments with reasons; measured choices are recorded in BENCHMARKS.md. */
export function taskDefaults(task: string): Partial<TrainConfig> {
  if (task.startsWith('point/')) {
    // 2-D problem with 30-step episodes: small nets and a short warm-up learn it in ~10k steps
    // and keep the CPU update cheap (see BENCHMARKS.md, multigoal).
    return {
      hidden: [64, 64],
      batchSize: 128,
      learningStarts: 1000,
      logEvery: 300,
      snapshotEvery: 1000,
      checkpointEvery: 5000,
      steps: 20000,
    };
  }
  if (task.startsWith('arm7/')) return { steps: 200_000 };
  return { steps: 300_000 };
}

/**
 * The fixed α a Soft Q-learning run starts with unless told otherwise. SQL's α scales the entropy
 * against the reward, so it depends on the reward's size: the reference code (softqlearning) keeps
 * α = 1 and scales rewards instead, by 300 on the ant and 30 on the half-cheetah (α ≈ 0.003 and
 * 0.03) and 1 on the pusher. Here the walkers at α = 1 barely moved where α = 0.1 walked or ran:
 * the ant stood still at 30k and 40k steps, the cheetah ran 0.38 against 1.23 m/s at 20k
 * (BENCHMARKS.md, SQL at α = 1).
 */
export function sqlAlpha(task: string): number {
  return task.startsWith('ant/') || task.startsWith('cheetah/') ? 0.1 : 1;
}

export function resolveConfig(task: string, base: Partial<TrainConfig>, overrides: RunOverrides = {}): TrainConfig {
  const merged = { ...SAC_DEFAULTS, ...taskDefaults(task), ...base, variant: base.variant ?? null, task } as TrainConfig;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined || k === 'name' || k === 'task') continue;
    (merged as unknown as Record<string, unknown>)[k] = v;
  }
  if (merged.learningStarts < merged.batchSize) merged.learningStarts = merged.batchSize;
  // Soft Q-learning has no temperature tuning: its α stays at initAlpha, and run.json says so.
  if (merged.algo === 'sql') {
    merged.autoAlpha = false;
    if (base.initAlpha === undefined && overrides.initAlpha === undefined) merged.initAlpha = sqlAlpha(task);
  }
  return merged;
}

/** The learner's hyperparameters of a config, as the studio's Settings show them (a field an old
 * run.json lacks reads as the default it trained with). */
export function settingsOf(config: TrainConfig): TrainSettings {
  const s = Object.fromEntries(SETTING_KEYS.map((k) => [k, config[k] ?? SAC_DEFAULTS[k]])) as TrainSettings;
  // SQL runs recorded before resolveConfig said so carry SAC's autoAlpha: they trained with α fixed.
  if (s.algo === 'sql') s.autoAlpha = false;
  return s;
}
