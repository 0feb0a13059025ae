// Resume is exact: a run stopped at a checkpoint and resumed ends with the same weights,
// optimiser state and metrics (wall-clock fields aside) as the same run never stopped. The
// checkpoint carries the loop's RNG, the envs' snapshot (Rapier world, episode RNGs, running
// returns) and the current observations. Here: ant (one shared physics world) with 2 envs.
// A checkpoint from before this state existed still resumes, with a warning.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../agents/index.ts';
import { jsonLines, runCli } from './cli-run.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-resume-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const args = ['ant/run-direction', '--envs', '2', '--hidden', '16,16', '--batch', '32', '--learning-starts', '200', '--seed', '4'];
const common = ['--log-every', '100', '--checkpoint-every', '300', '--threads', '1', '--json'];

const ckFile = (id: string, step: number) => path.join(home, 'runs', id, 'checkpoints', `${step}.safetensors`);
const tensors = (id: string, step: number) => decodeCheckpoint(new Uint8Array(fs.readFileSync(ckFile(id, step)))).tensors;
/** metrics rows without the wall-clock fields */
const rows = (id: string) =>
  fs
    .readFileSync(path.join(home, 'runs', id, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l) as Record<string, number>;
      for (const k of ['time', 'envStepsPerSec', 'updatesPerSec']) delete r[k];
      return r;
    });

async function train(steps: number): Promise<string> {
  const r = await runCli(['train', ...args, '--steps', String(steps), ...common], { home, timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return jsonLines(r.stdout).find((l) => l.event === 'done')!.runId as string;
}

it('a stopped and resumed run ends exactly where the uninterrupted run does', async () => {
  const whole = await train(600);
  const half = await train(300);
  const resumed = await runCli(['resume', half, '--steps', '300', '--json'], { home, timeoutMs: 120_000 });
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  const a = tensors(whole, 600),
    b = tensors(half, 600);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const k of Object.keys(a)) expect(b[k], k).toEqual(a[k]);
  expect(rows(half)).toEqual(rows(whole));
  expect(rows(whole)).toHaveLength(6);
}, 300_000);

it('a checkpoint without the loop state (older format) resumes with a warning', async () => {
  const id = await train(300);
  const c = decodeCheckpoint(new Uint8Array(fs.readFileSync(ckFile(id, 300))));
  delete c.meta.extra['loop'];
  delete c.tensors['loop.obs'];
  fs.writeFileSync(ckFile(id, 300), encodeCheckpoint(c));
  const r = await runCli(['resume', id, '--steps', '100'], { home, timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/checkpoint 300 has no training-loop state \(older format\): the run resumes with reseeded envs/);
  expect(r.stdout).toMatch(/finished: run \S+ at step 400/);
}, 300_000);

it('a damaged newest checkpoint is passed over, with a warning, for the one before it', async () => {
  const id = await train(600);
  const bytes = fs.readFileSync(ckFile(id, 600));
  fs.writeFileSync(ckFile(id, 600), bytes.subarray(0, bytes.length >> 1)); // a disk that filled up
  const r = await runCli(['resume', id, '--steps', '100'], { home, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/cannot load checkpoint \S+600\.safetensors: .*: the run resumes from the checkpoint before it, at step 300/);
  expect(r.stdout).toMatch(/finished: run \S+ at step 700/);
  expect(rows(id).map((m) => m.step)).toEqual([100, 200, 300, 400, 500, 600, 700]);
}, 300_000);

it('a corrupt loop state is a clear error that leaves the run and its checkpoint as they were', async () => {
  const id = await train(300);
  const c = decodeCheckpoint(new Uint8Array(fs.readFileSync(ckFile(id, 300))));
  (c.meta.extra['loop'] as { env: string }).env = Buffer.from('not a snapshot').toString('base64');
  const corrupt = encodeCheckpoint(c);
  fs.writeFileSync(ckFile(id, 300), corrupt);
  const metrics = fs.readFileSync(path.join(home, 'runs', id, 'metrics.jsonl'), 'utf8');
  const r = await runCli(['resume', id, '--steps', '100'], { home, timeoutMs: 120_000 });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/cannot resume from \S+300\.safetensors: ant\/run-direction: truncated VecEnv snapshot/);
  expect(new Uint8Array(fs.readFileSync(ckFile(id, 300)))).toEqual(corrupt);
  expect(fs.readFileSync(path.join(home, 'runs', id, 'metrics.jsonl'), 'utf8')).toBe(metrics);
  // The 100 steps it was given were never trained: the record keeps its 300-step budget.
  const rec = JSON.parse(fs.readFileSync(path.join(home, 'runs', id, 'run.json'), 'utf8')) as {
    status: string;
    step: number;
    config: { steps: number };
  };
  expect([rec.status, rec.step, rec.config.steps]).toEqual(['failed', 300, 300]);
}, 300_000);

it('a run whose checkpoints are gone is not continued from step 0 over its record, and says why', async () => {
  const id = await train(300);
  // As a copy of run.json and metrics (bench/curves), or checkpoints deleted by hand.
  fs.rmSync(path.join(home, 'runs', id, 'checkpoints'), { recursive: true, force: true });
  const dir = path.join(home, 'runs', id);
  const before = {
    metrics: fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'),
    run: fs.readFileSync(path.join(dir, 'run.json'), 'utf8'),
  };
  const r = await runCli(['resume', id, '--steps', '100'], { home, timeoutMs: 120_000 });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /has no checkpoint left \(its folder keeps run.json and metrics only\), so it cannot continue: training again from step 0 would write over its 300-step record/,
  );
  expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe(before.metrics);
  expect(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).toBe(before.run);
  const ft = await runCli(['finetune', id, 'ant/run-direction', '--steps', '100'], { home });
  expect(ft.stderr).toMatch(/run \S+ has no checkpoint left \(its folder keeps run.json and metrics only\): nothing to fine-tune from/);
  const ev = await runCli(['eval', id, '--episodes', '1'], { home });
  expect(ev.stderr).toMatch(/run \S+ has no checkpoint left/);
  const list = await runCli(['list', 'runs', '--json'], { home });
  expect(
    (JSON.parse(list.stdout) as { runs: { id: string; checkpointsLost: boolean }[] }).runs.find((x) => x.id === id)?.checkpointsLost,
  ).toBe(true);
}, 300_000);
