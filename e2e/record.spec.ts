// `maxent record` end to end: a small multigoal run trained here, recorded headless (Debian
// Chromium through playwright-core) into an MP4 that ffprobe checks against the frame-count rule;
// the same seed twice gives the same frame count. Plus the one-line errors users meet first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, MAXENT_BIN, runCli } from '../studio/cli-run.ts';
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

    // Found before a browser starts (with CHROMIUM_PATH broken, any later check would fail on it).
    const early = async (args: string[], message: RegExp) => {
      const e = await runCliWithEnv(['record', runId, ...args], home, { CHROMIUM_PATH: '/nonexistent/chromium' });
      expect(e.stderr).toMatch(message);
      expect(e.code).toBe(2);
      expect(e.stderr.trim().split('\n')).toHaveLength(1);
    };
    await early(['--name', '.hidden'], /--name "\.hidden" is not a valid file name/);
    await early(['--size', '321x240'], /--size must be even/);
    await early(['--fps', '1000'], /--fps must be an integer from 1 to 120/);
    await early(['--out', join(home, 'no-such-folder', 'x.mp4')], /--out: the folder .*no-such-folder does not exist/);
    await early(['--out', join(home, 'a.mp4')], /--out .*a\.mp4 exists: pass --force/);
    await early(['--out', home + '/runs.mp4', '--name', 'clip.webm'], /is mp4 but --name clip\.webm is webm/);
  }, 120_000);

  it('a video name already taken is refused before rendering; --force replaces it', async () => {
    const args = ['record', runId, '--name', 'Clip.MP4', '--episodes', '1', '--fps', '10', '--size', '160x90', '--json'];
    const first = await runCli(args, { home, timeoutMs: 100_000 });
    if (first.code !== 0) throw new Error(`maxent record failed (${first.code}): ${first.stderr}`);
    const done = jsonLines(first.stdout).find((l) => l.event === 'done') as unknown as Done;
    expect(done.path).toBe(join(home, 'runs', runId, 'videos', 'Clip.mp4'));
    const again = await runCli(args, { home, timeoutMs: 30_000 });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--name: the run already has .*Clip\.mp4; choose another name, or pass --force/);
    const forced = await runCli([...args.slice(0, 5), '2', ...args.slice(6), '--force'], { home, timeoutMs: 100_000 });
    if (forced.code !== 0) throw new Error(`maxent record --force failed (${forced.code}): ${forced.stderr}`);
    const replaced = jsonLines(forced.stdout).find((l) => l.event === 'done') as unknown as Done;
    expect(replaced.path).toBe(done.path);
    expect(replaced.episodeSteps).toHaveLength(2);
    expectVideo(done.path, replaced);
  }, 240_000);

  it('Ctrl-C stops a recording cleanly: exit 130, no video, no browser profile left in the temp folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'maxent-sigint-'));
    try {
      const child = spawn(
        process.execPath,
        [MAXENT_BIN, 'record', runId, '--episodes', '3', '--size', '320x180', '--json', '--home', home],
        {
          env: { ...process.env, TMPDIR: tmp },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      await new Promise<void>((res, rej) => {
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.includes('"phase":"render"')) res();
        });
        void exited.then(() => rej(new Error(`maxent record ended before rendering: ${stderr}`)));
      });
      const videos = join(home, 'runs', runId, 'videos');
      const before = readdirSync(videos).sort();
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toMatch(/recording interrupted \(SIGINT\): no video was saved/);
      expect(readdirSync(tmp).filter((f) => f.startsWith('maxent-record-'))).toEqual([]);
      expect(readdirSync(videos).sort()).toEqual(before);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
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
