// Maps a run's TrainConfig onto the agent factory's config (agents/ never sees TrainConfig).
import type { AgentConfig } from '../../agents/index.ts';
import type { TrainConfig } from '../config.ts';

/** Agent fields a TrainConfig may carry beyond its declared ones (not yet CLI/UI options). */
type ExtraAgentFields = Partial<Pick<AgentConfig, 'targetEntropy' | 'valueParticles' | 'svgdParticles'>>;

export function agentConfigFrom(cfg: TrainConfig & ExtraAgentFields, obsDim: number, actDim: number): AgentConfig {
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
    // 0 = auto (measured when the agent is created, studio/backend.ts).
    threads: cfg.threads ?? 0,
    // Runs recorded before autoAlpha existed tuned α: keep them doing so.
    autoAlpha: cfg.autoAlpha ?? true,
    ...(cfg.algo === 'sql' && { valueParticles: cfg.particles ?? 16, svgdParticles: cfg.particles ?? 16 }),
    ...(cfg.targetEntropy !== undefined && { targetEntropy: cfg.targetEntropy }),
    ...(cfg.valueParticles !== undefined && { valueParticles: cfg.valueParticles }),
    ...(cfg.svgdParticles !== undefined && { svgdParticles: cfg.svgdParticles }),
  };
}
