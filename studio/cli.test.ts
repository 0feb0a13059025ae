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
  it('a mistyped command line is refused before anything runs or is written, naming the flag', async () => {
    const nullVariant = path.join(home, 'null.json');
    fs.writeFileSync(nullVariant, 'null');
    const cases: [string[], RegExp][] = [
      [['train', 'point/multigoal', '--alpha', '0'], /--alpha: expected a finite number > 0/],
      [['train', 'point/multigoal', '--updates-per-step', '100'], /^maxent: --updates-per-step: expected/],
      [['train', 'point/multigoal', '--seeds', '1,4294967297'], /4294967297 is above the largest seed, 2147483647/],
      [['train', 'point/multigoal', '--lr', ''], /--lr must be a number, got ""/],
      [['train', 'point/multigoal', '--steps', '0x10'], /--steps must be an integer >= 1, got "0x10"/],
      [['train', 'point/multigoal', '--steps', '--learning-starts', '100'], /--steps has no value/],
      [['train', 'point/multigoal', '--compare'], /Unknown option '--compare'/],
      [['train', 'cheetah/run', '--variant', nullVariant], /holds null, not a variant object/],
      [['train', 'cheetah/run', '--variant', home], /is a folder, not a variant file/],
      [['finetune', 'a', 'b', '--threshold', '5'], /--threshold is for --compare/],
      [['resume', 'a', '--steps', '99999999999'], /--steps must be an integer >= 1 and <= 100,000,000/],
      [['eval', 'a', '--episodes', '1000000'], /--episodes: expected an integer >= 1 <= 200/],
      [['eval', 'a', '--temperature', '3'], /--temperature scales the sampled actions: give --stochastic too/],
      [['eval', 'a', '--stochastic', '--temperature', '-3'], /--temperature: expected a finite number >= 0/],
      [['compare', ',', 'b', '--threshold', '1'], /"," names no run/],
      [['compare', 'a,a', 'b', '--threshold', '1'], /run a is named twice/],
      [['plot', 'a', 'b,a'], /run a is named twice/],
      [['list', 'runs', '--home', ''], /--home is empty/],
      [['list', 'tasks', 'extra'], /list: unexpected "extra"/],
      [['serve', '--port', '99999'], /--port must be an integer >= 0 and <= 65,535/],
      [['bench', 'sim', '--seconds', '-1'], /--seconds must be above 0/],
    ];
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      const results = await Promise.all(batch.map(([args]) => runCli(args, { home })));
      results.forEach((r, j) => expectOneLineError(r, batch[j]![1]));
    }
    expect(runCount()).toBe(0);
  }, 120_000);

  it("--help after a command shows that command's help and runs nothing", async () => {
    for (const args of [
      ['train', 'point/multigoal', '--help'],
      ['resume', 'some-run', '-h'],
    ]) {
      const r = await runCli(args, { home });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^  maxent ${args[0]} `));
      expect(r.stdout).toMatch(/Common options/);
      expect(r.stdout).not.toMatch(/maxent eval/);
    }
    expect(runCount()).toBe(0);
  }, 60_000);

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
