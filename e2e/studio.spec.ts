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
import {
  CHROMIUM_ARGS,
  expectNoErrorStates,
  expectOverlay,
  expectSceneNotBlank,
  fineTune,
  openStudio,
  pauseAndStep,
  sampleActionCloud,
  setPolicyMode,
  showGhosts,
  snap,
  startPretrain,
  stopRun,
  waitForChartPoints,
  watchConsole,
  type ConsoleWatch,
} from './journey.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/install-deps.sh (apt-get install chromium) or set CHROMIUM_PATH`);
    if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: the e2e global setup (vite build) did not run');
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

  it('opens the studio: gallery, runs, system info, 3-D view', (ctx) =>
    step(ctx, '01-open', async () => {
      await openStudio(page, server!.url);
    }));

  it('starts a multigoal pretrain run from the gallery', (ctx) =>
    step(ctx, '02-start', async () => {
      pretrainId = await startPretrain(page, 'multigoal', 4000);
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

  it('ghost rollouts are drawn in the scene', (ctx) =>
    step(ctx, '05-ghosts', async () => {
      await showGhosts(page, 12, 30, 0.05);
    }));

  it('the action cloud is drawn over the Q landscape; mode switches', (ctx) =>
    step(ctx, '06-policy', async () => {
      await sampleActionCloud(page);
      await setPolicyMode(page, 'deterministic');
      await setPolicyMode(page, 'stochastic');
    }));

  it('fine-tunes from the pretrain run and overlays both curves', (ctx) =>
    step(ctx, '07-finetune', async () => {
      const id = await fineTune(page, 'one-goal');
      if (id === pretrainId) throw new Error('fine-tune did not create a new run');
      await expectOverlay(page, 2);
    }));

  it('stops the run', (ctx) =>
    step(ctx, '08-stop', async () => {
      await stopRun(page);
    }));
});
