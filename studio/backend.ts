// Which numerical backend training uses, chosen at start and reported (run.json, `maxent info`, UI).
// CPU kernels always work; WebGPU and tfjs-node-gpu are optional and detected at run time.
//   auto   → WebGPU when a real (hardware) adapter exists and the learner runs there, else CPU
//   webgpu → WebGPU or a clear error (a software adapter only with MAXENT_WEBGPU_SOFTWARE=1)
//   cpu    → the WASM SIMD kernels (TS where the engine lacks SIMD)
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import {
  SOFTWARE_ENV,
  acquireGpu,
  chooseSacThreads,
  createAgent,
  createGpuSacAgent,
  createKernels,
  probeGpu,
  useSwiftShaderIcd,
  type Agent,
  type AgentConfig,
} from '../agents/index.ts';

export type DeviceChoice = 'auto' | 'cpu' | 'webgpu' | 'tfjs';

// The Vulkan loader reads its driver list from the real process environment, which a worker
// thread cannot change (its process.env is a copy): with the software opt-in, set it here, in the
// main thread, before any training worker loads Dawn (resume spawns one without asking us first).
if (isMainThread && process.env[SOFTWARE_ENV] === '1') useSwiftShaderIcd();

export interface BackendInfo {
  backend: string;
  device: string;
  notes: string[];
  /** CPU threads of the SAC update (CPU backends). */
  threads?: number;
  /** What a WebGPU probe found (adapter name) or why there is none; absent when not probed. */
  webgpu?: { adapter: string; software: boolean } | { unavailable: string };
}

function cpuName(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() || 'CPU'} (${cpus.length} logical cores)`;
}

async function tfjsNodeGpu(): Promise<string | null> {
  try {
    const name = '@tensorflow/tfjs-node-gpu';
    await import(/* @vite-ignore */ name);
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Explicit opt-in to a software adapter (SwiftShader) for `--device webgpu`: testing only. */
function softwareOptIn(device: DeviceChoice): boolean {
  if (device !== 'webgpu' || process.env[SOFTWARE_ENV] !== '1') return false;
  useSwiftShaderIcd();
  return true;
}

/** Why the WebGPU learner cannot train this agent config, or null. */
function gpuUnsupported(agent?: Pick<AgentConfig, 'algo' | 'policy'>): string | null {
  if (!agent) return null;
  if (agent.algo !== 'sac') return `the WebGPU learner runs SAC only (not ${agent.algo})`;
  if ((agent.policy ?? 'gaussian') !== 'gaussian') return 'the WebGPU learner has the Gaussian policy head only (not the mixture)';
  return null;
}

/**
 * Resolves a device choice to the backend training will use. Pass the agent config where it is
 * known: SQL and the mixture head run on the CPU only.
 */
export async function describeBackend(device: DeviceChoice = 'auto', agent?: Pick<AgentConfig, 'algo' | 'policy'>): Promise<BackendInfo> {
  const notes: string[] = [];
  if (device === 'tfjs') {
    const err = await tfjsNodeGpu();
    if (err)
      throw new Error(
        `--device tfjs: @tensorflow/tfjs-node-gpu is not usable here (${err}); it is optional: install it where libtensorflow can be downloaded, or use --device cpu`,
      );
    return { backend: 'tfjs-node-gpu', device: 'CUDA (tfjs-node-gpu)', notes };
  }
  if (device === 'webgpu' || device === 'auto') {
    const unsupported = gpuUnsupported(agent);
    if (unsupported && device === 'webgpu') throw new Error(`--device webgpu: ${unsupported}; use --device cpu`);
    if (unsupported) {
      // A user without a GPU needs to hear that first; the head limit matters only where one exists.
      const r = await probeGpu({ allowSoftware: false });
      notes.push(
        'info' in r
          ? `GPU ${r.info.name} not used: ${unsupported}; using the CPU kernels`
          : `no GPU backend: ${r.reason}; using the CPU kernels`,
      );
    } else {
      const r = await probeGpu({ allowSoftware: softwareOptIn(device) });
      if ('info' in r) {
        if (r.info.software) notes.push(`software WebGPU adapter (${SOFTWARE_ENV}=1): slower than the CPU kernels, for testing only`);
        return { backend: 'webgpu', device: r.info.name, notes, webgpu: { adapter: r.info.name, software: r.info.software } };
      }
      if (device === 'webgpu') throw new Error(`--device webgpu: ${r.reason}; use --device cpu or auto`);
      notes.push(`no GPU backend: ${r.reason}; using the CPU kernels`);
      const kernels = await createKernels('auto');
      return { ...cpuBackend(kernels), notes, webgpu: { unavailable: r.reason } };
    }
  }
  // Report the kernels training will really get, not a guess.
  const kernels = await createKernels('auto');
  return { ...cpuBackend(kernels), notes };
}

function cpuBackend(kernels: { name: string; detail?: string }): { backend: string; device: string } {
  // e.g. cpu-wasm-simd+fma (the relaxed-SIMD build), cpu-wasm-simd, cpu-ts
  return { backend: `cpu-${kernels.detail ?? (kernels.name === 'wasm' ? 'wasm-simd' : kernels.name)}`, device: cpuName() };
}

/**
 * The CPU agent, with config.threads resolved (0 = auto: measured, SAC only) and reported in the
 * device string, e.g. "AMD EPYC (2 logical cores), 2 update threads".
 */
async function cpuAgent(config: AgentConfig, info: BackendInfo): Promise<{ agent: Agent; info: BackendInfo }> {
  let threads = 1;
  if (config.algo === 'sac') {
    const choice = await chooseSacThreads(config, config.threads ?? 1, () => createKernels(config.backend ?? 'auto'));
    threads = choice.threads;
    if (choice.trials.length)
      info.notes.push(`update threads measured: ${choice.trials.map((t) => `${t.threads} → ${t.updatesPerSec.toFixed(1)}/s`).join(', ')}`);
  } else if ((config.threads ?? 0) > 1) info.notes.push(`${config.algo} updates on one thread`);
  const agent = await createAgent({ ...config, threads });
  return { agent, info: { ...info, threads, device: threads > 1 ? `${info.device}, ${threads} update threads` : info.device } };
}

/**
 * The training agent for a device choice, and the backend it really runs on. The WebGPU learner
 * keeps its replay on the GPU (replayCapacity transitions) and acts with a CPU copy of the policy.
 */
export async function createTrainingAgent(
  config: AgentConfig,
  device: DeviceChoice,
  replayCapacity: number,
): Promise<{ agent: Agent; info: BackendInfo }> {
  const info = await describeBackend(device, config);
  if (info.backend !== 'webgpu') return cpuAgent(config, info);
  const ctx = await acquireGpu({ allowSoftware: softwareOptIn(device) });
  if ('reason' in ctx) {
    if (device === 'webgpu') throw new Error(`--device webgpu: ${ctx.reason}; use --device cpu or auto`);
    const cpu = await describeBackend('cpu');
    return cpuAgent(config, { ...cpu, notes: [`WebGPU unavailable (${ctx.reason}): using the CPU kernels`] });
  }
  const { algo: _algo, backend: _backend, ...sac } = config;
  const agent = await createGpuSacAgent(sac, ctx, { replayCapacity, mirrorKernels: await createKernels(config.backend ?? 'auto') });
  return { agent, info: { ...info, device: ctx.info.name } };
}
