// Browser e2e: Debian Chromium (playwright-core) against `maxent serve` with a throw-away home.
// The steps live in journey.ts (shared with the Electron spec); each step saves a screenshot to
// e2e/artifacts/ and the page must log no errors. A failed step skips the ones after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';
import { expectVideo } from './ffprobe.ts';
import {
  CHROMIUM_ARGS,
  deleteRun,
  expectNoErrorStates,
  expectOverlay,
  expectSceneNotBlank,
  fineTune,
  openStudio,
  pauseAndStep,
  cancelRecording,
  recordVideo,
  sampleActionCloud,
  selectRun,
  setPolicyMode,
  showGhosts,
  snap,
  startPretrain,
  startScratchControl,
  stopRun,
  waitForChartPoints,
  waitForRunState,
  watchConsole,
  type ConsoleWatch,
} from './journey.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Pretrain length: long enough that the policy reaches several goals (calibrated: see the ghosts step). */
const PRETRAIN_STEPS = Number(process.env.MAXENT_E2E_PRETRAIN_STEPS ?? 12000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `maxent serve` and resolves with its URL once it prints the listening line. */
function startServer(port: number, home: string): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/maxent.mjs'), 'serve', '--port', String(port), '--home', home], {
    cwd: ROOT,
    env: { ...process.env, MAXENT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const output = () => out.slice(-4000);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`maxent serve did not report listening within 60 s; output:\n${output()}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /maxent serve: listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!.replace(/\/$/, '') + '/', output });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`maxent serve exited early (${code ?? sig}); output:\n${output()}`));
    });
  });
}

describe.sequential('studio in Chromium against maxent serve', () => {
  let home = '';
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Browser | null = null;
  let page: Page;
  let watch: ConsoleWatch;
  let failed: string | null = null;
  let pretrainId = '';

  /** Runs one journey step: skipped after an earlier failure, screenshot and console check after. */
  async function step(ctx: TestContext, name: string, fn: () => Promise<void>): Promise<void> {
    if (failed) ctx.skip(`an earlier step failed: ${failed}`);
    try {
      await fn();
      await expectNoErrorStates(page, name);
      watch.assertClean(name);
    } catch (e) {
      failed = name;
      await snap(page, `${name}-FAILED`).catch(() => undefined);
      throw e;
    }
    await snap(page, name);
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/install-deps.sh (apt-get install chromium) or set CHROMIUM_PATH`);
    if (!existsSync(join(ROOT, 'dist/renderer/index.html')))
      throw new Error('dist/renderer is missing: the e2e global setup (vite build) did not run');
    home = mkdtempSync(join(tmpdir(), 'maxent-e2e-'));
    server = await startServer(await freePort(), home);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    watch = watchConsole(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.proc.exitCode === null) {
      const exited = new Promise((r) => server!.proc.once('exit', r));
      server.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('opens the studio: gallery, runs, system info, 3-D view of the default task', (ctx) =>
    step(ctx, '01-open', async () => {
      await openStudio(page, server!.url);
      // Before any run exists the viewer shows the default task, animated by an untrained policy.
      await expectSceneNotBlank(page, '01-open');
    }));

  it('starts a multigoal pretrain run from the gallery', (ctx) =>
    step(ctx, '02-start', async () => {
      pretrainId = await startPretrain(page, 'multigoal', PRETRAIN_STEPS);
    }));

  it('the episode-return chart receives points', (ctx) =>
    step(ctx, '03-chart', async () => {
      await waitForChartPoints(page, 'episodeReturn', 2);
    }));

  it('the 3-D canvas is animated and not blank', (ctx) =>
    step(ctx, '04-scene', async () => {
      await expectSceneNotBlank(page, '04-scene');
    }));

  it('the 3-D view pauses and steps frame by frame', (ctx) =>
    step(ctx, '04b-pause-step', async () => {
      await pauseAndStep(page);
    }));

  it('after pretraining, ghost rollouts from the episode start fan out to several goals', (ctx) =>
    step(ctx, '05-ghosts', async () => {
      await waitForRunState(page, ['finished'], 110_000);
      // The goals are 7-10 m apart and a goal ends an episode within 1 m of it: end points >= 2 m
      // apart mean the sampled futures went to different places, i.e. the policy is multimodal.
      await showGhosts(page, 16, 30, 2, true);
    }));

  it('the action cloud is drawn over the Q landscape; mode switches', (ctx) =>
    step(ctx, '06-policy', async () => {
      await sampleActionCloud(page);
      await setPolicyMode(page, 'deterministic');
      await setPolicyMode(page, 'stochastic');
    }));

  it('records a rollout video: H.264 MP4 with the documented frame count and duration, played in the app', (ctx) =>
    step(ctx, '06b-record', async () => {
      const r = await recordVideo(page, {
        episodes: 2,
        mode: 'stochastic',
        seed: 3,
        size: '640x360',
        fps: 30,
        camera: 'follow',
        overlays: true,
        ghosts: true,
      });
      const probe = expectVideo(r.path, r);
      if (r.container !== 'mp4') throw new Error(`Chromium here encodes H.264, yet the recorder fell back to ${r.codec}`);
      if (Math.abs(r.playerDuration - probe.duration) > 0.1)
        throw new Error(`the in-app player reports ${r.playerDuration} s, ffprobe ${probe.duration} s`);
      await cancelRecording(page);
    }));

  let fineTuneId = '';
  it('fine-tunes from the pretrain run and overlays both curves', (ctx) =>
    step(ctx, '07-finetune', async () => {
      fineTuneId = await fineTune(page, 'one-goal');
      if (fineTuneId === pretrainId) throw new Error('fine-tune did not create a new run');
      await expectOverlay(page, 2);
    }));

  it('starts the scratch control of the fine-tune and overlays the two', (ctx) =>
    step(ctx, '07b-scratch', async () => {
      const id = await startScratchControl(page);
      if (id === fineTuneId) throw new Error('the scratch control did not create a new run');
      await expectOverlay(page, 2);
    }));

  it('refuses to delete a live run (and says why), then stops it', (ctx) =>
    step(ctx, '08-stop', async () => {
      const msg = await deleteRun(page, true);
      if (!/running|stop it/i.test(msg)) throw new Error(`the refusal does not say why: ${msg}`);
      await stopRun(page);
    }));

  it('deletes the stopped run after confirmation', (ctx) =>
    step(ctx, '09-delete', async () => {
      await deleteRun(page);
      await selectRun(page, fineTuneId);
      await stopRun(page);
    }));
});
