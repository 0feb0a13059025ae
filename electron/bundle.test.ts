// The Electron bundles (electron/build.mjs) build, and the SAC shard worker runs from its CommonJS
// bundle: a bundled owner finds shard-worker.cjs beside itself (no TypeScript loader there).
// The Electron binary itself is not needed for this part.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM build script without type declarations
import { buildElectron, common } from './build.mjs';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-bundle-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it('bundles main, preload and both workers, and the shard worker trains from its bundle', async () => {
  await buildElectron(out, 'error');
  for (const f of ['main.cjs', 'preload.cjs', 'worker.cjs', 'shard-worker.cjs', 'kernels.wasm', 'kernels-relaxed.wasm'])
    expect(fs.existsSync(path.join(out, f)), f).toBe(true);
  await build({
    ...common,
    logLevel: 'error',
    sourcemap: false,
    entryPoints: { owner: 'electron/fixtures/parallel-owner.ts' },
    outdir: out,
  });
  const r = spawnSync(process.execPath, [path.join(out, 'owner.cjs')], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { checksums, updates } = JSON.parse(r.stdout) as { checksums: number[]; updates: number };
  expect(updates).toBe(5);
  expect(checksums).toHaveLength(2);
  expect(checksums[1]).toBe(checksums[0]);
}, 120_000);
