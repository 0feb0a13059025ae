// Crash safety: kill -9 a training process mid-run, then resume. Nothing before the last
// checkpoint is lost and metrics.jsonl stays valid JSON lines with no duplicated steps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';
import { decodeCheckpoint } from '../agents/index.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-crash-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('survives kill -9 and resumes from the last checkpoint', async () => {
  let runDir = '';
  const killed = await runCli(
    [
      'train',
      'point/multigoal',
      '--steps',
      '3000',
      '--seed',
      '3',
      '--hidden',
      '32,32',
      '--batch',
      '64',
      '--learning-starts',
      '300',
      '--checkpoint-every',
      '600',
      '--log-every',
      '150',
      '--json',
    ],
    {
      home,
      onStdout: (_chunk, child) => {
        // Kill hard once a checkpoint exists and training has moved past it.
        const dirs = fs.existsSync(path.join(home, 'runs')) ? fs.readdirSync(path.join(home, 'runs')) : [];
        if (dirs.length !== 1) return;
        runDir = path.join(home, 'runs', dirs[0]);
        const ck = path.join(runDir, 'checkpoints', 'latest');
        if (fs.existsSync(ck)) {
          const rows = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
          if (rows.length && JSON.parse(rows[rows.length - 1]).step > Number(fs.readFileSync(ck, 'utf8'))) child.kill('SIGKILL');
        }
      },
    },
  );
  expect(killed.signal).toBe('SIGKILL');
  const runId = path.basename(runDir);
  const ckStep = Number(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest'), 'utf8'));
  expect(ckStep).toBeGreaterThan(0);
  // The checkpoint carries the replay buffer, so the resumed run keeps its data.
  const ck = decodeCheckpoint(new Uint8Array(fs.readFileSync(path.join(runDir, 'checkpoints', `${ckStep}.safetensors`))));
  expect(ck.tensors['replay.obs']?.length).toBe(ckStep * 2);

  // The killed run shows as interrupted, and its files are intact.
  const list = await runCli(['list', 'runs', '--json'], { home });
  const { runs } = JSON.parse(list.stdout) as { runs: { id: string; status: string }[] };
  expect(runs.find((r) => r.id === runId)?.status).toBe('interrupted');

  const resumed = await runCli(['resume', runId, '--json'], { home, timeoutMs: 180_000 });
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const done = jsonLines(resumed.stdout).find((l) => l.event === 'done');
  expect(done).toMatchObject({ runId, status: 'finished', step: 3000 });
  // The first progress row after resuming continues from the checkpoint, not from zero.
  const firstResumed = jsonLines(resumed.stdout).find((l) => l.event === 'metrics');
  expect(firstResumed?.step as number).toBeGreaterThan(ckStep);

  const text = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; time: number });
  const steps = rows.map((r) => r.step);
  expect(steps[steps.length - 1]).toBe(3000);
  for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
  // The clock continues across the resume (it used to restart at 0).
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.time).toBeGreaterThanOrEqual(rows[i - 1]!.time);
  // Every row up to the checkpoint survived the crash.
  expect(steps.filter((s) => s <= ckStep)).toEqual(Array.from({ length: ckStep / 150 }, (_, i) => (i + 1) * 150));
}, 300_000);

it.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)(
  '%s stops training with a checkpoint at the step it stopped',
  async (signal, code) => {
    let sent = false;
    const r = await runCli(
      [
        'train',
        'point/multigoal',
        '--steps',
        '100000',
        '--seed',
        '5',
        '--hidden',
        '32,32',
        '--batch',
        '64',
        '--learning-starts',
        '300',
        '--log-every',
        '200',
        '--json',
      ],
      {
        home,
        onStdout: (chunk, child) => {
          if (!sent && chunk.includes('"step":600')) {
            sent = true;
            child.kill(signal);
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(new RegExp(`stopping \\(${signal}\\): writing a checkpoint`));
    const done = jsonLines(r.stdout).find((l) => l.event === 'done') as { runId: string; status: string; step: number };
    expect(done.status).toBe('stopped');
    expect(done.step).toBeGreaterThanOrEqual(600);
    expect(done.step).toBeLessThan(100000);
    const ck = path.join(home, 'runs', done.runId, 'checkpoints');
    expect(fs.readFileSync(path.join(ck, 'latest'), 'utf8').trim()).toBe(String(done.step));
    expect(fs.existsSync(path.join(ck, `${done.step}.safetensors`))).toBe(true);
  },
  120_000,
);
