// A user-written variant JSON through the whole flow: train → finetune --variant → compare.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';
import { StudioService } from './service.ts';
import { loadRunAgent } from './run-agent.ts';
import { getScenario, scenarioInfo } from './scenarios.ts';
import { RunStore } from './runs/store.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-ft-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const small = ['--hidden', '32,32', '--batch', '64', '--learning-starts', '300', '--log-every', '100', '--json'];

it('fine-tunes on a user variant from the full parent state and compares with scratch', async () => {
  const pre = await runCli(['train', 'point/multigoal', '--steps', '1200', '--seed', '2', ...small], { home, timeoutMs: 240_000 });
  expect(pre.code).toBe(0);
  const parentId = jsonLines(pre.stdout).find((l) => l.event === 'done')?.runId as string;
  // Its speed curve leaves out the warm-up (to 300 steps: rows 100-300) and draws the 9 rows of training.
  const speedSvg = path.join(home, 'speed.svg');
  const speed = await runCli(['plot', parentId, '--metric', 'envStepsPerSec', '--smooth', '1', '--out', speedSvg], { home });
  expect(speed.code, speed.stderr).toBe(0);
  const speedText = fs.readFileSync(speedSvg, 'utf8');
  expect(speedText).toContain('env steps/s, warm-up left out');
  expect(
    speedText
      .match(/<polyline [^>]*points="([^"]*)"/)![1]!
      .trim()
      .split(/\s+/),
  ).toHaveLength(9);

  const variant = { name: 'big bonus', params: { goalBonus: 20, actionCost: 0.25 } };
  const vf = path.join(home, 'my-variant.json');
  fs.writeFileSync(vf, JSON.stringify(variant));
  const ft = await runCli(
    [
      'finetune',
      parentId,
      // a variant id of the multigoal scenario: the parent was trained from the CLI on its
      // pretrain task, so it belongs to that scenario
      'one-goal',
      '--variant',
      vf,
      '--steps',
      '600',
      '--log-every',
      '100',
      '--compare',
      '--threshold',
      '0',
      '--json',
    ],
    { home, timeoutMs: 300_000 },
  );
  expect(ft.stderr).toBe('');
  expect(ft.code).toBe(0);
  const lines = jsonLines(ft.stdout);
  const dones = lines.filter((l) => l.event === 'done');
  expect(dones).toHaveLength(2);
  const compare = lines.find((l) => l.event === 'compare') as {
    threshold: number;
    runs: { runId: string; parentRunId: string | null; steps: number }[];
  };
  expect(compare.threshold).toBe(0);
  expect(compare.runs.map((r) => r.parentRunId)).toEqual([parentId, null]);
  expect(compare.runs.every((r) => r.steps === 600)).toBe(true);

  // Both the child and its scratch control carry the user's variant as written.
  for (const r of compare.runs) {
    const rec = JSON.parse(fs.readFileSync(path.join(home, 'runs', r.runId, 'run.json'), 'utf8'));
    expect(rec.config.variant).toEqual(variant);
    expect(rec.config.task).toBe('point/one-goal');
    expect(rec.scenarioId).toBe('multigoal');
  }
  const list = await runCli(['list', 'runs', '--json'], { home });
  const { runs } = JSON.parse(list.stdout) as { runs: { id: string; variant: string | null }[] };
  const child = runs.find((r) => r.id === compare.runs[0].runId);
  expect(child?.variant).toBe('big bonus');
  // The child started from the parent's weights: its first rows already have updates (no warm-up).
  const childRows = lines.filter((l) => l.event === 'metrics' && l.runId === compare.runs[0].runId);
  expect(childRows[0].qLoss).toBeDefined();
  const scratchRows = lines.filter((l) => l.event === 'metrics' && l.runId === compare.runs[1].runId);
  expect(scratchRows[0].qLoss).toBeUndefined();
}, 600_000);

