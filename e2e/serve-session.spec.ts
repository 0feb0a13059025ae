// e2e: `maxent serve` is a studio host: on SIGTERM it saves what it was training, and the next
// `maxent serve` on that home continues it (the same wiring the Electron main process uses).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { StudioService } from '../studio/service.ts';
import { studioSessionFile } from '../studio/runs/studio-session.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const h = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-serve-session-'));
afterAll(() => fs.rmSync(h, { recursive: true, force: true }));

/** Runs `maxent serve` until its output matches `until`, then SIGTERM; resolves with all it printed and its exit code. */
function serveUntil(until: RegExp): Promise<{ out: string; code: number | null }> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/maxent.mjs'), 'serve', '--port', '0', '--home', h], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let sent = false;
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const onData = (d: Buffer): void => {
    out += d.toString();
    if (!sent && until.test(out)) {
      sent = true;
      proc.kill('SIGTERM');
    }
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  return new Promise((resolve) =>
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, code });
    }),
  );
}

it('maxent serve continues the runs the last server was training when it was stopped', async () => {
  const s = new StudioService({ home: h });
  const run = await s.startRun('point/multigoal', {
    hidden: [8],
    batchSize: 16,
    learningStarts: 50,
    logEvery: 100,
    checkpointEvery: 200,
    steps: 10_000_000,
    seed: 1,
  });
  await s.stop(run.id);
  await s.shutdown();
  fs.writeFileSync(studioSessionFile(h), JSON.stringify({ format: 'maxent-studio-session', version: 1, continue: [run.id] }));

  const first = await serveUntil(/maxent serve: continued /);
  expect(first.out).toContain(`maxent serve: continued ${run.id}`);
  expect(first.code).toBe(0);
  // Stopped by SIGTERM while training: saved again, to continue next time.
  expect(JSON.parse(fs.readFileSync(studioSessionFile(h), 'utf8')).continue).toEqual([run.id]);
  expect(s.store.read(run.id).status).toBe('stopped');
}, 120_000);
