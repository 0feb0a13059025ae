// What a studio's watch on other processes' runs costs per poll (every 2 s): list() reads every
// run.json; listChanged() stats each and reads only the changed. `npx tsx bench/store-poll.ts [runs]`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../studio/config.ts';
import { RunStore } from '../studio/runs/store.ts';

const n = Number(process.argv[2] ?? 1000);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-poll-'));
try {
  const store = new RunStore(home);
  const config = resolveConfig('point/multigoal', {});
  for (let i = 0; i < n; i++)
    store.create({ scenarioId: null, parentRunId: null, parentStep: null, config, backend: 'cpu', device: 'bench' });
  const perPoll = (f: () => unknown, reps = 20): number => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    return (performance.now() - t0) / reps;
  };
  const stamps = new Map<string, string>();
  console.log(
    `${n} runs: list() ${perPoll(() => store.list()).toFixed(1)} ms per poll; listChanged(), nothing changed: ${perPoll(() => store.listChanged(stamps)).toFixed(1)} ms`,
  );
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
