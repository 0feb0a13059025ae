/// <reference types="@webgpu/types" />
// WebGPU device acquisition through `webgpu` (Dawn for Node), an optional dependency: it is
// imported lazily, so nothing breaks where it is absent or finds no adapter.
//
// Software adapters (SwiftShader, llvmpipe/lavapipe, Dawn's fallback) are far slower than our WASM
// SIMD kernels, so they are refused unless asked for (allowSoftware): `--device auto` must only
// ever pick a real GPU. Tests opt in and point Vulkan at Chromium's SwiftShader ICD.

import fs from 'node:fs';

export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's fallback flag or a known software rasteriser (SwiftShader, llvmpipe, lavapipe). */
  software: boolean;
  /** One line for `maxent info`, run.json and the UI. */
  name: string;
}

export interface GpuContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  info: GpuAdapterInfo;
}

export interface AcquireOptions {
  /** Accept a software/fallback adapter (tests, explicit opt-in). Default false. */
  allowSoftware?: boolean;
}

/** Chromium's SwiftShader Vulkan driver (Debian package `chromium`; .ci/install-deps.sh). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Set to 1 to let an explicit `--device webgpu` run on a software adapter. */
export const SOFTWARE_ENV = 'MAXENT_WEBGPU_SOFTWARE';

/**
 * Points the Vulkan loader at SwiftShader when no driver list is configured and the ICD exists.
 * Must run before Dawn loads (the loader reads the variable once). Returns whether it is set now.
 */
export function useSwiftShaderIcd(): boolean {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return true;
  if (!fs.existsSync(SWIFTSHADER_ICD)) return false;
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return true;
}

type WebGpuModule = { create(options: string[]): GPU; globals: Record<string, unknown> };
let modulePromise: Promise<WebGpuModule | string> | null = null;
let gpuInstance: GPU | null = null;

/** Loads Dawn once; resolves to the module or to the reason it cannot load. */
function loadWebGpu(): Promise<WebGpuModule | string> {
  modulePromise ??= (async () => {
    try {
      const name = 'webgpu';
      const m = (await import(/* @vite-ignore */ name)) as WebGpuModule;
      // GPUBufferUsage and friends are globals in browsers; Dawn exports them separately.
      for (const [k, v] of Object.entries(m.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
      return m;
    } catch (e) {
      return `the optional package 'webgpu' (Dawn) cannot load: ${(e as Error).message.split('\n')[0]}`;
    }
  })();
  return modulePromise;
}

const SOFTWARE_RE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

export function describeAdapter(adapter: GPUAdapter): GpuAdapterInfo {
  // `info` is newer than the @webgpu/types the tree resolves; Dawn has it.
  const i = (adapter as unknown as { info?: Record<string, string | boolean | undefined> }).info ?? {};
  const str = (k: string): string => (typeof i[k] === 'string' ? (i[k] as string) : '');
  const vendor = str('vendor'),
    architecture = str('architecture'),
    device = str('device'),
    description = str('description');
  const legacyFallback = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const software = !!(i['isFallbackAdapter'] || legacyFallback) || SOFTWARE_RE.test(`${vendor} ${architecture} ${device} ${description}`);
  const main = description || device || 'unknown GPU';
  const extra = [vendor, architecture].filter(Boolean).join('/');
  return {
    vendor,
    architecture,
    device,
    description,
    software,
    name: `${main}${extra ? ` (${extra})` : ''}${software ? ' [software]' : ''}`,
  };
}

/** Finds an adapter without creating a device; resolves to its info or the reason there is none. */
export async function probeGpu(opts: AcquireOptions = {}): Promise<{ info: GpuAdapterInfo } | { reason: string }> {
  const r = await requestAdapter(opts);
  return 'adapter' in r ? { info: r.info } : r;
}

/**
 * On Linux, no GPU device node and no Vulkan driver list means no adapter: say so without loading
 * Dawn (it would print Vulkan loader warnings on stderr and cost a load for nothing).
 */
function linuxWithoutGpu(): boolean {
  if (process.platform !== 'linux' || process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return false;
  const has = (dir: string, re: RegExp): boolean => {
    try {
      return fs.readdirSync(dir).some((f) => re.test(f));
    } catch {
      return false;
    }
  };
  return !has('/dev/dri', /^renderD/) && !has('/dev', /^(nvidia\d|nvidiactl|dxg|kfd)$/);
}

async function requestAdapter(opts: AcquireOptions): Promise<{ adapter: GPUAdapter; info: GpuAdapterInfo } | { reason: string }> {
  if (linuxWithoutGpu()) return { reason: 'no GPU on this machine (no /dev/dri render node, no /dev/nvidia*)' };
  const m = await loadWebGpu();
  if (typeof m === 'string') return { reason: m };
  try {
    gpuInstance ??= m.create([]);
    const adapter = await gpuInstance.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { reason: 'WebGPU (Dawn) found no GPU adapter on this machine' };
    const info = describeAdapter(adapter);
    if (info.software && !opts.allowSoftware)
      return {
        reason: `only a software WebGPU adapter is available (${info.name}); it is slower than the CPU kernels (set ${SOFTWARE_ENV}=1 to use it anyway)`,
      };
    return { adapter, info };
  } catch (e) {
    return { reason: `WebGPU adapter request failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

/**
 * Acquires a device with the adapter's own buffer limits (the defaults, 128/256 MiB, are too
 * small for a 3x1024 learner or a 1M-transition replay). Resolves to the reason on failure.
 */
export async function acquireGpu(opts: AcquireOptions = {}): Promise<GpuContext | { reason: string }> {
  const r = await requestAdapter(opts);
  if (!('adapter' in r)) return r;
  const { adapter, info } = r;
  const l = adapter.limits;
  try {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 8),
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      },
    });
    return { device, adapter, info };
  } catch (e) {
    return { reason: `WebGPU device request failed on ${info.name}: ${(e as Error).message.split('\n')[0]}` };
  }
}
