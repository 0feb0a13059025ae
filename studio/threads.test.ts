// The data-parallel CPU update through the real CLI: `--threads 2` is used and reported, the
// checkpoint records it, and a run resumed with the default (auto) keeps the count it ran with:
// auto alone would pick 1 thread for these small networks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-threads-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const args = ['point/multigoal', '--threads', '2', '--hidden', '32,32', '--batch', '64', '--learning-starts', '200', '--seed', '3'];
const common = ['--log-every', '100', '--checkpoint-every', '300', '--json'];

it('trains on 2 update threads, records them, and resumes on the same count', async () => {
  const whole = await runCli(['train', ...args, '--steps', '900', ...common], { home, timeoutMs: 240_000 });
  expect(whole.stderr).toBe('');
  expect(whole.code).toBe(0);
  const wholeId = jsonLines(whole.stdout).find((l) => l.event === 'done')?.runId as string;
  expect(jsonLines(whole.stdout).find((l) => l.event === 'log')).toMatchObject({
    level: 'info',
    message: expect.stringMatching(/^training on cpu-.*2 update threads/),
  });
  const rec = JSON.parse(fs.readFileSync(path.join(home, 'runs', wholeId, 'run.json'), 'utf8'));
  expect(rec.config.threads).toBe(2);
  expect(rec.device).toMatch(/, 2 update threads$/);
  const side = JSON.parse(fs.readFileSync(path.join(home, 'runs', wholeId, 'checkpoints', '900.json'), 'utf8'));
  expect(side.threads).toBe(2);

  // human output: the run says which backend and thread count it trains with
  const half = await runCli(['train', ...args, '--steps', '600', ...common.slice(0, -1)], { home, timeoutMs: 240_000 });
  expect(half.stderr).toBe('');
  expect(half.code).toBe(0);
  expect(half.stdout).toMatch(/^training on cpu-[\w+-]+: .*, 2 update threads/m);
  const halfId = /^run (\S+) \(/.exec(half.stdout)![1]!;
  // The stored config says 2 here too; make the resume rely on the checkpoint's record instead.
  const runJson = path.join(home, 'runs', halfId, 'run.json');
  const hr = JSON.parse(fs.readFileSync(runJson, 'utf8'));
  hr.config.threads = 0;
  fs.writeFileSync(runJson, JSON.stringify(hr));
  const resumed = await runCli(['resume', halfId, '--steps', '300', ...common.slice(-1)], { home, timeoutMs: 240_000 });
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const after = JSON.parse(fs.readFileSync(runJson, 'utf8'));
  expect(after.device).toMatch(/, 2 update threads$/);

  const rows = jsonLines(resumed.stdout).filter((l) => l.event === 'metrics');
  expect(rows.at(-1)).toMatchObject({ step: 900 });
  for (const r of rows) expect(Number.isFinite(r.qLoss as number)).toBe(true);
}, 600_000);
