// Test helper: a WebGPU device for parity tests. Uses a real adapter where one exists, else
// Chromium's SwiftShader (CPU Vulkan) when installed; resolves to null, after printing why, where
// there is no adapter at all (tests then skip).
import { acquireGpu, useSwiftShaderIcd, type GpuContext } from './device.ts';

let ctx: Promise<GpuContext | null> | null = null;

export function testGpu(): Promise<GpuContext | null> {
  ctx ??= (async () => {
    useSwiftShaderIcd(); // before Dawn loads
    const r = await acquireGpu({ allowSoftware: true });
    if ('reason' in r) {
      console.log(`WebGPU tests skipped: ${r.reason}`);
      return null;
    }
    console.log(`WebGPU tests on ${r.info.name}`);
    return r;
  })();
  return ctx;
}

export { relErr } from './parity.ts';
