// Which numerical backend training uses, chosen at start and reported (run.json, `maxent info`, UI).
// CPU kernels always work; WebGPU and tfjs-node-gpu are optional and detected at run time.
import os from 'node:os';
import { createKernels } from '../agents/index.ts';

export interface BackendInfo {
  backend: string;
  device: string;
  notes: string[];
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

export async function describeBackend(device: 'auto' | 'cpu' | 'webgpu' | 'tfjs' = 'auto'): Promise<BackendInfo> {
  const notes: string[] = [];
  if (device === 'tfjs') {
    const err = await tfjsNodeGpu();
    if (err)
      throw new Error(
        `--device tfjs: @tensorflow/tfjs-node-gpu is not usable here (${err}); it is optional: install it where libtensorflow can be downloaded, or use --device cpu`,
      );
    return { backend: 'tfjs-node-gpu', device: 'CUDA (tfjs-node-gpu)', notes };
  }
  if (device === 'webgpu') {
    throw new Error('--device webgpu: the WebGPU backend is not available in this build yet (see the GPU issue); use --device cpu or auto');
  }
  if (device === 'auto') notes.push('no GPU backend available: using the CPU kernels');
  // Report the kernels training will really get, not a guess.
  const kernels = await createKernels('auto');
  return { backend: kernels.name === 'wasm' ? 'cpu-wasm-simd' : `cpu-${kernels.name}`, device: cpuName(), notes };
}
