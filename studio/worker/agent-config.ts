// Maps a run's TrainConfig onto the agent factory's config (agents/ never sees TrainConfig).
import type { AgentConfig } from '../../agents/index.ts';
import type { TrainConfig } from '../config.ts';

export function agentConfigFrom(cfg: TrainConfig, obsDim: number, actDim: number): AgentConfig {
  return {
    algo: cfg.algo,
    obsDim,
    actDim,
    hidden: cfg.hidden,
    lr: cfg.lr,
    gamma: cfg.gamma,
    tau: cfg.tau,
    batchSize: cfg.batchSize,
    initAlpha: cfg.initAlpha,
    policy: cfg.policy,
    components: cfg.components,
    seed: cfg.seed,
  };
}
