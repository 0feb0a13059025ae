// `maxent record`: renders a rollout video headless. The studio server runs in this process on a
// free loopback port; Debian Chromium (driven by playwright-core, fresh profile, software WebGL)
// opens the renderer's recording page (?mode=record), which renders the rollout frame by frame,
// encodes it with WebCodecs and saves it through recorder.save into the run's videos/ folder.
// The browser is the encoder: the video is the same one the UI's Record button makes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VideoRecordResult } from '../api.ts';
import type { StudioService } from '../service.ts';

/** What the page's recorder takes (renderer/recorder.ts RecordOptions; kept structural here so
 * the Node side does not import DOM code). */
export interface HeadlessRecordOptions {
  episodes: number;
  seed: number;
  stochastic: boolean;
  width: number;
  height: number;
  fps: number;
  camera: 'follow' | 'fixed' | 'orbit';
  overlays: boolean;
  ghosts: boolean;
  codec: 'auto' | 'avc' | 'vp9';
  name?: string;
  /** Replace a video of that name; else a recording under a taken name is refused. */
  overwrite?: boolean;
  /** The checkpoint (env step) to record; default the latest. */
  step?: number;
}

export interface HeadlessProgress {
  phase: 'start' | 'rollout' | 'render' | 'finalize' | 'save';
  frame: number;
  frames: number;
}

/** A recording stopped by Ctrl-C or a kill: the browser and its profile are gone, no video is half-written. */
export class RecordInterrupted extends Error {
  override name = 'RecordInterrupted';
  readonly exitCode: number;
  constructor(signal: NodeJS.Signals, saving: boolean) {
    super(`recording interrupted (${signal}): ${saving ? "it was saving: look in the run's videos/ for it" : 'no video was saved'}`);
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}

/** What the recording page returns (the StudioApi contract's video result). */
export type HeadlessResult = VideoRecordResult;

/** Chromium flags for software WebGL2 in headless mode (see WORKPLACE.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to drive: $CHROMIUM_PATH, else the usual system locations. */
export function findChromium(): string {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (!fs.existsSync(env)) throw new Error(`CHROMIUM_PATH=${env} does not exist`);
    return env;
  }
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(
      'no Chromium found for headless recording: install it (`apt-get install -y chromium` on Debian/Ubuntu) or set CHROMIUM_PATH to a Chrome/Chromium binary',
    );
  return found;
}

export async function recordHeadless(
  service: StudioService,
  runId: string,
  opts: HeadlessRecordOptions,
  onProgress: (p: HeadlessProgress) => void = () => {},
): Promise<HeadlessResult> {
  // Fail on the cheap checks before a browser starts.
  service.store.read(runId);
  if (opts.step !== undefined) service.store.checkpointFile(runId, opts.step);
  else if (service.store.newestCheckpoint(runId) == null)
    throw new Error(
      service.store.noCheckpoint(runId, ': train it further (checkpoints are written every --checkpoint-every steps and at the end)'),
    );
  const executablePath = findChromium();
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is missing: run `npm install` in the studio folder');
  }
  onProgress({ phase: 'start', frame: 0, frames: 0 });
  // Ctrl-C or a kill closes the browser and lets the cleanup below run (Playwright's own handlers
  // exit at once and leave the profile in the temp folder); a second Ctrl-C quits on the spot.
  let interrupted: NodeJS.Signals | null = null;
  let saving = false;
  let closeBrowser: (() => Promise<void>) | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    interrupted = sig;
    void closeBrowser?.();
  };
  const stopped = (e: unknown) => (interrupted ? new RecordInterrupted(interrupted, saving) : e);
  const { serve } = await import('../web/server.ts');
  const served = await serve(service, { port: 0, host: '127.0.0.1' });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-record-'));
  const pageErrors: string[] = [];
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const context = await chromium
      .launchPersistentContext(profile, {
        executablePath,
        args: CHROMIUM_FLAGS,
        headless: true,
        viewport: { width: 640, height: 360 },
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      })
      .catch((e: Error) => {
        throw stopped(new Error(`cannot start Chromium at ${executablePath}: ${e.message.split('\n')[0]}`));
      });
    // One close, awaited by all: a second context.close() returns before the browser has exited,
    // and Chromium writes its profile on the way out.
    let closing: Promise<void> | null = null;
    closeBrowser = () => (closing ??= context.close().catch(() => undefined));
    try {
      if (interrupted) throw new RecordInterrupted(interrupted, false); // while Chromium started
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text());
      });
      await page.exposeFunction('__maxentRecordProgress', (p: HeadlessProgress) => {
        if (p.phase === 'save') saving = true;
        onProgress(p);
      });
      await page.goto(`${served.url}/?mode=record`);
      await page.waitForSelector('[data-ready="record"]', { timeout: 30_000 }).catch(() => {
        throw new Error(
          `the built UI has no recording page (rebuild it: \`npm run build:renderer\`)${pageErrors.length ? `; page errors: ${pageErrors.join(' | ')}` : ''}`,
        );
      });
      try {
        // Runs in the page: renderer/main.ts defines window.__maxentRecord on the recording page.
        return await page.evaluate(([id, o]) => (globalThis as unknown as RecordPage).__maxentRecord(id, o), [runId, opts] as const);
      } catch (e) {
        // Playwright wraps page exceptions: keep the recorder's own message.
        const msg = (e as Error).message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0]!;
        throw new Error(msg);
      }
    } catch (e) {
      throw stopped(e);
    } finally {
      await closeBrowser();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await served.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

interface RecordPage {
  __maxentRecord(runId: string, opts: Partial<HeadlessRecordOptions>): Promise<HeadlessResult>;
}

/** Progress for the terminal: a bar on a TTY, JSON lines with --json, nothing otherwise. */
export function recordProgressPrinter(json: boolean): { update: (p: HeadlessProgress) => void; done: () => void } {
  const tty = !json && process.stderr.isTTY;
  let lastJson = 0;
  let lastPhase = '';
  let drawn = false;
  const t0 = Date.now();
  return {
    update(p) {
      if (json) {
        // Every phase change, then at most ~4 lines a second while rendering.
        const now = Date.now();
        if (p.phase !== lastPhase || now - lastJson >= 250 || p.frame === p.frames) {
          lastJson = now;
          lastPhase = p.phase;
          process.stdout.write(JSON.stringify({ event: 'progress', ...p }) + '\n');
        }
        return;
      }
      if (!tty) return;
      const frac = p.frames > 0 ? p.frame / p.frames : 0;
      const width = 24;
      const filled = Math.round(frac * width);
      const s = (Date.now() - t0) / 1000;
      const label =
        p.phase === 'render'
          ? `frame ${p.frame}/${p.frames}  ${(p.frame / Math.max(1e-3, s)).toFixed(1)} frames/s`
          : p.phase === 'start'
            ? 'starting Chromium'
            : p.phase === 'rollout'
              ? 'rolling out the policy'
              : p.phase === 'finalize'
                ? 'finishing the file'
                : 'saving';
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${label}\x1b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\n');
    },
  };
}
