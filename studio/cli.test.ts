// The CLI's error paths: one clear line on stderr and a non-zero exit, never a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-cli-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const runCount = (): number => (fs.existsSync(path.join(home, 'runs')) ? fs.readdirSync(path.join(home, 'runs')).length : 0);

function expectOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp, code = 2): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^maxent: /);
  expect(lines[0]).toMatch(pattern);
}

describe('maxent CLI errors', () => {
  it('unknown command', async () => {
    expectOneLineError(await runCli(['frobnicate'], { home }), /unknown command "frobnicate"/);
  });
  it('unknown task', async () => {
    expectOneLineError(await runCli(['train', 'point/nowhere', '--steps', '10'], { home }), /unknown task or scenario "point\/nowhere"/);
    expect(runCount()).toBe(0);
  });
  it('bad flag and bad flag value', async () => {
    expectOneLineError(await runCli(['train', 'point/multigoal', '--stepz', '10'], { home }), /train: .*--stepz/);
    expectOneLineError(
      await runCli(['train', 'point/multigoal', '--steps', 'ten'], { home }),
      /--steps must be an integer >= 1, got "ten"/,
    );
  });
  it('a negative option value is a value, not an ambiguous option', async () => {
    expectOneLineError(await runCli(['compare', 'run-a', 'run-b', '--threshold', '-5'], { home }), /run run-a not found/, 1);
  });
  it('missing run', async () => {
    expectOneLineError(await runCli(['eval', 'no-such-run'], { home }), /run no-such-run not found/, 1);
    expectOneLineError(await runCli(['resume', 'no-such-run'], { home }), /run no-such-run not found/, 1);
  });
  it('bad variant file leaves no run behind', async () => {
    const f = path.join(home, 'bad-variant.json');
    fs.writeFileSync(f, '{ not json');
    expectOneLineError(
      await runCli(['train', 'point/one-goal', '--variant', f, '--steps', '10'], { home }),
      /--variant: .*bad-variant\.json is not valid JSON/,
    );
    fs.writeFileSync(f, JSON.stringify({ bogus: 1 }));
    const r = await runCli(['train', 'point/one-goal', '--variant', f, '--steps', '10'], { home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bogus/);
    expect(runCount()).toBe(0);
  });
  it('a reader that stops early (| head) drops the rest of the output; a training run still ends and saves', async () => {
    const r = await runCli(['train', 'point/multigoal', '--steps', '1500', '--hidden', '8', '--log-every', '100', '--json'], {
      home,
      onStdout: (_chunk, child) => child.stdout?.destroy(), // what head does after its first line
    });
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const list = await runCli(['list', 'runs', '--json'], { home });
    const runs = (JSON.parse(list.stdout) as { runs: { task: string; status: string; step: number }[] }).runs;
    expect(runs.find((x) => x.task === 'point/multigoal')).toMatchObject({ status: 'finished', step: 1500 });
    fs.rmSync(path.join(home, 'runs'), { recursive: true });
  });
  it('list tasks --json lists the point tasks with their dims', async () => {
    const r = await runCli(['list', 'tasks', '--json'], { home });
    expect(r.code).toBe(0);
    const tasks = JSON.parse(r.stdout) as { id: string; obsDim: number; actDim: number }[];
    expect(tasks.find((t) => t.id === 'point/multigoal')).toMatchObject({ obsDim: 2, actDim: 2 });
  });
  it('info --json reports the backend and versions', async () => {
    const r = await runCli(['info', '--json'], { home });
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as { backend: string; versions: Record<string, string> };
    expect(info.backend).toMatch(/^cpu-/);
    expect(info.versions.node).toBe(process.versions.node);
  });
});
