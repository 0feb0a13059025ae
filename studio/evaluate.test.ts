// Evaluation of walkers: the compass heading of each episode's mean planar velocity (whether a
// pretrained ant runs off in many directions, or only jiggles in place for its speed reward).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';
import { PUSH_SECTORS } from './api.ts';
import { evaluateRun, headingStats, sectorStats } from './evaluate.ts';
import { RunStore } from './runs/store.ts';
import { loadRunAgent } from './run-agent.ts';
import { createEnv } from '../sim/index.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-eval-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('bins mean velocities into 8 compass sectors, slow ones as still', () => {
  const deg = (d: number, s = 1): [number, number] => [s * Math.cos((d * Math.PI) / 180), s * Math.sin((d * Math.PI) / 180)];
  const h = headingStats([deg(0), deg(90), deg(180), deg(270), deg(45, 0.05), deg(22), deg(23), deg(-22.4)]);
  expect(h.histogram).toEqual({ E: 3, NE: 1, N: 1, W: 1, S: 1, still: 1 });
  const p = [3, 1, 1, 1, 1, 1].map((c) => c / 8);
  expect(h.entropy).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log(x), 0), 12);
  expect(h.meanSpeed).toBeCloseTo((7 + 0.05) / 8, 12);
  expect(headingStats([deg(10), deg(-10)]).entropy).toBe(0);
});

it('bins push displacements (x, z) from +x toward +z, and counts outcomes with no direction', () => {
  const h = sectorStats(
    [
      [0.2, 0],
      [0, 0.2],
      [-0.1, -0.1],
      [0.01, 0.02],
    ],
    PUSH_SECTORS,
    0.05,
    { 'off table': 2, never: 0 },
  );
  expect(h.histogram).toEqual({ '+x': 1, '+z': 1, '-x-z': 1, still: 1, 'off table': 2 });
  const p = [1, 1, 1, 1, 2].map((c) => c / 6);
  expect(h.entropy).toBeCloseTo(-p.reduce((s, x) => s + x * Math.log(x), 0), 12);
  expect(h.meanNorm).toBeCloseTo((0.2 + 0.2 + Math.SQRT2 * 0.1 + Math.hypot(0.01, 0.02)) / 4, 12); // over the vectors only
});

