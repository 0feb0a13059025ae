// `maxent bench train` runs end to end on tiny settings, the data-parallel part included.
// Figures are never asserted, only that each part is there and measured.
import os from 'node:os';
import { expect, it } from 'vitest';
import { benchTrain } from './train.ts';

it('reports single-thread, data-parallel, SQL and inference figures', async () => {
  const r = await benchTrain({
    seconds: 0.05,
    configs: [{ hidden: [16, 16], batch: 256 }],
    kernels: ['wasm'],
    tfjs: false,
    threads: [2],
    sqlParticles: [4, 2],
  });
  const [u] = r.updates as { updatesPerSec: number }[];
  expect(u!.updatesPerSec).toBeGreaterThan(0);
  const par = r.parallel as { cores: number; runs: { threads: number; updatesPerSec: number; speedup: number }[] };
  expect(par.cores).toBe(os.availableParallelism());
  if (par.cores >= 2) {
    expect(par.runs).toHaveLength(1);
    expect(par.runs[0]!.threads).toBe(2);
    expect(par.runs[0]!.updatesPerSec).toBeGreaterThan(0);
    expect(par.runs[0]!.speedup).toBeGreaterThan(0);
  } else expect(par.runs).toEqual([]);
  expect((r.inference as { batch1Us: number }[])[0]!.batch1Us).toBeGreaterThan(0);
  const sql = r.sql as { particles: number; updatesPerSec: number; ofSac: number }[];
  expect(sql.map((x) => x.particles)).toEqual([4, 2]);
  for (const x of sql) expect(x.updatesPerSec * x.ofSac).toBeGreaterThan(0);
});
