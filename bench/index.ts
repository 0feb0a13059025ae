// `maxent bench` / `npm run bench`: speed figures for BENCHMARKS.md (never asserted in tests).
import os from 'node:os';
import { benchSim } from './sim.ts';
import { benchTrain } from './train.ts';

export async function runBench(what: 'sim' | 'train' | 'all', opts: { seconds?: number } = {}): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model?.trim()} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
  };
  if (what === 'sim' || what === 'all') out.sim = await benchSim({ seconds: opts.seconds });
  if (what === 'train' || what === 'all') out.train = await benchTrain({ seconds: opts.seconds });
  return out;
}