it('--seeds: a fine-tune and its scratch control per seed, compared per seed and as groups, plotted as bands', async () => {
  // train --seeds: a run per seed, one after the other.
  const pre = await runCli(['train', 'point/multigoal', '--steps', '400', '--seeds', '3,4', ...small], { home, timeoutMs: 240_000 });
  expect(pre.code, pre.stderr).toBe(0);
  const parents = jsonLines(pre.stdout).filter((l) => l.event === 'done');
  expect(
    parents.map((l) => JSON.parse(fs.readFileSync(path.join(home, 'runs', l.runId as string, 'run.json'), 'utf8')).config.seed),
  ).toEqual([3, 4]);
  const parentId = parents[0]!.runId as string;
  const both = await runCli(['finetune', parentId, 'one-goal', '--seed', '1', '--seeds', '1,2'], { home });
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/--seed and --seeds exclude each other/);
  const dup = await runCli(['finetune', parentId, 'one-goal', '--seeds', '4,4'], { home });
  expect(dup.code).toBe(2);
  expect(dup.stderr).toMatch(/--seeds: seed 4 is listed twice in "4,4"/);
  const ft = await runCli(
    ['finetune', parentId, 'one-goal', '--steps', '300', '--compare', '--threshold', '-8', '--seeds', '5,6', ...small],
    { home, timeoutMs: 300_000 },
  );
  expect(ft.code, ft.stderr).toBe(0);
  const lines = jsonLines(ft.stdout);
  expect(lines.filter((l) => l.event === 'done')).toHaveLength(4);
  const c = lines.find((l) => l.event === 'compare') as {
    groups: {
      runs: { runId: string; parentRunId: string | null; stepsToThreshold: number | null; timeToThreshold: number | null }[];
      reached: number;
    }[];
  };
  // A run that reached the threshold says at what training time too: its row's clock at that step.
  for (const r of c.groups.flatMap((g) => g.runs)) {
    const at = new RunStore(home).readMetrics(r.runId).find((row) => row.step === r.stepsToThreshold);
    expect(r.timeToThreshold).toBe(r.stepsToThreshold === null ? null : at!.time);
  }
  const seedOf = (id: string) => JSON.parse(fs.readFileSync(path.join(home, 'runs', id, 'run.json'), 'utf8')).config.seed as number;
  const [tuned, scratch] = c.groups as [(typeof c.groups)[0], (typeof c.groups)[0]];
  expect(tuned.runs.map((r) => seedOf(r.runId))).toEqual([5, 6]);
  expect(scratch.runs.map((r) => seedOf(r.runId))).toEqual([5, 6]);
  // Fine-tunes of one parent are told apart by name (a seed other than the parent's is named),
  // and the seeds of each group share a setting, apart from the other group's.
  const store = new RunStore(home);
  const runInfo = (id: string) => store.info(store.read(id));
  const [t5, t6] = tuned.runs.map((r) => runInfo(r.runId));
  expect(t5!.name).toMatch(/→ .* seed 5$/);
  expect(t6!.name).toMatch(/→ .* seed 6$/);
  expect(t5!.setting).toBe(t6!.setting);
  const [s5, s6] = scratch.runs.map((r) => runInfo(r.runId));
  expect(s5!.setting).toBe(s6!.setting);
  expect(s5!.setting).not.toBe(t5!.setting);
  expect(tuned.runs.every((r) => r.parentRunId === parentId)).toBe(true);
  expect(scratch.runs.every((r) => r.parentRunId === null)).toBe(true);
  for (const g of c.groups) expect(g.reached).toBe(g.runs.filter((r) => r.stepsToThreshold !== null).length);
  // maxent scratch: one fine-tune's control on its own (here a second control for seed 5).
  const alone = await runCli(['scratch', tuned.runs[0]!.runId, '--json'], { home, timeoutMs: 120_000 });
  expect(alone.code, alone.stderr).toBe(0);
  const aloneId = jsonLines(alone.stdout).find((l) => l.event === 'done')!.runId as string;
  expect(seedOf(aloneId)).toBe(5);
  const notChild = await runCli(['scratch', parentId], { home });
  expect(notChild.code).toBe(1);
  expect(notChild.stderr).toMatch(/is not a fine-tune run; its scratch control would be itself/);
  // The same comparison from the groups' ids, and the human-readable form.
  const ids = c.groups.map((g) => g.runs.map((r) => r.runId).join(','));
  const again = await runCli(['compare', ids[0]!, ids[1]!, '--threshold', '-8'], { home });
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/fine-tuned +reached \d\/2, median (\d+ steps|not reached), final -?[\d.]+ ± [\d.]+\n {4}\S+ /);
  const svg = path.join(home, 'seeds.svg');
  const plot = await runCli(['plot', ids[0]!, ids[1]!, '--out', svg], { home });
  expect(plot.code, plot.stderr).toBe(0);
  const text = fs.readFileSync(svg, 'utf8');
  expect(text.match(/<polygon /g)).toHaveLength(2);
  // Fine-tunes of one parent checkpoint say its step: two groups may differ only in it.
  expect(text).toMatch(/fine-tuned from step [\d,]+: point\/one-goal, seeds 5, 6 \(mean, band min–max\)/);
  expect(text).toMatch(/from scratch: point\/one-goal, seeds 5, 6 \(mean, band min–max\)/);
  // Against training time: the same lines and bands over minutes.
  const timeSvg = path.join(home, 'seeds-time.svg');
  const byTime = await runCli(['plot', ids[0]!, ids[1]!, '--x', 'time', '--out', timeSvg], { home });
  expect(byTime.code, byTime.stderr).toBe(0);
  const timeText = fs.readFileSync(timeSvg, 'utf8');
  expect(timeText).toContain('training time (min)');
  expect(timeText.match(/<polygon /g)).toHaveLength(2);
}, 600_000);