it("maxent eval reports the ant's speed and headings (and no goal histogram)", async () => {
  const t = await runCli(['train', 'ant/run-any', '--steps', '50', '--hidden', '8', '--json'], { home, timeoutMs: 120_000 });
  expect(t.code).toBe(0);
  const runId = jsonLines(t.stdout).find((l) => l.event === 'done')!.runId as string;
  const r = await runCli(['eval', runId, '--episodes', '3', '--stochastic', '--json'], { home, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  const rep = JSON.parse(r.stdout) as {
    meanSpeed: number;
    meanStepSpeed: number;
    headingHistogram: Record<string, number>;
    headingEntropy: number;
    goalHistogram?: unknown;
  };
  expect(rep.meanSpeed).toBeGreaterThanOrEqual(0);
  expect(rep.meanStepSpeed).toBeGreaterThanOrEqual(rep.meanSpeed); // |mean| <= mean of |·|
  expect(Object.values(rep.headingHistogram).reduce((a, b) => a + b, 0)).toBe(3);
  expect(rep.headingEntropy).toBeGreaterThanOrEqual(0);
  expect(rep.goalHistogram).toBeUndefined();
  expect(rep).not.toHaveProperty('successRate'); // the ant has no goal
  expect(rep).not.toHaveProperty('meanVelocityX'); // planar: headings instead
  // --step picks a checkpoint; a step with none names the ones there are.
  const at = await runCli(['eval', runId, '--episodes', '1', '--step', '50', '--json'], { home, timeoutMs: 120_000 });
  expect(JSON.parse(at.stdout).checkpointStep).toBe(50);
  const missing = await runCli(['eval', runId, '--episodes', '1', '--step', '7'], { home, timeoutMs: 120_000 });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/checkpoints\/7\.safetensors does not exist \(run \S+ has checkpoints at steps 50\)/);
  const human = await runCli(['eval', runId, '--episodes', '1'], { home, timeoutMs: 120_000 });
  expect(human.stdout).toMatch(/mean speed [\d.]+ m\/s \(per step [\d.]+ m\/s\), headings: \w+:1 \(entropy 0\.000 nats\)/);
}, 300_000);

it("maxent eval reports an arm's final distance to its target, recomputed independently", async () => {
  // A 0.3 m success radius (the variant's largest) so a barely trained arm reaches some targets.
  const vf = path.join(home, 'wide.json');
  fs.writeFileSync(vf, JSON.stringify({ params: { successRadius: 0.3 } }));
  const t = await runCli(['train', 'arm7/reach-any', '--variant', vf, '--steps', '50', '--hidden', '8', '--json'], {
    home,
    timeoutMs: 120_000,
  });
  expect(t.code, t.stderr).toBe(0);
  const runId = jsonLines(t.stdout).find((l) => l.event === 'done')!.runId as string;
  const store = new RunStore(home);
  const rep = await evaluateRun(store, runId, { episodes: 4, stochastic: false, seed: 7 });
  // The same episodes by hand: the last step's info.distance, and the first step within the radius.
  const { rec, agent } = await loadRunAgent(store, runId);
  const env = await createEnv('arm7/reach-any', { variant: rec.config.variant ?? undefined });
  let last = 0,
    atEnd = 0,
    reached = 0,
    firstSteps = 0;
  for (let ep = 0; ep < 4; ep++) {
    let obs = env.reset(7 + ep);
    let first = -1;
    for (let n = 1; ; n++) {
      const r = env.step(agent.act(obs, { deterministic: true }));
      obs = r.obs;
      if (first < 0 && r.info.distance! < 0.3) first = n;
      if (r.terminated || r.truncated) {
        last += r.info.distance!;
        if (r.info.distance! < 0.3) atEnd++;
        break;
      }
    }
    if (first > 0) {
      reached++;
      firstSteps += first;
    }
  }
  env.dispose();
  expect(rep.finalDistance).toBeCloseTo(last / 4, 5);
  expect(rep.finalSuccessRate).toBe(atEnd / 4);
  expect(rep.successRate).toBe(reached / 4);
  if (reached) expect(rep.stepsToSuccess).toBeCloseTo(firstSteps / reached, 5);
  else expect(rep.stepsToSuccess).toBeUndefined();
  expect(rep.headingHistogram).toBeUndefined();
  // --on: the same policy on a fine-tune target of its scenario, zero-shot (arm-reach's obstacle
  // variant, adopted because the run trained on the scenario's pretrain task from the CLI).
  const zs = await runCli(['eval', runId, '--episodes', '2', '--on', 'obstacle', '--json'], { home, timeoutMs: 120_000 });
  expect(zs.code, zs.stderr).toBe(0);
  expect(JSON.parse(zs.stdout)).toMatchObject({ runId, task: 'arm7/reach-obstacle', variant: null });
  expect(rep).toMatchObject({ task: 'arm7/reach-any', variant: '{"params":{"successRadius":0.3}}' });
  const cross = await runCli(['eval', runId, '--on', 'arm7/push-goal'], { home });
  expect(cross.code).toBe(1);
  expect(cross.stderr).toMatch(/cannot fine-tune run .* on arm7\/push-goal \(arm7: obs 30, act 7\)/);
  // --variant alone: another variant of the run's own task.
  const narrow = path.join(home, 'narrow.json');
  fs.writeFileSync(narrow, JSON.stringify({ name: 'narrow', params: { successRadius: 0.01 } }));
  const lone = await runCli(['eval', runId, '--variant', narrow, '--episodes', '2', '--json'], { home, timeoutMs: 120_000 });
  expect(lone.code, lone.stderr).toBe(0);
  expect(JSON.parse(lone.stdout)).toMatchObject({ runId, task: 'arm7/reach-any', variant: 'narrow' });
  // push-any reports a block-goal distance too, but it has no goal: no final distance for it.
  // It reports where the block ended instead, recomputed here from the last step's info.
  const push = await runCli(['train', 'arm7/push-any', '--steps', '50', '--hidden', '8', '--json'], { home, timeoutMs: 120_000 });
  const pushId = jsonLines(push.stdout).find((l) => l.event === 'done')!.runId as string;
  const pushRep = await evaluateRun(store, pushId, { episodes: 3, stochastic: true, seed: 5 });
  expect(pushRep.finalDistance).toBeUndefined();
  expect(pushRep.successRate).toBeUndefined();
  const pushed = await loadRunAgent(store, pushId);
  const penv = await createEnv('arm7/push-any');
  const ends: [number, number][] = [];
  let off = 0;
  for (let ep = 0; ep < 3; ep++) {
    let obs = penv.reset(5 + ep);
    for (;;) {
      const r = penv.step(pushed.agent.act(obs, { deterministic: false }));
      obs = r.obs;
      if (r.terminated || r.truncated) {
        expect(r.info.displacement).toBeCloseTo(Math.hypot(r.info.block_dx!, r.info.block_dz!), 12);
        if (r.info.on_table) ends.push([r.info.block_dx!, r.info.block_dz!]);
        else off++;
        break;
      }
    }
  }
  penv.dispose();
  // Stochastic acting draws from the agent's own RNG: the same draws need a fresh agent, as evaluateRun has.
  const byHand = sectorStats(ends, PUSH_SECTORS, 0.05, { 'off table': off });
  expect(pushRep.blockOnTableRate).toBe(ends.length / 3);
  expect(pushRep.pushHistogram).toEqual(byHand.histogram);
  expect(pushRep.pushEntropy).toBeCloseTo(byHand.entropy, 12);
  expect(pushRep.meanPushDistance).toBeCloseTo(byHand.meanNorm, 12);
  const pushLine = await runCli(['eval', pushId, '--episodes', '2'], { home, timeoutMs: 120_000 });
  expect(pushLine.stdout).toMatch(/block on the table at the end [\d.]+%, pushed [\d.]+ m: \S+/);
  const human = await runCli(['eval', runId, '--episodes', '1'], { home, timeoutMs: 120_000 });
  expect(human.stdout).toMatch(/final distance to the goal [\d.]+ m, at the goal at the end [\d.]+%/);
}, 300_000);

it("maxent eval reports the cheetah's signed x velocity, and no success (it has no goal)", async () => {
  const t = await runCli(['train', 'cheetah/run', '--steps', '50', '--hidden', '8', '--json'], { home, timeoutMs: 120_000 });
  expect(t.code, t.stderr).toBe(0);
  const runId = jsonLines(t.stdout).find((l) => l.event === 'done')!.runId as string;
  const store = new RunStore(home);
  const rep = await evaluateRun(store, runId, { episodes: 2, stochastic: false, seed: 3 });
  // The same episodes by hand: the episode means of info.vx, and |vx| per step.
  const { agent } = await loadRunAgent(store, runId);
  const env = await createEnv('cheetah/run');
  const means: number[] = [];
  let absSum = 0,
    steps = 0;
  for (let ep = 0; ep < 2; ep++) {
    let obs = env.reset(3 + ep);
    let sum = 0,
      n = 0;
    for (;;) {
      const r = env.step(agent.act(obs, { deterministic: true }));
      obs = r.obs;
      sum += r.info.vx!;
      absSum += Math.abs(r.info.vx!);
      n++;
      if (r.terminated || r.truncated) break;
    }
    steps += n;
    means.push(sum / n);
  }
  env.dispose();
  expect(rep.meanVelocityX).toBeCloseTo((means[0]! + means[1]!) / 2, 6);
  expect(rep.meanSpeed).toBeCloseTo((Math.abs(means[0]!) + Math.abs(means[1]!)) / 2, 6);
  expect(rep.meanStepSpeed).toBeCloseTo(absSum / steps, 6);
  expect(rep.successRate).toBeUndefined();
  expect(rep.headingHistogram).toBeUndefined();
}, 300_000);

it('refuses a number of episodes that is not a whole number of at least 1 (before loading anything)', async () => {
  const store = new RunStore(home);
  for (const episodes of [1.5, 0, -2, Number.NaN])
    await expect(evaluateRun(store, 'no-such-run', { episodes, stochastic: false })).rejects.toThrow(
      /evaluate: episodes must be a whole number of at least 1/,
    );
});
