// The foundation's end-to-end learning check, through the real CLI: train point/multigoal for
// 20,000 steps with a fixed seed, then a deterministic policy must reach a goal in >= 90% of
// 20 evaluation episodes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';
import { RunStore } from './runs/store.ts';
import { evaluateRun } from './evaluate.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-train-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('maxent train point/multigoal --steps 20000 --seed 1 learns to reach a goal', async () => {
  const r = await runCli(['train', 'point/multigoal', '--steps', '20000', '--seed', '1', '--json'], { home, timeoutMs: 600_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = jsonLines(r.stdout);
  expect(lines.filter((l) => l.event === 'metrics').length).toBeGreaterThan(10);
  const done = lines[lines.length - 1];
  expect(done).toMatchObject({ event: 'done', status: 'finished', step: 20000 });
  const runId = done.runId as string;
  expect(done.dir).toBe(path.join(home, 'runs', runId));

  const store = new RunStore(home);
  const report = await evaluateRun(store, runId, { episodes: 20, stochastic: false, seed: 12345 });
  console.log(
    `multigoal seed 1 @20k: deterministic success ${report.successRate}, goals ${JSON.stringify(report.goalHistogram)}, return ${report.meanReturn.toFixed(2)}`,
  );
  expect(report.successRate).toBeGreaterThanOrEqual(0.9);
}, 900_000);
