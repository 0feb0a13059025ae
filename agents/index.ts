// Public API of agents/. studio/ imports from here (and types from agent.ts).

import type { Agent } from './agent.ts';
import type { Kernels } from './nn/kernels.ts';
import { createTsKernels } from './nn/ts-kernels.ts';
import { createWasmKernels, wasmSimdSupported } from './nn/wasm/wasm-kernels.ts';
import { createSacAgent, type SacConfig } from './sac/sac.ts';
import { createParallelSacAgent } from './sac/parallel-sac.ts';
import { createSqlAgent } from './sql/sql.ts';

export type { Agent, ActOptions, Batch, Checkpoint, CheckpointMeta, PolicySnapshot, UpdateMetrics } from './agent.ts';
export type { Kernels } from './nn/kernels.ts';
export type { Rng } from './rng.ts';
export type { SacConfig, SacAgent, ResolvedSacConfig } from './sac/sac.ts';
export type { SqlConfig, SqlAgent, ResolvedSqlConfig } from './sql/sql.ts';
export type { PolicyRunner, PolicyRunnerOptions } from './policy-runner.ts';
export type { ReplayState } from './replay.ts';

export { createSacAgent, resolveSacConfig } from './sac/sac.ts';
export type { ParallelSacAgent } from './sac/parallel-sac.ts';
export { createParallelSacAgent, isParallelSacAgent } from './sac/parallel-sac.ts';
export type { ThreadChoice, ThreadTrial } from './sac/thread-choice.ts';
export { chooseSacThreads, measureSacThreads } from './sac/thread-choice.ts';
export { createSqlAgent, resolveSqlConfig } from './sql/sql.ts';
export { createPolicyRunner } from './policy-runner.ts';
export { ReplayBuffer, addReplayToCheckpoint, restoreReplayFromCheckpoint } from './replay.ts';
export { createRng } from './rng.ts';
export { encodeCheckpoint, decodeCheckpoint } from './checkpoint/safetensors.ts';
export { createTsKernels } from './nn/ts-kernels.ts';
export { Mlp, mlpLayout } from './nn/mlp.ts';
// WebGPU: Dawn ('webgpu') is optional and imported only when a device is asked for.
export type { GpuSacAgent, GpuSacOptions } from './gpu/sac-gpu.ts';
export type { GpuAdapterInfo, GpuContext } from './gpu/device.ts';
export { createGpuSacAgent, isGpuSacAgent } from './gpu/sac-gpu.ts';
export { acquireGpu, probeGpu, useSwiftShaderIcd, SOFTWARE_ENV } from './gpu/device.ts';

export interface AgentConfig extends SacConfig {
  algo: 'sac' | 'sql';
  /** Numerical backend: 'ts' (plain TypeScript). 'auto' picks the fastest available. */
  backend?: 'auto' | 'ts' | 'wasm';
  /** SAC: CPU threads for the data-parallel update (default 1; see chooseSacThreads for auto). */
  threads?: number;
  /** SQL: uniform samples per next state for the soft value (default 16). */
  valueParticles?: number;
  /** SQL: sampler particles per state for SVGD (default 16). */
  svgdParticles?: number;
}

/**
 * Creates the kernels for a backend name (async: a WASM backend must be instantiated).
 * 'auto' picks WebAssembly SIMD where the engine has it (7x the TS kernels at 64x64, see
 * BENCHMARKS.md), else the plain TS kernels.
 */
export async function createKernels(backend: 'auto' | 'ts' | 'wasm' = 'auto'): Promise<Kernels> {
  if (backend === 'ts') return createTsKernels();
  if (wasmSimdSupported()) return createWasmKernels();
  if (backend === 'wasm') throw new Error('backend wasm: this JavaScript engine has no WebAssembly SIMD; use the ts backend');
  return createTsKernels();
}

export async function createAgent(config: AgentConfig): Promise<Agent> {
  const { algo, backend, threads, ...rest } = config;
  if (algo === 'sac') {
    const kernels = await createKernels(backend ?? 'auto');
    if ((threads ?? 1) > 1) return createParallelSacAgent(rest, kernels, { threads: threads! });
    return createSacAgent(rest, kernels);
  }
  // SQL ignores the SAC-only fields (policy head, auto-α): its α = initAlpha stays fixed.
  if (algo === 'sql') return createSqlAgent(rest, await createKernels(backend ?? 'auto'));
  throw new Error(`createAgent: unknown algo ${JSON.stringify(algo)}`);
}
