// The device kit (build-kit.mjs) runs with a bare `node`, away from the repository and its
// node_modules, as it will on the lent GPU machine: `info`, a 2-thread training run through the
// bundled training and shard workers, and `bench gpu` printing only its own result.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
// @ts-expect-error: a plain ESM build script without type declarations
import { buildKit } from './build-kit.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-kit-'));
const kit = path.join(dir, 'kit');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await buildKit(kit, { logLevel: 'error' });
}, 60_000);

function maxent(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  // cwd outside the repository: nothing may resolve from its node_modules
  return spawnSync(process.execPath, [path.join(kit, 'maxent.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MAXENT_HOME: path.join(dir, 'home'), MAXENT_WEBGPU_SOFTWARE: '' },
  });
}

it('reports its version and backend', () => {
  const r = maxent('info', '--json');
  expect(r.status, r.stderr).toBe(0);
  const info = JSON.parse(r.stdout) as { backend: string; versions: Record<string, string> };
  expect(info.versions['maxent-studio']).toBe(pkg.version);
  expect(info.versions['rapier']).toMatch(/^\d+\.\d+\.\d+/); // bundled: no node_modules to read it from
  expect(info.backend).toMatch(/^cpu-/);
}, 60_000);

it('trains on 2 update threads through the bundled workers', () => {
  const r = maxent(
    'train',
    'point/multigoal',
    '--steps',
    '300',
    '--learning-starts',
    '100',
    '--batch',
    '32',
    '--hidden',
    '16,16',
    '--threads',
    '2',
    '--log-every',
    '100',
    '--json',
  );
  expect(r.status, r.stderr).toBe(0);
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { event: string; status: string; dir: string };
  expect(done).toMatchObject({ event: 'done', status: 'finished' });
  const run = JSON.parse(fs.readFileSync(path.join(done.dir, 'run.json'), 'utf8')) as { device: string };
  expect(run.device).toMatch(/2 update threads/);
  const rows = fs.readFileSync(path.join(done.dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  expect(JSON.parse(rows.at(-1)!).updatesPerSec).toBeGreaterThan(0);
}, 120_000);

it('bench gpu prints its own result only (no other bench module runs as a script in the bundle)', () => {
  const r = maxent('bench', 'gpu', '--small', '--seconds', '0.01', '--per-submit', '2', '--json');
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const out = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(Object.keys(out)).toContain('gpu');
  expect(Object.keys(out)).not.toContain('train');
}, 120_000);
