// `maxent record` end to end: a small multigoal run trained here, recorded headless (Debian
// Chromium through playwright-core) into an MP4 that ffprobe checks against the frame-count rule;
// the same seed twice gives the same frame count. Plus the one-line errors users meet first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../studio/cli-run.ts';
import { expectVideo } from './ffprobe.ts';
import type { VideoRecordResult } from '../studio/api.ts';
import { electronBinary } from '../electron/binary.ts';
import { _electron as electron } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const ELECTRON = electronBinary();
if (!ELECTRON)
  console.log(
    'e2e/record.spec.ts: offscreen (Electron) recording skipped — no Electron binary on this machine; the same page records in Chromium above.',
  );

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The CLI's final --json line: the video result plus where --out copied it. */
type Done = VideoRecordResult & { event: 'done'; out: string };

describe.sequential('maxent record', () => {
  let home = '';
  let runId = '';
  let cliFrames = -1;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    home = mkdtempSync(join(tmpdir(), 'maxent-record-'));
    // A few hundred steps with small nets: enough for a checkpoint, fast on two slow cores.
    const r = await runCli(
      ['train', 'point/multigoal', '--steps', '400', '--hidden', '32,32', '--batch', '64', '--learning-starts', '200', '--json'],
      { home, timeoutMs: 90_000 },
    );
    if (r.code !== 0) throw new Error(`training failed (${r.code}): ${r.stderr}`);
    const done = jsonLines(r.stdout).find((l) => l.event === 'done');
    runId = String(done?.runId);
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('records a valid MP4 with the documented frame count; the same seed gives the same count', async () => {
    const args = (out: string) => [
      'record',
      runId,
      '--out',
      out,
      '--episodes',
      '2',
      '--seed',
      '7',
      '--stochastic',
      '--fps',
      '24',
      '--size',
      '480x270',
      '--ghosts',
      '--json',
    ];
    const outs = [join(home, 'a.mp4'), join(home, 'b.mp4')];
    const results: Done[] = [];
    for (const out of outs) {
      const r = await runCli(args(out), { home, timeoutMs: 100_000 });
      if (r.code !== 0) throw new Error(`maxent record failed (${r.code}): ${r.stderr}${r.stdout.slice(-500)}`);
      const lines = jsonLines(r.stdout);
      expect(lines.some((l) => l.event === 'progress' && l.phase === 'render')).toBe(true);
      const done = lines.find((l) => l.event === 'done') as unknown as Done;
      expect(done.out).toBe(out);
      expect(done.codec).toMatch(/^avc1\./);
      // The copy at --out and the file in the run's videos/ folder are the same video.
      expect(readFileSync(out).equals(readFileSync(done.path))).toBe(true);
      expect(done.path.startsWith(join(home, 'runs', runId, 'videos'))).toBe(true);
      const probe = expectVideo(out, done);
      expect(probe.codec).toBe('h264');
      results.push(done);
    }
    expect(results[1]!.frames).toBe(results[0]!.frames);
    cliFrames = results[0]!.frames;
    expect(results[1]!.episodeSteps).toEqual(results[0]!.episodeSteps);
  }, 240_000);

  // The desktop app's recorder: the same recording page in an offscreen BrowserWindow.
  it.skipIf(!ELECTRON)(
    'records the same frame count offscreen in Electron',
    async () => {
      const root = fileURLToPath(new URL('..', import.meta.url));
      const b = spawnSync(process.execPath, [join(root, 'electron/build.mjs')], { cwd: root, encoding: 'utf8' });
      if (b.status !== 0) throw new Error(`electron/build.mjs failed:\n${b.stderr}`);
      const app = await electron.launch({
        executablePath: ELECTRON!,
        args: [join(root, 'dist-electron/main.cjs')],
        cwd: root,
        env: { ...process.env, MAXENT_HOME: home, MAXENT_E2E: '1' },
      });
      try {
        const opts = {
          episodes: 2,
          seed: 7,
          stochastic: true,
          width: 480,
          height: 270,
          fps: 24,
          camera: 'fixed',
          overlays: true,
          ghosts: true,
          codec: 'avc',
        };
        const r = (await app.evaluate(
          (_e, [id, o]) =>
            (globalThis as unknown as { __maxentOffscreenRecord(i: string, p: unknown): Promise<unknown> }).__maxentOffscreenRecord(id, o),
          [runId, opts] as const,
        )) as VideoRecordResult;
        expect(r.path.startsWith(join(home, 'runs', runId, 'videos'))).toBe(true);
        expect(expectVideo(r.path, r).codec).toBe('h264');
        expect(r.frames).toBe(cliFrames);
      } finally {
        await app.close();
      }
    },
    240_000,
  );

  it('fails with one clear line: unknown run, bad size, no Chromium', async () => {
    const missing = await runCli(['record', 'no-such-run', '--out', join(home, 'x.mp4')], { home, timeoutMs: 30_000 });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/run no-such-run not found/);

    const size = await runCli(['record', runId, '--size', '1280by720'], { home, timeoutMs: 30_000 });
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/--size must be WIDTHxHEIGHT/);

    const odd = await runCli(['record', runId, '--out', join(home, 'x.avi')], { home, timeoutMs: 30_000 });
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/--out must end in \.mp4/);

    const r = await runCliWithEnv(['record', runId, '--out', join(home, 'x.mp4')], home, { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CHROMIUM_PATH=\/nonexistent\/chromium does not exist/);
  }, 120_000);
});

async function runCliWithEnv(args: string[], home: string, env: Record<string, string>) {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    return await runCli(args, { home, timeoutMs: 30_000 });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
