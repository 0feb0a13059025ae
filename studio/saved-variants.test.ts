// Saved variants: a user's variant kept by name per task, in the file format `maxent train
// --variant` reads, over the same transport the UI uses. Bad input is named; a damaged file is
// reported, never removed or overwritten.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { SavedVariant, SavedVariants } from './api.ts';
import { runCli } from './cli-run.ts';
import { dispatch } from './dispatch.ts';
import { resolveVariantArg } from './saved-variants.ts';
import { StudioService } from './service.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-saved-variant-'));
const s = new StudioService({ home });
afterAll(async () => {
  await s.shutdown();
  fs.rmSync(home, { recursive: true, force: true });
});
let id = 0;
async function call<T>(method: string, ...params: unknown[]): Promise<T> {
  const res = await dispatch(s, { id: ++id, method, params });
  if (res.error) throw new Error(res.error);
  return res.result as T;
}

it('saves, lists, replaces and removes a variant by name, in the --variant file format', async () => {
  expect(await call<SavedVariants>('variants.list', 'point/one-goal')).toEqual({ variants: [], problems: [] });
  const far = { name: 'far goal (6, 1)', goals: [[6, 1]] };
  const saved = await call<SavedVariant>('variants.save', 'point/one-goal', far);
  expect(saved).toMatchObject({ task: 'point/one-goal', name: 'far goal (6, 1)', json: far });
  expect(saved.file).toBe(path.join(home, 'variants', 'point', 'one-goal', 'far-goal-6-1.json'));
  expect(JSON.parse(fs.readFileSync(saved.file, 'utf8'))).toEqual(far);
  // Saving under the same name replaces it.
  await call('variants.save', 'point/one-goal', { name: 'far goal (6, 1)', goals: [[6, 2]] });
  const list = await call<SavedVariants>('variants.list', 'point/one-goal');
  expect(list.variants.map((v) => v.json)).toEqual([{ name: 'far goal (6, 1)', goals: [[6, 2]] }]);
  // Another task's list is its own.
  expect((await call<SavedVariants>('variants.list', 'point/multigoal')).variants).toEqual([]);
  expect(await call('variants.remove', 'point/one-goal', 'far goal (6, 1)')).toEqual({ deleted: saved.file });
  expect((await call<SavedVariants>('variants.list', 'point/one-goal')).variants).toEqual([]);
});

it('a saved file trains from a terminal with --variant', async () => {
  const saved = await s.variants.save('point/one-goal', { name: 'near', goals: [[2, 0]] });
  const root = fileURLToPath(new URL('..', import.meta.url));
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'bin/maxent.mjs'), 'train', 'point/one-goal', '--variant', saved.file, '--steps', '200', '--hidden', '8', '--json'],
    { cwd: root, env: { ...process.env, MAXENT_HOME: home }, encoding: 'utf8', timeout: 60_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const runId = /"runId":"([^"]+)"/.exec(r.stdout)![1]!;
  expect(s.store.read(runId).config.variant).toEqual({ name: 'near', goals: [[2, 0]] });
  const list = spawnSync(process.execPath, [path.join(root, 'bin/maxent.mjs'), 'list', 'variants', 'point/one-goal', '--json'], {
    cwd: root,
    env: { ...process.env, MAXENT_HOME: home },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(list.status, list.stderr).toBe(0);
  const listed = JSON.parse(list.stdout) as { saved: SavedVariant[]; problems: string[] };
  expect(listed.saved.map((v) => [v.name, v.file])).toEqual([['near', saved.file]]);
  // By its name too: --variant takes a file, or a built-in or saved variant of the task by name.
  const byName = await runCli(['train', 'point/one-goal', '--variant', 'near', '--steps', '200', '--hidden', '8', '--json'], { home });
  expect(byName.code, byName.stderr).toBe(0);
  const runId2 = /"runId":"([^"]+)"/.exec(byName.stdout)![1]!;
  expect(s.store.read(runId2).config.variant).toEqual({ name: 'near', goals: [[2, 0]] });
  // A name that is neither leaves no run and says what there is.
  const runs = fs.readdirSync(path.join(home, 'runs')).length;
  const typo = await runCli(['train', 'point/one-goal', '--variant', 'naer', '--steps', '200'], { home });
  expect(typo.code).toBe(2);
  expect(typo.stderr).toMatch(/--variant: "naer" is neither a file nor a variant of point\/one-goal \(built in and saved: near\)/);
  expect(fs.readdirSync(path.join(home, 'runs'))).toHaveLength(runs);
}, 90_000);

