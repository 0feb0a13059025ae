// Which numerical backend training uses, chosen at start and reported (run.json, `maxent info`, UI).
// CPU kernels always work; WebGPU and tfjs-node-gpu are optional and detected at run time.
import os from 'node:os';

export interface BackendInfo {
  backend: string;
  device: string;
  notes: string[];
}

function cpuName(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() || 'CPU'} (${cpus.length} logical cores)`;
}

/** A minimal module using one v128 instruction: validates only where WebAssembly SIMD exists. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function wasmSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
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
    if (err) throw new Error(`--device tfjs: @tensorflow/tfjs-node-gpu is not usable here (${err}); it is optional: install it where libtensorflow can be downloaded, or use --device cpu`);
    return { backend: 'tfjs-node-gpu', device: 'CUDA (tfjs-node-gpu)', notes };
  }
  if (device === 'webgpu') {
    throw new Error('--device webgpu: the WebGPU backend is not available in this build yet (see the GPU issue); use --device cpu or auto');
  }
  if (device === 'auto') notes.push('no GPU backend available: using the CPU kernels');
  return { backend: wasmSimd() ? 'cpu-wasm-simd' : 'cpu-ts', device: cpuName(), notes };
}
