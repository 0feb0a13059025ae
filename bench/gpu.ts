// `maxent bench gpu`: SAC updates/s of the WebGPU learner next to the CPU kernels, in one run.
//   - GPU: agents/gpu learner training from its GPU replay ring (sampling included), ant dims,
//     updatesPerSubmit updates per command buffer, timed over whole submits (readbacks included)
//   - CPU: agents/sac on the WASM SIMD kernels, same dims, hidden sizes and batch
// Default configs are the GPU issue's: batch 256 with 2x256 and batch 1024 with 3x1024. A
// software adapter (SwiftShader) is used only with MAXENT_WEBGPU_SOFTWARE=1 (then pass small
// configs: it runs ~5 updates/s at 2x32). Speed figures for BENCHMARKS.md, never asserted.

import { createKernels } from '../agents/index.ts';
import { acquireGpu, useSwiftShaderIcd, SOFTWARE_ENV } from '../agents/gpu/device.ts';
import { createGpuSacAgent } from '../agents/gpu/sac-gpu.ts';
import { gemmParity, sacParity } from '../agents/gpu/parity.ts';
import type { Batch } from '../agents/agent.ts';
import { randomBatch } from '../agents/random-batch.ts';
import { createSacAgent } from '../agents/sac/sac.ts';
import { sacUpdateMacsPerSample } from './train.ts';

export interface BenchGpuOptions {
  /** Seconds per measurement (at least one timed submit / two CPU updates). Default 3. */
  seconds?: number;
  configs?: { hidden: number[]; batch: number }[];
  /** Updates per command buffer; each value is timed. Default [32]. */
  updatesPerSubmit?: number[];
  /** Time the CPU kernels too. Default true. */
  cpu?: boolean;
  /** Check parity with the CPU oracle first (odd shapes; ant dims at 2x64). Default true. */
  parity?: boolean;
  /** Accept a software adapter (default: MAXENT_WEBGPU_SOFTWARE=1). */
  allowSoftware?: boolean;
  obsDim?: number;
  actDim?: number;
}

export const GPU_CONFIGS = [
  { hidden: [256, 256], batch: 256 },
  { hidden: [1024, 1024, 1024], batch: 1024 },
];
/** What `maxent bench gpu --small` runs: enough to check the path on SwiftShader in seconds. */
export const SMALL_GPU_CONFIGS = [
  { hidden: [32, 32], batch: 64 },
  { hidden: [48, 48, 48], batch: 96 },
];

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

const randomTransitions = (n: number, O: number, A: number, seed: number) => randomBatch(n, O, A, seed);

export async function benchGpu(opts: BenchGpuOptions = {}): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? 3;
  const O = opts.obsDim ?? 27,
    A = opts.actDim ?? 8;
  const configs = opts.configs ?? GPU_CONFIGS;
  const allowSoftware = opts.allowSoftware ?? process.env[SOFTWARE_ENV] === '1';
  if (allowSoftware) useSwiftShaderIcd();
  const ctx = await acquireGpu({ allowSoftware });
  const out: Record<string, unknown> = {
    note: 'SAC updates/s (ant dims) of the WebGPU learner (replay sampled on the GPU) and of agents/sac on the CPU kernels, same run',
    obsDim: O,
    actDim: A,
  };
  if ('reason' in ctx) {
    out.adapter = null;
    out.skipped = ctx.reason;
  } else {
    out.adapter = ctx.info.name;
    out.software = ctx.info.software;
    out.vendor = ctx.info.vendor;
    out.architecture = ctx.info.architecture;
    if (opts.parity ?? true) {
      // the bar: 1e-4 relative to the CPU oracle (kernels at shapes off every tile size)
      out.parity = {
        gemm: { '257x129x300': await gemmParity(ctx, 257, 129, 300), '33x21x40': await gemmParity(ctx, 33, 21, 40) },
        sacUpdate: await sacParity(ctx, { obsDim: O, actDim: A, hidden: [64, 64], batchSize: 67, seed: 3 }),
      };
    }
  }
  const replayN = 20_000;
  const data = randomTransitions(replayN, O, A, 1);
  const rows: Record<string, unknown>[] = [];
  for (const c of configs) {
    const macs = sacUpdateMacsPerSample(O, A, c.hidden) * c.batch;
    const row: Record<string, unknown> = { hidden: c.hidden, batch: c.batch };
    if (!('reason' in ctx)) {
      const gpu: Record<string, unknown>[] = [];
      for (const U of opts.updatesPerSubmit ?? [32]) {
        const g = await createGpuSacAgent({ obsDim: O, actDim: A, hidden: c.hidden, batchSize: c.batch, seed: 1 }, ctx, {
          replayCapacity: replayN,
          updatesPerSubmit: U,
        });
        try {
          g.addTransitions(data.obs, data.actions, data.rewards, data.nextObs, data.dones, replayN);
          await g.train(U); // pipelines compile, buffers fault in
          let n = 0;
          const t0 = performance.now();
          do {
            n += (await g.train(U)).count;
          } while (performance.now() - t0 < seconds * 1000);
          const perSec = (n * 1000) / (performance.now() - t0);
          gpu.push({
            updatesPerSubmit: U,
            updatesPerSec: round(perSec),
            msPerUpdate: round(1000 / perSec, 3),
            gflops: round((perSec * 2 * macs) / 1e9, 3),
            updates: n,
          });
        } finally {
          g.dispose();
        }
      }
      row.gpu = gpu;
    }
    if (opts.cpu ?? true) {
      const k = await createKernels('auto');
      const agent = createSacAgent({ obsDim: O, actDim: A, hidden: c.hidden, batchSize: c.batch, seed: 1 }, k);
      const b: Batch = randomTransitions(c.batch, O, A, 2);
      agent.update(b); // warm-up (JIT / wasm tier-up)
      let n = 0;
      const t0 = performance.now();
      do {
        agent.update(b);
        n++;
      } while (n < 2 || performance.now() - t0 < seconds * 1000);
      const perSec = (n * 1000) / (performance.now() - t0);
      row.cpu = {
        kernels: k.name,
        updatesPerSec: round(perSec),
        msPerUpdate: round(1000 / perSec, 2),
        gflops: round((perSec * 2 * macs) / 1e9, 1),
      };
      const best = Math.max(0, ...((row.gpu as { updatesPerSec: number }[] | undefined) ?? []).map((x) => x.updatesPerSec));
      if (best > 0) row.gpuSpeedup = round(best / perSec, 3);
    }
    rows.push(row);
  }
  out.updates = rows;
  if (!('reason' in ctx)) ctx.device.destroy();
  return out;
}

// Only as a script from source: in a bundle import.meta.url is the bundle's, which is argv[1].
if (import.meta.url.endsWith('.ts') && import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchGpu({ seconds: Number(process.argv[2] ?? 3) }), null, 2));
}