it("starts from the parent's learned α, or restarts it with --reset-alpha; --alpha on a fine-tune is that fixed α", async () => {
  // A parent whose α has moved well away from its initial 1 (a fast α learning rate is not an
  // option, so a long-enough run: 2,000 updates).
  const pre = await runCli(['train', 'point/multigoal', '--steps', '2300', '--seed', '5', ...small], { home, timeoutMs: 240_000 });
  expect(pre.code, pre.stderr).toBe(0);
  const lines = jsonLines(pre.stdout);
  const parentId = lines.find((l) => l.event === 'done')?.runId as string;
  const parentAlpha = lines.filter((l) => l.event === 'metrics' && typeof l.alpha === 'number').at(-1)!.alpha as number;
  expect(Math.abs(Math.log(parentAlpha))).toBeGreaterThan(0.2);
  const firstAlpha = async (extra: string[]): Promise<number> => {
    const ft = await runCli(['finetune', parentId, 'one-goal', '--steps', '100', '--log-every', '100', '--json', ...extra], {
      home,
      timeoutMs: 120_000,
    });
    expect(ft.code, ft.stderr).toBe(0);
    return jsonLines(ft.stdout).find((l) => l.event === 'metrics')!.alpha as number;
  };
  // 100 updates move log α by well under 0.05 (Adam steps of ~lr = 3e-4).
  expect(Math.abs(Math.log((await firstAlpha([])) / parentAlpha))).toBeLessThan(0.05);
  expect(Math.abs(Math.log(await firstAlpha(['--reset-alpha'])))).toBeLessThan(0.05);
  expect(await firstAlpha(['--alpha', '3'])).toBeCloseTo(3, 5);
}, 600_000);

it("a variant may restart α by default (cheetah backward); --keep-alpha keeps the parent's, and a child never inherits its parent's choice", async () => {
  const pre = await runCli(
    ['train', 'cheetah/run', '--steps', '60', '--hidden', '8', '--learning-starts', '20', '--batch', '16', '--json'],
    {
      home,
      timeoutMs: 120_000,
    },
  );
  expect(pre.code, pre.stderr).toBe(0);
  const parentId = jsonLines(pre.stdout).find((l) => l.event === 'done')?.runId as string;
  const child = async (variant: string, extra: string[] = [], from = parentId): Promise<{ id: string; resetAlpha: boolean }> => {
    const ft = await runCli(['finetune', from, variant, '--steps', '20', '--json', ...extra], { home, timeoutMs: 120_000 });
    expect(ft.code, ft.stderr).toBe(0);
    const id = jsonLines(ft.stdout).find((l) => l.event === 'done')?.runId as string;
    const rec = JSON.parse(fs.readFileSync(path.join(home, 'runs', id, 'run.json'), 'utf8')) as { config: { resetAlpha: boolean } };
    return { id, resetAlpha: rec.config.resetAlpha };
  };
  const backward = await child('backward');
  expect(backward.resetAlpha).toBe(true);
  expect((await child('backward', ['--keep-alpha'])).resetAlpha).toBe(false);
  expect((await child('heavy')).resetAlpha).toBe(false);
  // The backward child (resetAlpha in its config) fine-tuned again on heavy keeps its learned α.
  expect((await child('heavy', [], backward.id)).resetAlpha).toBe(false);
  const both = await runCli(['finetune', parentId, 'backward', '--keep-alpha', '--reset-alpha'], { home });
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/--keep-alpha contradicts --reset-alpha and --alpha/);
  // The UI ticks "reset α" by the same flag.
  const cheetah = scenarioInfo(getScenario('cheetah-adapt'));
  expect(Object.fromEntries(cheetah.finetunes.map((f) => [f.id, f.resetAlpha]))).toEqual({ heavy: false, slippery: false, backward: true });
}, 600_000);

