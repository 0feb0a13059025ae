// An agent rebuilt from a run's checkpoint: the one place the studio turns saved state back into
// a working agent (evaluation, video rollouts, the viewer's policy and critics).
import { listTasks } from '../sim/index.ts';
import { createAgent, decodeCheckpoint } from '../agents/index.ts';
import type { Agent } from '../agents/agent.ts';
import type { TrainConfig } from './config.ts';
import type { RunRecord, RunStore } from './runs/store.ts';
import { agentConfigFrom } from './worker/agent-config.ts';

/** An agent for `config` holding the full state in `bytes`; errors name `source` (the file). */
export async function agentFromCheckpoint(config: TrainConfig, bytes: Uint8Array, source: string): Promise<Agent> {
  const task = listTasks().find((t) => t.id === config.task);
  if (!task) throw new Error(`unknown task ${config.task} (checkpoint ${source})`);
  const agent = await createAgent(agentConfigFrom(config, task.obsDim, task.actDim));
  try {
    agent.load(decodeCheckpoint(bytes));
  } catch (e) {
    throw new Error(`cannot load checkpoint ${source}: ${(e as Error).message}`);
  }
  return agent;
}

/** The run's agent at checkpoint `step` (default: the latest). */
export async function loadRunAgent(store: RunStore, runId: string, step?: number): Promise<{ rec: RunRecord; agent: Agent; step: number }> {
  const rec = store.read(runId);
  const ck = store.readCheckpoint(runId, step);
  return { rec, agent: await agentFromCheckpoint(rec.config, ck.bytes, ck.file), step: ck.step };
}
