// `maxent bench` / `npm run bench`: speed figures for BENCHMARKS.md (never asserted in tests).
// Each part is imported only when asked for, so one part's heavy setup never slows another.
import os from 'node:os';

export async function runBench(
  what: 'sim' | 'train' | 'render' | 'gpu' | 'all',
  opts: { seconds?: number; small?: boolean; perSubmit?: number[] } = {},
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model?.trim()} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
  if (what === 'sim' || what === 'all') out.sim = await (await import('./sim.ts')).benchSim({ seconds: opts.seconds });
  if (what === 'train' || what === 'all') out.train = await (await import('./train.ts')).benchTrain({ seconds: opts.seconds });
  if (what === 'render' || what === 'all') out.render = await (await import('./render.ts')).benchRender();
  // Not in 'all': it needs a GPU, and its CPU side at 3x1024 takes a while.
  if (what === 'gpu') {
    const g = await import('./gpu.ts');
    out.gpu = await g.benchGpu({
      seconds: opts.seconds,
      configs: opts.small ? g.SMALL_GPU_CONFIGS : undefined,
      updatesPerSubmit: opts.perSubmit,
    });
  }
  return out;
}