it('--variant resolves a file first, then a built-in name, then a saved one', () => {
  expect(resolveVariantArg(home, 'cheetah/run', 'heavy')).toBe('heavy');
  const f = path.join(home, 'heavy');
  fs.writeFileSync(f, JSON.stringify({ name: 'from a file', massScale: { torso: 3 } }));
  try {
    expect(resolveVariantArg(home, 'cheetah/run', f)).toEqual({ name: 'from a file', massScale: { torso: 3 } });
  } finally {
    fs.rmSync(f);
  }
  expect(() => resolveVariantArg(home, 'cheetah/run', 'heavvy')).toThrow(/built in and saved: heavy, slippery, backward/);
  expect(() => resolveVariantArg(home, 'point/multigoal', 'x')).toThrow(/it has none built in or saved/);
});

it('names what is wrong, and never overwrites or removes a damaged file', async () => {
  await expect(call('variants.save', 'point/one-goal', { name: 'bad', goals: [[99, 0]] })).rejects.toThrow(/variant\.goals/);
  await expect(call('variants.save', 'point/one-goal', { name: 'x', gravity: 3 })).rejects.toThrow(/gravity/);
  await expect(call('variants.save', 'no/such-task', { name: 'x' })).rejects.toThrow(/unknown task "no\/such-task"/);
  await expect(call('variants.save', 'point/one-goal', { name: '***' })).rejects.toThrow(/needs a letter or digit/);
  await expect(call('variants.save', 'cheetah/run', { name: 'heavy', massScale: { torso: 3 } })).rejects.toThrow(
    /"heavy" is a built-in variant of cheetah\/run: give yours another name/,
  );
  await expect(call('variants.save', 'point/one-goal', 'default')).rejects.toThrow(/a saved variant is a JSON object/);
  await expect(call('variants.remove', 'point/one-goal', 'never saved')).rejects.toThrow(
    /no variant named "never saved" is saved for point\/one-goal/,
  );
  // Two names, one file: the second is refused rather than replacing the first.
  await call('variants.save', 'point/one-goal', { name: 'far goal', goals: [[6, 1]] });
  await expect(call('variants.save', 'point/one-goal', { name: 'far  goal', goals: [[6, 1]] })).rejects.toThrow(
    /the saved variant "far goal" uses far-goal\.json already: choose another name/,
  );
  const dir = path.join(home, 'variants', 'point', 'one-goal');
  fs.writeFileSync(path.join(dir, 'torn.json'), '{ "name": "torn", ');
  fs.writeFileSync(path.join(dir, 'wrong.json'), '{ "name": "wrong", "goals": "many" }');
  const list = await call<SavedVariants>('variants.list', 'point/one-goal');
  expect(list.variants.map((v) => v.name)).toContain('far goal');
  expect(list.problems.join('\n')).toMatch(/torn\.json: .*JSON/);
  expect(list.problems.join('\n')).toMatch(/wrong\.json: variant\.goals/);
  await expect(call('variants.save', 'point/one-goal', { name: 'torn', goals: [[1, 1]] })).rejects.toThrow(
    /torn\.json exists and is not a readable variant/,
  );
  expect(fs.readFileSync(path.join(dir, 'torn.json'), 'utf8')).toBe('{ "name": "torn", ');
});
