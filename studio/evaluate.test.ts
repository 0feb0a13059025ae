// Evaluation of walkers: the compass heading of each episode's mean planar velocity (whether a
// pretrained ant runs off in many directions, or only jiggles in place for its speed reward).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { jsonLines, runCli } from './cli-run.ts';
import { headingStats } from './evaluate.ts';

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
  const human = await runCli(['eval', runId, '--episodes', '1'], { home, timeoutMs: 120_000 });
  expect(human.stdout).toMatch(/mean speed [\d.]+ m\/s \(per step [\d.]+ m\/s\), headings: \w+:1 \(entropy 0\.000 nats\)/);
}, 300_000);