it("rejects another robot's task and a corrupt parent checkpoint with messages naming the problem", async () => {
  const pre = await runCli(['train', 'point/multigoal', '--steps', '300', '--seed', '4', ...small], { home, timeoutMs: 120_000 });
  const parentId = jsonLines(pre.stdout).find((l) => l.event === 'done')?.runId as string;
  // Another robot's task is refused before any run is created (its sizes could not load).
  const runsBefore = fs.readdirSync(path.join(home, 'runs')).length;
  const cross = await runCli(['finetune', parentId, 'ant/run-direction'], { home });
  expect(cross.code).toBe(1);
  expect(cross.stderr).toMatch(
    /cannot fine-tune run .*\(point\/multigoal, point: obs 2, act 2\) on ant\/run-direction \(ant: obs 27, act 8\): the child loads the parent's networks, so the task needs the same robot and the same observation and action sizes/,
  );
  expect(fs.readdirSync(path.join(home, 'runs'))).toHaveLength(runsBefore);
  // A fine-tune with no checkpoint of its own yet (trained by another process, or interrupted
  // early) shows the parent checkpoint it starts from in the viewer, not an empty policy.
  const service = new StudioService({ home });
  try {
    const parent = service.store.read(parentId);
    const child = service.store.create({
      scenarioId: 'multigoal',
      parentRunId: parentId,
      parentStep: 300,
      config: { ...parent.config, task: 'point/one-goal' },
      backend: 'cpu',
      device: 'test',
    });
    const { agent } = await loadRunAgent(service.store, parentId, 300);
    const st = await service.viewer.load(child.id);
    expect(st.policyStep).toBe(agent.exportPolicy().step);
    expect(st.policyStep).toBeGreaterThan(0);
    const q = await service.viewer.qLandscape(0, 1, 5);
    expect(q.q).toHaveLength(25);
    // Without a parent checkpoint either, the viewer still loads (random actions) and the Q
    // landscape says why it cannot be drawn.
    const orphan = service.store.create({
      scenarioId: null,
      parentRunId: 'gone',
      parentStep: 5,
      config: parent.config,
      backend: 'cpu',
      device: 'test',
    });
    expect((await service.viewer.load(orphan.id)).policyStep).toBeNull();
    await expect(service.viewer.qLandscape(0, 1, 5)).rejects.toThrow(/has no checkpoint yet/);
    // Resumed before its first checkpoint, a fine-tune starts again from its parent's weights
    // (it used to train from scratch under its fine-tune label): its first rows have updates,
    // where a fresh run would still be in its 300-step random warm-up.
    // The record was made here, in a live process, as a starting run's is: its process is gone.
    service.store.update(child.id, { pid: null });
    const resumed = await runCli(['resume', child.id, '--json'], { home, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const warn = jsonLines(resumed.stdout).find((l) => l.event === 'log' && l.level === 'warn');
    expect(warn?.message).toMatch(/stopped before its first checkpoint: it starts again from step 0, from its parent's checkpoint/);
    const rows = jsonLines(resumed.stdout).filter((l) => l.event === 'metrics');
    expect(rows[0]!.step).toBeLessThan(300);
    expect(rows[0]!.qLoss).toBeDefined();
    service.store.remove(child.id);
    service.store.remove(orphan.id);
  } finally {
    await service.shutdown();
  }
  const ck = path.join(home, 'runs', parentId, 'checkpoints', '300.safetensors');
  const bytes = fs.readFileSync(ck);
  fs.writeFileSync(ck, bytes.subarray(0, bytes.length >> 1));
  const ev = await runCli(['eval', parentId, '--episodes', '2'], { home });
  expect(ev.code).toBe(1);
  expect(ev.stderr).toMatch(new RegExp(`cannot load checkpoint .*${parentId}/checkpoints/300\\.safetensors`));
  // The run with the corrupt checkpoint is still listed (the list does not read checkpoints).
  const list = await runCli(['list', 'runs', '--json'], { home });
  expect(list.code).toBe(0);
  expect((JSON.parse(list.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id)).toContain(parentId);
}, 300_000);
