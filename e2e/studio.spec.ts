// Browser e2e: Debian Chromium (playwright-core) against `maxent serve` with a throw-away home.
// The ordered steps live in journey-suite.ts (shared with the Electron spec, so the two cannot
// drift); each saves a screenshot to e2e/artifacts/ and the page must log no errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { registerJourney } from './journey-suite.ts';
import { CHROMIUM_ARGS, watchConsole, type ConsoleWatch } from './journey.ts';

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

  registerJourney({ page: () => page, watch: () => watch, url: () => server?.url, pretrainSteps: PRETRAIN_STEPS });
});
