// A user's own variant from the studio (the variant editor): a bare task trained on it, a run
// fine-tuned on it, each checked against the task with the bad field named, over the same
// transport the UI uses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { RunInfo } from './api.ts';
import { dispatch } from './dispatch.ts';
import { StudioService } from './service.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-variant-'));
const s = new StudioService({ home });
afterAll(async () => {
  await s.shutdown();
  fs.rmSync(home, { recursive: true, force: true });
});
const small = { steps: 300, hidden: [8], batchSize: 16, learningStarts: 50, logEvery: 100, checkpointEvery: 100 };
let id = 0;
async function call<T>(method: string, ...params: unknown[]): Promise<T> {
  const res = await dispatch(s, { id: ++id, method, params });
  if (res.error) throw new Error(res.error);
  return res.result as T;
}

it('trains a task on a variant the user wrote, and fine-tunes a run on another', async () => {
  const far = { name: 'far goal', goals: [[6, 1]] };
  const run = await call<RunInfo>('startRun', 'point/one-goal', small, far);
  expect(run.variant).toBe('far goal');
  expect(s.store.read(run.id).config.variant).toEqual(far);
  await s.waitFor(run.id);
  const two = {
    name: 'two goals',
    goals: [
      [-5, 0],
      [0, 5],
    ],
  };
  const child = await call<RunInfo>('fineTune', run.id, 'point/multigoal', { steps: 100 }, two);
  expect(child).toMatchObject({ task: 'point/multigoal', variant: 'two goals', parentRunId: run.id });
  expect(child.name).toBe(`${run.name} → point/multigoal (two goals)`);
  expect(s.store.read(child.id).config.variant).toEqual(two);
  // Its scratch control trains the same variant; the two are not one setting.
  const scratch = await s.startScratch(child.id);
  expect(scratch.variant).toBe('two goals');
  expect(scratch.setting).not.toBe(child.setting);
  await s.waitFor(child.id);
  await s.waitFor(scratch.id);
  // The parent tried on it zero-shot: on its own task, and on a target's.
  const own = await call<{ task: string; variant: string }>('evaluate', run.id, {
    episodes: 2,
    variant: { name: 'near', goals: [[2, 0]] },
  });
  expect(own).toMatchObject({ task: 'point/one-goal', variant: 'near' });
  const there = await call<{ task: string; variant: string }>('evaluate', run.id, { episodes: 2, on: 'point/multigoal', variant: two });
  expect(there).toMatchObject({ task: 'point/multigoal', variant: 'two goals' });
  await expect(call('evaluate', run.id, { episodes: 2, variant: { goals: [[99, 0]] } })).rejects.toThrow(
    /variant\.goals\[0\]\[0\]: expected a number in/,
  );
});

it('refuses a bad variant before any run folder exists, naming the field', async () => {
  const before = fs.readdirSync(path.join(home, 'runs')).length;
  await expect(call('startRun', 'cheetah/run', small, { massScale: { torso: 30 } })).rejects.toThrow(
    /variant\.massScale\.torso: expected a number in \[0\.1, 10\], got 30/,
  );
  await expect(call('startRun', 'cheetah/run', small, { massScale: { tail: 2 } })).rejects.toThrow(
    /variant\.massScale\.tail: unknown field/,
  );
  await expect(call('startRun', 'multigoal', small, { goals: [[1, 1]] })).rejects.toThrow(
    /a variant goes with a task id, not the scenario "multigoal"/,
  );
  await expect(call('startRun', 'point/one-goal', small, [[1, 1]])).rejects.toThrow(/startRun\[2\]: expected a variant/);
  await expect(call('startRun', 'point/one-goal', small, { name: 'x', description: 'y'.repeat(30_000) })).rejects.toThrow(
    /over 20,000 characters/,
  );
  expect(fs.readdirSync(path.join(home, 'runs')).length).toBe(before);
});

it('renames a run and keeps notes over the transport; a name over 200 characters is refused', async () => {
  const run = (await s.listRuns())[0]!;
  const got = await call<RunInfo>('labelRun', run.id, { name: 'south try', notes: 'goal moved' });
  expect(got).toMatchObject({ id: run.id, name: 'south try', notes: 'goal moved' });
  await expect(call('labelRun', run.id, { name: 'x'.repeat(201) })).rejects.toThrow(
    /labelRun\[1\]\.name: expected a string of at most 200 characters/,
  );
  await expect(call('labelRun', run.id, { title: 'x' })).rejects.toThrow(/labelRun\[1\]\.title: unknown field/);
});
