// SAC updates/s on the current kernels: `npx tsx agents/sac/bench.ts [seconds] [--json]`.
// Configurations: ant dims (obs 27, act 8) at [64,64]/batch 128 and [256,256]/batch 256, and
// point dims (obs 2, act 2) at [64,64]/batch 128 (the studio's multigoal CI setting).
import { createSacAgent } from './sac.ts';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { randomBatch } from './test-util.ts';

export interface UpdateBench {
  obsDim: number;
  actDim: number;
  hidden: number[];
  batch: number;
  updatesPerSec: number;
  msPerUpdate: number;
}

export function benchUpdates(obsDim: number, actDim: number, hidden: number[], batch: number, seconds: number): UpdateBench {
  const agent = createSacAgent({ obsDim, actDim, hidden, batchSize: batch, seed: 1 }, createTsKernels());
  const b = randomBatch(batch, obsDim, actDim, 3);
  for (let i = 0; i < 3; i++) agent.update(b); // warm up the JIT
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || n < 3) {
    agent.update(b);
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  return { obsDim, actDim, hidden, batch, updatesPerSec: n / s, msPerUpdate: (1000 * s) / n };
}

// Only as a script from source: in a bundle import.meta.url is the bundle's, which is argv[1].
if (import.meta.url.endsWith('.ts') && import.meta.url === `file://${process.argv[1]}`) {
  const secs = Number(process.argv[2] ?? 5);
  const rows = [
    benchUpdates(27, 8, [64, 64], 128, secs),
    benchUpdates(27, 8, [256, 256], 256, secs),
    benchUpdates(2, 2, [64, 64], 128, secs),
  ];
  if (process.argv.includes('--json')) console.log(JSON.stringify({ kernels: 'ts', rows }));
  else
    for (const r of rows)
      console.log(
        `obs ${r.obsDim} act ${r.actDim} hidden [${r.hidden}] batch ${r.batch}: ${r.updatesPerSec.toFixed(2)} updates/s (${r.msPerUpdate.toFixed(1)} ms)`,
      );
}
