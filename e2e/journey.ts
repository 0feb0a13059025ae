// The studio journey as reusable steps, each taking a Playwright Page. Both the browser spec
// (studio.spec.ts, against `maxent serve`) and the Electron spec use these, so the two can't
// drift. Every step waits on stable data-testid hooks and fails with a message that says what
// it saw; `snap` saves a screenshot per step under e2e/artifacts/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { VideoRecordResult } from '../studio/api.ts';
import { parseSeeds } from '../studio/seeds.ts';

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Chromium flags for headless runs here: the same ones `maxent record` uses. */
export { CHROMIUM_FLAGS as CHROMIUM_ARGS } from '../studio/record/headless.ts';

export interface ConsoleWatch {
  readonly errors: string[];
  /** Throws if any console error or uncaught page error was seen (since the last call). */
  assertClean(step: string): void;
}

/** Collects console errors and uncaught exceptions; the studio must produce none. */
export function watchConsole(page: Page): ConsoleWatch {
  const errors: string[] = [];
  let reported = 0;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return {
    errors,
    assertClean(step) {
      const fresh = errors.slice(reported);
      reported = errors.length;
      if (fresh.length) throw new Error(`${step}: the page logged errors:\n  ${fresh.join('\n  ')}`);
    },
  };
}

/** Saves a full-page screenshot as e2e/artifacts/<name>.png and returns its path. */
export async function snap(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

async function visibleErrors(page: Page): Promise<string[]> {
  return page.$$eval('[data-state="error"]', (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null && e.textContent).map((e) => e.textContent ?? ''),
  );
}

/** Fails if any panel shows an error state. */
export async function expectNoErrorStates(page: Page, step: string): Promise<void> {
  const errs = await visibleErrors(page);
  if (errs.length) throw new Error(`${step}: the UI shows errors:\n  ${errs.join('\n  ')}`);
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  describe: (v: T) => string,
): Promise<T> {
  const t0 = Date.now();
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`${what}: not within ${(timeoutMs / 1000).toFixed(0)} s (last seen: ${describe(last)})`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

async function selectedRun(page: Page): Promise<{ id: string | null; status: string | null }> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="run-item"][aria-current="true"]');
    return { id: el?.getAttribute('data-run-id') ?? null, status: el?.getAttribute('data-status') ?? null };
  });
}

/** Opens the studio and waits until every panel has loaded (scenarios, runs, system, viewer). */
export async function openStudio(page: Page, url?: string): Promise<void> {
  if (url) await page.goto(url);
  await page.waitForSelector('[data-testid="app"][data-ready="true"]', { timeout: 60_000 }).catch(async () => {
    throw new Error(`openStudio: the UI did not finish loading; errors: ${(await visibleErrors(page)).join(' | ') || 'none shown'}`);
  });
  await expectNoErrorStates(page, 'openStudio');
  const cards = await page.locator('[data-testid^="scenario-card-"]').count();
  if (cards < 1) throw new Error('openStudio: the scenario gallery is empty');
  await page.locator('[data-testid="system-info"] dd').first().waitFor({ timeout: 10_000 });
}

/** Starts a scenario's pretrain run from its gallery card; returns the new run id. */
export async function startPretrain(page: Page, scenarioId = 'multigoal', steps = 3000): Promise<string> {
  const card = page.getByTestId(`scenario-card-${scenarioId}`);
  if (!(await card.count())) throw new Error(`startPretrain: no gallery card for scenario ${scenarioId}`);
  const before = (await selectedRun(page)).id;
  await page.getByTestId(`steps-${scenarioId}`).fill(String(steps));
  await page.getByTestId(`start-run-${scenarioId}`).click();
  const sel = await poll(
    'startPretrain: new run selected',
    30_000,
    () => selectedRun(page),
    (s) => s.id !== null && s.id !== before,
    (s) => `selected ${s.id ?? 'nothing'}; card status: ${JSON.stringify(s)}`,
  ).catch(async (e: Error) => {
    const st = await page.getByTestId(`start-status-${scenarioId}`).textContent();
    throw new Error(`${e.message}; start status: ${st}`);
  });
  // The run says in the studio log which backend and device it trains on.
  await poll(
    'startPretrain: the run logs its backend',
    60_000,
    async () => (await page.getByTestId('log').textContent()) ?? '',
    (t) => t.includes(`[${sel.id}] training on `),
    (t) => `log: ${t.slice(-300)}`,
  );
  return sel.id!;
}

/**
 * Starts a task from the "Any task" card with some settings changed (field key → text); checks
 * that a bad value is refused with the field named first. Returns the new run's id and the
 * config its run.json recorded.
 */
export async function startTaskRun(
  page: Page,
  task: string,
  steps: number,
  settings: Record<string, string>,
): Promise<{ id: string; config: Record<string, unknown> }> {
  const before = (await selectedRun(page)).id;
  await page.getByTestId('task-select').selectOption(task);
  const about = (await page.getByTestId('task-about').textContent()) ?? '';
  if (!about.includes('observations')) throw new Error(`the task card does not describe ${task}: ${about}`);
  await page.getByTestId('steps-task').fill(String(steps));
  await page.locator('[data-testid="settings-task"] summary').click();
  // A bad learning rate is refused, naming the field, and nothing starts.
  await page.getByTestId('settings-task-lr').fill('fast');
  await page.getByTestId('start-run-task').click();
  const err = (await page.getByTestId('start-status-task').textContent()) ?? '';
  if (!/Learning rate: a number, got "fast"/.test(err)) throw new Error(`a bad learning rate gave: ${JSON.stringify(err)}`);
  await page.getByTestId('settings-task-reset').click();
  for (const [k, v] of Object.entries(settings)) {
    const el = page.getByTestId(`settings-task-${k}`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(v);
    else if ((await el.getAttribute('type')) === 'checkbox') await el.setChecked(v === 'true');
    else await el.fill(v);
  }
  const summary = (await page.locator('[data-testid="settings-task"] summary').textContent()) ?? '';
  if (summary !== `Settings (${Object.keys(settings).length} changed)`)
    throw new Error(`the settings summary reads ${JSON.stringify(summary)}`);
  await page.getByTestId('start-run-task').click();
  const sel = await poll(
    'startTaskRun: new run selected',
    30_000,
    () => selectedRun(page),
    (s) => s.id !== null && s.id !== before,
    (s) => `selected ${s.id ?? 'nothing'}`,
  );
  return { id: sel.id!, config: await selectedConfig(page) };
}

/**
 * The Any task card's Settings on the ant: switched to SQL, Tune α greys out and α shows the SQL
 * default for the ant's reward scale (0.1); back to SAC it shows SAC's initial α again.
 */
export async function checkSqlAlphaFollows(page: Page): Promise<void> {
  await page.getByTestId('task-select').selectOption('ant/run-direction');
  const details = page.locator('[data-testid="settings-task"]');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  const alpha = page.getByTestId('settings-task-initAlpha');
  const tune = page.getByTestId('settings-task-autoAlpha');
  await page.getByTestId('settings-task-algo').selectOption('sql');
  if ((await alpha.inputValue()) !== '0.1' || !(await tune.isDisabled()))
    throw new Error(`SQL on the ant shows α ${await alpha.inputValue()}, Tune α ${(await tune.isDisabled()) ? 'greyed' : 'editable'}`);
  await page.getByTestId('settings-task-algo').selectOption('sac');
  if ((await alpha.inputValue()) !== '1' || (await tune.isDisabled())) throw new Error(`back on SAC α shows ${await alpha.inputValue()}`);
  await page.getByTestId('settings-task-reset').click();
  await details.locator('summary').click(); // closed again, as startTaskRun expects it
}

/** The selected run's run.json config (its folder is on the run page). */
export async function selectedConfig(page: Page): Promise<Record<string, unknown>> {
  const dir = ((await page.getByTestId('run-dir').textContent()) ?? '').replace(/^dir: /, '');
  return (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { config: Record<string, unknown> }).config;
}

/**
 * Fine-tunes the selected run on `target` for `steps` with some settings changed (field key →
 * text); the parent's networks are shown locked. Returns the new run's config.
 */
export async function fineTuneWithSettings(
  page: Page,
  target: string,
  steps: number,
  settings: Record<string, string>,
): Promise<Record<string, unknown>> {
  const parent = (await selectedRun(page)).id;
  await page.getByTestId('finetune-variant').selectOption(target);
  await page.getByTestId('finetune-steps').fill(String(steps));
  await page.locator('[data-testid="finetune-settings"] summary').click();
  for (const k of ['hidden', 'algo', 'policy'])
    if (!(await page.getByTestId(`finetune-settings-${k}`).isDisabled())) throw new Error(`a fine-tune's ${k} is editable`);
  for (const [k, v] of Object.entries(settings)) await page.getByTestId(`finetune-settings-${k}`).fill(v);
  await page.getByTestId('finetune-run').click();
  await poll(
    'fine-tune with settings selected',
    60_000,
    () => selectedRun(page),
    (s) => s.id !== null && s.id !== parent,
    (s) => JSON.stringify(s),
  );
  return selectedConfig(page);
}

/** Waits until a chart has at least `min` points for the selected run. */
export async function waitForChartPoints(page: Page, metric = 'episodeReturn', min = 2, timeoutMs = 120_000): Promise<number> {
  const chart = page.getByTestId(`chart-${metric}`);
  return poll(
    `chart ${metric} receives ${min} points`,
    timeoutMs,
    async () => Number((await chart.getAttribute('data-points')) ?? 0),
    (n) => n >= min,
    (n) => `${n} points`,
  ).catch(async (e: Error) => {
    const run = await selectedRun(page);
    throw new Error(`${e.message}; run ${run.id} is ${run.status}`);
  });
}

export interface ImageStats {
  width: number;
  height: number;
  mean: number;
  std: number;
  distinct: number;
}

/** Decodes a PNG inside the page (no image library in Node) and measures it. */
async function pngStats(page: Page, png: Buffer): Promise<ImageStats> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sum2 = 0;
    const seen = new Set<number>();
    const n = c.width * c.height;
    for (let i = 0; i < n; i++) {
      const y = 0.2126 * d[i * 4]! + 0.7152 * d[i * 4 + 1]! + 0.0722 * d[i * 4 + 2]!;
      sum += y;
      sum2 += y * y;
      seen.add(((d[i * 4]! >> 4) << 8) | ((d[i * 4 + 1]! >> 4) << 4) | (d[i * 4 + 2]! >> 4));
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), distinct: seen.size };
  }, png.toString('base64'));
}

/** The 3-D view shows a built scene that is being animated, and its pixels are not blank. */
export async function expectSceneNotBlank(page: Page, name = 'scene'): Promise<ImageStats> {
  const info = await poll(
    'the 3-D scene is built and receives frames',
    60_000,
    () =>
      page.evaluate(() => ({
        bodies: window.__studioScene?.bodyCount() ?? 0,
        frames: window.__studioScene?.framesReceived() ?? 0,
        spec: window.__studioScene?.specId() ?? null,
      })),
    (s) => s.bodies > 0 && s.frames > 5,
    (s) => JSON.stringify(s),
  );
  // Animated: the root body moves between two samples a second apart.
  const p0 = await page.evaluate(() => window.__studioScene!.rootPosition());
  await page.waitForTimeout(1500);
  const p1 = await page.evaluate(() => window.__studioScene!.rootPosition());
  if (!p0 || !p1 || Math.hypot(p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]) === 0) {
    throw new Error(`3-D view is not animating: root body at ${JSON.stringify(p0)} then ${JSON.stringify(p1)} (${JSON.stringify(info)})`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const png = await page.getByTestId('viewer-canvas').screenshot({ path: join(ARTIFACTS, `${name}-canvas.png`) });
  const stats = await pngStats(page, png);
  // A blank canvas is one flat colour (std ≈ 0); ground, grid, markers and bodies give far more.
  if (stats.std < 3 || stats.distinct < 8) throw new Error(`3-D canvas looks blank: ${JSON.stringify(stats)}`);
  const gl = await page.evaluate(() => window.__studioScene!.pixelStats());
  if (gl.std < 3 || gl.distinct < 8) throw new Error(`WebGL drawing buffer looks blank: ${JSON.stringify(gl)}`);
  return stats;
}

export interface GhostFan {
  spread: number;
  ends: [number, number, number][];
}

/** Requests K ghost rollouts (from the episode start or the current state); checks K trails are
 * in the scene graph and that their end points spread at least minSpread metres apart. */
export async function showGhosts(page: Page, k = 16, horizon = 30, minSpread = 0, fromStart?: boolean): Promise<GhostFan> {
  await page.getByTestId('ghost-k').fill(String(k));
  await page.getByTestId('ghost-horizon').fill(String(horizon));
  if (fromStart !== undefined) await page.getByTestId('ghost-from-start').setChecked(fromStart);
  await page.evaluate(() => window.__studioScene!.ghostCount()); // settle
  await page.getByTestId('show-ghosts').click();
  const r = await poll(
    `${k} ghost rollouts drawn`,
    60_000,
    async () => ({
      count: await page.evaluate(() => window.__studioScene!.ghostCount()),
      state: await page.getByTestId('ghost-status').getAttribute('data-state'),
      text: await page.getByTestId('ghost-status').textContent(),
    }),
    (s) => s.count === k || s.state === 'error',
    (s) => JSON.stringify(s),
  );
  if (r.state === 'error') throw new Error(`ghost rollouts failed: ${r.text}`);
  const spread = await page.evaluate(() => window.__studioScene!.ghostSpread());
  const ends = await page.evaluate(() => window.__studioScene!.ghostEnds());
  if (spread < minSpread)
    throw new Error(
      `ghost rollouts do not fan out: end points at most ${spread.toFixed(3)} m apart (want >= ${minSpread}); ends ${JSON.stringify(ends.map((e) => e.map((v) => +v.toFixed(2))))}`,
    );
  return { spread, ends };
}

/** Waits until the selected run reaches one of the given states (e.g. finished). */
export async function waitForRunState(page: Page, states: string[], timeoutMs = 180_000): Promise<string> {
  return poll(
    `selected run reaches ${states.join(' or ')}`,
    timeoutMs,
    async () => (await page.getByTestId('run-state').textContent()) ?? '',
    (s) => states.includes(s),
    (s) => s,
  );
}

/** Selects a run in the history list. */
export async function selectRun(page: Page, runId: string): Promise<void> {
  await page.locator(`[data-testid="run-item"][data-run-id="${runId}"]`).click();
  await poll(
    'run selected',
    10_000,
    () => selectedRun(page),
    (s) => s.id === runId,
    (s) => JSON.stringify(s),
  );
}

/** The address names the selected run; a reload opens that run again, not the newest; the
 * camera stays put for the point mass (it follows only robots that travel). */
export async function expectRunInAddress(page: Page, runId: string): Promise<void> {
  await selectRun(page, runId);
  const hash = await page.evaluate(() => location.hash);
  if (hash !== `#run=${runId}`) throw new Error(`the address names ${JSON.stringify(hash)}, want #run=${runId}`);
  await page.reload();
  await openStudio(page);
  const after = await selectedRun(page);
  if (after.id !== runId) throw new Error(`after a reload the studio shows ${after.id}, not ${runId} from the address`);
  if (await page.getByTestId('follow-camera').isChecked()) throw new Error('the camera follows the point mass by default');
}

export interface UiRecordOptions {
  episodes?: number;
  mode?: 'stochastic' | 'deterministic';
  seed?: number;
  size?: string;
  fps?: number;
  camera?: 'fixed' | 'follow' | 'orbit';
  overlays?: boolean;
  ghosts?: boolean;
}

/** The recorder's result as the record panel reports it (the StudioApi contract's video result). */
export type UiRecordResult = VideoRecordResult;

/** Records a rollout video of the selected run from the run page; waits for the saved file, its
 * entry in the video list and the in-app player's metadata. */
export async function recordVideo(
  page: Page,
  o: UiRecordOptions = {},
  timeoutMs = 120_000,
): Promise<UiRecordResult & { playerDuration: number }> {
  const panel = page.getByTestId('record-panel');
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  if (o.episodes !== undefined) await page.getByTestId('record-episodes').fill(String(o.episodes));
  if (o.mode) await page.getByTestId('record-mode').selectOption(o.mode);
  if (o.seed !== undefined) await page.getByTestId('record-seed').fill(String(o.seed));
  if (o.size) await page.getByTestId('record-size').selectOption(o.size);
  if (o.fps !== undefined) await page.getByTestId('record-fps').selectOption(String(o.fps));
  if (o.camera) await page.getByTestId('record-camera').selectOption(o.camera);
  if (o.overlays !== undefined) await page.getByTestId('record-overlays').setChecked(o.overlays);
  if (o.ghosts !== undefined) await page.getByTestId('record-ghosts').setChecked(o.ghosts);
  const before = await page.getByTestId('video-item').count();
  await page.getByTestId('record-start').click();
  const st = await poll(
    'the video is recorded and saved',
    timeoutMs,
    async () => ({
      state: await page.getByTestId('record-status').getAttribute('data-state'),
      text: await page.getByTestId('record-status').textContent(),
    }),
    (s) => s.state === 'ok' || s.state === 'error',
    (s) => JSON.stringify(s),
  );
  if (st.state === 'error') throw new Error(`recording failed: ${st.text}`);
  const result = JSON.parse((await panel.getAttribute('data-result')) ?? '{}') as UiRecordResult;
  await poll(
    'the saved video is listed',
    20_000,
    () => page.getByTestId('video-item').count(),
    (n) => n > before,
    (n) => `${n} videos listed`,
  );
  const item = page.locator(`[data-testid="video-item"][data-name="${result.name}"]`);
  const href = await item.getByTestId('video-download').getAttribute('href');
  if (!href?.includes(encodeURIComponent(result.name))) throw new Error(`download link ${href} does not name ${result.name}`);
  // In-app playback: the <video> served from the run folder loads its metadata.
  const playerDuration = await poll(
    'the in-app player loads the video',
    30_000,
    () =>
      item.getByTestId('video-player').evaluate((v: HTMLVideoElement) => (v.error ? -v.error.code : v.readyState >= 1 ? v.duration : 0)),
    (d) => d !== 0,
    (d) => `duration ${d}`,
  );
  if (playerDuration < 0) throw new Error(`the in-app player cannot play ${result.name} (MediaError code ${-playerDuration})`);
  return { ...result, playerDuration };
}

/** Starts the scratch control of the selected fine-tune run; returns its id (selected, overlaid). */
export async function startScratchControl(page: Page): Promise<string> {
  const child = (await selectedRun(page)).id;
  await page.getByTestId('scratch-run').click();
  const sel = await poll(
    'scratch control selected',
    60_000,
    async () => ({ ...(await selectedRun(page)), status: await page.getByTestId('run-status').textContent() }),
    (s) => s.id !== null && s.id !== child,
    (s) => JSON.stringify(s),
  );
  return sel.id!;
}

/** Deletes the selected run through the confirmation dialog. expectRefusal: the studio refuses
 * (a live run) and the page shows why; returns the message shown. */
export async function deleteRun(page: Page, expectRefusal = false): Promise<string> {
  const id = (await selectedRun(page)).id;
  if (!id) throw new Error('deleteRun: no run selected');
  await page.getByTestId('delete-run').click();
  const dialog = page.getByTestId('delete-dialog');
  await dialog.waitFor({ timeout: 5000 });
  await page.getByTestId('delete-confirm').click();
  if (expectRefusal) {
    const st = await poll(
      'the studio refuses to delete a live run',
      30_000,
      async () => ({
        state: await page.getByTestId('run-status').getAttribute('data-state'),
        text: (await page.getByTestId('run-status').textContent()) ?? '',
      }),
      (s) => s.state === 'error' || s.state === 'idle',
      (s) => JSON.stringify(s),
    );
    if (st.state !== 'error') throw new Error('deleting a live run was not refused');
    if (!(await page.locator(`[data-testid="run-item"][data-run-id="${id}"]`).count()))
      throw new Error('the live run vanished from the list');
    return st.text;
  }
  await poll(
    'the run leaves the list',
    30_000,
    () => page.locator(`[data-testid="run-item"][data-run-id="${id}"]`).count(),
    (n) => n === 0,
    (n) => `${n} items for ${id}; status: ${n}`,
  );
  return '';
}

/** Samples the action cloud over the Q landscape; returns the number of dots drawn. */
export async function sampleActionCloud(page: Page): Promise<number> {
  await page.getByTestId('cloud-refresh').click();
  const r = await poll(
    'action cloud drawn',
    60_000,
    async () => ({
      n: Number(await page.getByTestId('action-cloud').getAttribute('data-samples')),
      state: await page.getByTestId('cloud-status').getAttribute('data-state'),
      text: await page.getByTestId('cloud-status').textContent(),
    }),
    (s) => s.n > 0 || s.state === 'error',
    (s) => JSON.stringify(s),
  );
  if (r.state === 'error') throw new Error(`action cloud failed: ${r.text}`);
  return r.n;
}

/**
 * Evaluates the selected run from the run page's Evaluate panel (on its own task, or zero-shot on
 * a fine-tune target) and returns the result rows by label.
 */
export async function evaluateSelected(
  page: Page,
  opts: { episodes: number; on?: string; step?: number; variant?: { name: string; fields: Record<string, string> } },
): Promise<Record<string, string>> {
  const panel = page.getByTestId('eval-panel');
  if (!(await panel.evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('[data-testid="eval-panel"] > summary').click();
  await page.getByTestId('eval-episodes').fill(String(opts.episodes));
  await page.getByTestId('eval-on').selectOption(opts.on ?? '');
  await page.getByTestId('eval-checkpoint').selectOption(opts.step === undefined ? '' : String(opts.step));
  // A custom variant of the target's task: the editor open with these fields; none: closed.
  const editor = page.getByTestId('eval-variant-editor');
  if ((await editor.evaluate((d) => (d as HTMLDetailsElement).open)) !== !!opts.variant) await editor.locator('summary').click();
  if (opts.variant) {
    await page.getByTestId('eval-variant-editor-name').fill(opts.variant.name);
    for (const [k, v] of Object.entries(opts.variant.fields)) await page.getByTestId(`eval-variant-editor-${k}`).fill(v);
  }
  const before = await page.getByTestId('eval-result').innerHTML();
  await page.getByTestId('eval-start').click();
  const r = await poll(
    'evaluation shown',
    120_000,
    async () => ({
      html: await page.getByTestId('eval-result').innerHTML(),
      state: await page.getByTestId('eval-status').getAttribute('data-state'),
      text: await page.getByTestId('eval-status').textContent(),
    }),
    (s) => (s.html !== before && s.html !== '') || s.state === 'error',
    (s) => JSON.stringify(s),
  );
  if (r.state === 'error') throw new Error(`evaluation failed: ${r.text}`);
  const dts = await page.getByTestId('eval-result').locator('dt').allTextContents();
  const dds = await page.getByTestId('eval-result').locator('dd').allTextContents();
  return Object.fromEntries(dts.map((k, i) => [k, dds[i] ?? '']));
}

/** The checkpoint steps the viewer's Policy choice offers, newest first ('' is the newest policy, live). */
export async function viewerCheckpoints(page: Page): Promise<number[]> {
  const values = await page
    .getByTestId('viewer-checkpoint')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  return values.filter((v) => v !== '').map(Number);
}

/** Shows the policy of one checkpoint in the viewer (or the newest: null) and waits for the HUD to say so. */
export async function viewPolicyAt(page: Page, step: number | null): Promise<string> {
  await page.getByTestId('viewer-checkpoint').selectOption(step === null ? '' : String(step));
  const want = step === null ? null : `checkpoint ${step.toLocaleString('en-US')}: policy after`;
  return poll(
    `viewer shows ${step === null ? 'the newest policy' : `checkpoint ${step}`}`,
    30_000,
    async () => ({
      hud: (await page.getByTestId('viewer-hud').textContent()) ?? '',
      state: await page.getByTestId('viewer-status').getAttribute('data-state'),
      text: await page.getByTestId('viewer-status').textContent(),
    }),
    (s) => s.state === 'error' || (want === null ? !s.hud.includes('checkpoint ') && s.hud.includes('policy after') : s.hud.includes(want)),
    (s) => JSON.stringify(s),
  ).then((s) => {
    if (s.state === 'error') throw new Error(`viewer.load failed: ${s.text}`);
    return s.hud;
  });
}

/** Switches the viewer's policy mode (and temperature) and waits for the studio to confirm. */
export async function setPolicyMode(page: Page, mode: 'stochastic' | 'deterministic'): Promise<void> {
  await page.getByTestId(`mode-${mode}`).check();
  await poll(
    `policy mode ${mode}`,
    30_000,
    async () => ({
      state: await page.getByTestId('mode-status').getAttribute('data-state'),
      text: await page.getByTestId('mode-status').textContent(),
    }),
    (s) => (s.state === 'ok' && s.text === mode) || s.state === 'error',
    (s) => JSON.stringify(s),
  ).then((s) => {
    if (s.state === 'error') throw new Error(`setMode failed: ${s.text}`);
  });
}

/** Fine-tunes the selected run on a variant; returns the new run id (selected, parent overlaid). */
export async function fineTune(page: Page, variantId = 'one-goal'): Promise<string> {
  const parent = (await selectedRun(page)).id;
  if (!parent) throw new Error('fineTune: no run selected');
  await page.getByTestId('finetune-variant').selectOption(variantId);
  await page.getByTestId('finetune-run').click();
  const sel = await poll(
    'fine-tune run selected',
    60_000,
    async () => ({ ...(await selectedRun(page)), status: await page.getByTestId('run-status').textContent() }),
    (s) => s.id !== null && s.id !== parent,
    (s) => JSON.stringify(s),
  );
  return sel.id!;
}

/**
 * Fine-tunes the selected run once per seed (e.g. "2,3"), each with its scratch control when
 * `withScratch`; returns the ids of the runs started (the first fine-tune selected, the rest overlaid).
 */
export async function fineTuneSeeds(page: Page, variantId: string, seeds: string, withScratch: boolean): Promise<string[]> {
  const parent = (await selectedRun(page)).id;
  if (!parent) throw new Error('fineTuneSeeds: no run selected');
  const before = new Set(await page.getByTestId('run-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id'))));
  await page.getByTestId('finetune-variant').selectOption(variantId);
  await page.getByTestId('finetune-seeds').fill(seeds);
  await page.getByTestId('finetune-with-scratch').setChecked(withScratch);
  await page.getByTestId('finetune-run').click();
  const want = seeds.split(',').length * (withScratch ? 2 : 1);
  const ids = await poll(
    `${want} runs started`,
    60_000,
    async () =>
      (await page.getByTestId('run-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')))).filter(
        (id): id is string => !!id && !before.has(id),
      ),
    (got) => got.length >= want,
    (got) => `${got.length} new runs; status: ${JSON.stringify(got)}`,
  );
  const sel = (await selectedRun(page)).id;
  if (!sel || !ids.includes(sel)) throw new Error(`the first new fine-tune is not selected (selected ${sel})`);
  return ids;
}

/** With "Group seeds" on, the return chart draws `series` lines of which `bands` are seed groups in a band, and the table summarises each group. */
export async function expectSeedGroups(page: Page, series: number, bands: number, timeoutMs = 120_000): Promise<string[]> {
  if (!(await page.getByTestId('group-seeds').isChecked())) throw new Error('starting several seeds did not turn on "Group seeds"');
  const chart = page.getByTestId('chart-episodeReturn');
  await poll(
    `return chart draws ${series} series, ${bands} seed bands`,
    timeoutMs,
    async () => ({ series: Number(await chart.getAttribute('data-series')), bands: Number(await chart.getAttribute('data-bands')) }),
    (s) => s.series === series && s.bands === bands,
    (s) => JSON.stringify(s),
  );
  const rows = await page.locator('[data-testid="threshold-table"] tbody tr[data-group]').allTextContents();
  if (rows.length !== bands) throw new Error(`the threshold table has ${rows.length} group rows, want ${bands}: ${JSON.stringify(rows)}`);
  for (const r of rows)
    if (!/seeds \d+(, \d+)+/.test(r) || !/\d+\/\d+ reached|–/.test(r)) throw new Error(`a group row lacks its seeds or reach: ${r}`);
  return rows;
}

/** Clicks a download button; returns the suggested file name and the text the page saved. */
export async function downloadText(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId(testId).click()]);
  const file = await d.path();
  if (!file) throw new Error(`${testId}: the download failed (${await d.failure()})`);
  return { name: d.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

/** The return chart overlays at least n runs with points each (e.g. fine-tune and its parent). */
export async function expectOverlay(page: Page, n = 2, timeoutMs = 120_000): Promise<void> {
  await poll(
    `return chart overlays ${n} runs`,
    timeoutMs,
    async () => Number(await page.getByTestId('chart-episodeReturn').getAttribute('data-series')),
    (s) => s >= n,
    (s) => `${s} series with points`,
  );
  const rows = await page.locator('[data-testid="threshold-table"] tbody tr').count();
  if (rows < n) throw new Error(`steps-to-threshold table has ${rows} rows, want ${n}`);
}

/** Stops the selected run and waits for the stopped (or finished) state. */
export async function stopRun(page: Page): Promise<string> {
  const state = page.getByTestId('run-state');
  const now = await state.textContent();
  if (now === 'running' || now === 'created' || now === 'paused' || now === 'queued') await page.getByTestId('stop-run').click();
  return poll(
    'run stopped',
    60_000,
    async () => `${(await state.textContent()) ?? ''}|${(await page.getByTestId('run-status').textContent()) ?? ''}`,
    (s) => s.startsWith('stopped|') || s.startsWith('finished|'),
    (s) => s,
  ).then((s) => s.split('|')[0]!);
}

/** Sets "Runs at once" in the run list (saved by the studio); waits for the studio's answer. */
export async function setRunsAtOnce(page: Page, n: number): Promise<void> {
  const input = page.getByTestId('max-runs');
  await input.fill(String(n));
  await input.press('Enter'); // commits the number (a change event)
  await poll(
    `runs at once set to ${n}`,
    15_000,
    async () =>
      `${(await page.getByTestId('runs-status').getAttribute('data-state')) ?? ''}|${await page.getByTestId('queue-summary').textContent()}`,
    (s) => s.startsWith('idle|') && / \(\d+ cores\)$/.test(s),
    (s) => s,
  );
  const shown = await input.inputValue();
  if (shown !== String(n)) throw new Error(`runs at once shows ${shown}, want ${n}`);
}

/** Starts a scenario card's pretrain once per seed ("4-6"); returns the new runs' ids, seed order. */
export async function startSeeds(page: Page, scenarioId: string, steps: number, seeds: string): Promise<string[]> {
  const ids = () => page.getByTestId('run-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id') ?? ''));
  const before = new Set(await ids());
  await page.getByTestId(`steps-${scenarioId}`).fill(String(steps));
  await page.getByTestId(`seeds-${scenarioId}`).fill(seeds);
  await page.getByTestId(`start-run-${scenarioId}`).click();
  const want = parseSeeds(seeds).length;
  const got = await poll(
    `${want} runs started`,
    60_000,
    async () => (await ids()).filter((id) => !before.has(id)),
    (g) => g.length >= want,
    (g) => `${g.length} new runs`,
  );
  // The list is newest first; the seeds started in order.
  return got.reverse();
}

/** The run list's badge of a run ("running", "queued #2", …). */
export async function runBadge(page: Page, runId: string): Promise<string> {
  return (await page.locator(`[data-testid="run-item"][data-run-id="${runId}"] .badge`).textContent()) ?? '';
}

/** Pauses the 3-D view (frames queue, the view holds still), steps one frame, and plays again. */
export async function pauseAndStep(page: Page): Promise<void> {
  const queued = async () => Number(/\((\d+)\)/.exec((await page.getByTestId('viewer-step').textContent()) ?? '')?.[1] ?? 0);
  // Paused and stepped from the keyboard (Space, →), with no control focused; resumed by its button.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  if ((await page.getByTestId('viewer-pause').getAttribute('aria-pressed')) !== 'true') throw new Error('Space did not pause the view');
  // A frame that arrived just before the pause is applied on the next rendered frame: let it land.
  await page.waitForTimeout(500);
  const a = await page.evaluate(() => window.__studioScene!.rootPosition());
  const q0 = await queued();
  const n = await poll(
    'frames queue while the view is paused',
    30_000,
    queued,
    (q) => q >= q0 + 3,
    (q) => `${q} queued`,
  );
  const b = await page.evaluate(() => window.__studioScene!.rootPosition());
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the paused view still moves: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  await page.keyboard.press('ArrowRight');
  const after = await queued();
  if (after < n - 1 || after > n + 200) throw new Error(`Step did not consume a queued frame (${n} → ${after})`);
  await page.getByTestId('viewer-pause').click();
  if ((await page.getByTestId('viewer-pause').getAttribute('aria-pressed')) !== 'false') throw new Error('the view did not resume');
}

/** Deletes a saved video through its Delete button and the confirmation: the list and the folder lose it. */
export async function deleteVideo(page: Page, name: string, file: string): Promise<void> {
  const item = page.locator(`[data-testid="video-item"][data-name="${name}"]`);
  await item.getByTestId('video-delete').click();
  // Cancel first: nothing goes.
  await page.getByTestId('video-delete-cancel').click();
  if (!existsSync(file)) throw new Error(`Cancel deleted ${file}`);
  await item.getByTestId('video-delete').click();
  await page.getByTestId('video-delete-confirm').click();
  await poll(
    'the deleted video leaves the list',
    20_000,
    () => item.count(),
    (n) => n === 0,
    (n) => `${n} items named ${name}`,
  );
  if (existsSync(file)) throw new Error(`the deleted video is still at ${file}`);
}

/** Starts a long recording and cancels it mid-render: no file is added and the page says so. */
export async function cancelRecording(page: Page): Promise<void> {
  const panel = page.getByTestId('record-panel');
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  const before = await page.getByTestId('video-item').count();
  await page.getByTestId('record-episodes').fill('20');
  await page.getByTestId('record-size').selectOption('1280x720');
  await page.getByTestId('record-start').click();
  await poll(
    'the recording renders frames',
    60_000,
    async () => (await page.getByTestId('record-status').textContent()) ?? '',
    (t) => t.startsWith('Rendering frame') || t.includes('failed'),
    (t) => t,
  );
  await page.getByTestId('record-cancel').click();
  const st = await poll(
    'the recording is cancelled',
    30_000,
    async () => ({
      state: await page.getByTestId('record-status').getAttribute('data-state'),
      text: (await page.getByTestId('record-status').textContent()) ?? '',
    }),
    (s) => s.state !== 'loading',
    (s) => JSON.stringify(s),
  );
  if (st.text !== 'Recording cancelled') throw new Error(`cancel: ${JSON.stringify(st)}`);
  await page.waitForTimeout(500);
  const after = await page.getByTestId('video-item').count();
  if (after !== before) throw new Error(`a cancelled recording left a video (${before} → ${after})`);
  if (await page.getByTestId('record-start').isDisabled()) throw new Error('Record stays disabled after Cancel');
}

/**
 * Ticks "Notify when a run ends" with the page's Notification replaced by a recorder (granted, as
 * in Electron) and the window out of focus, so a run's end shows as a notification it can read.
 */
export async function watchRunEnds(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __notes: { title: string; body: string }[]; Notification: unknown };
    w.__notes = [];
    w.Notification = class {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, opts?: { body?: string }) {
        w.__notes.push({ title, body: opts?.body ?? '' });
      }
      close(): void {}
    };
    document.hasFocus = () => false;
  });
  const box = page.getByTestId('notify-run-end');
  if (!(await box.isChecked())) await box.check();
}

/** The notifications shown since watchRunEnds, waiting until one's title starts with `prefix`. */
export async function expectRunEndNote(page: Page, prefix: string, timeoutMs = 30_000): Promise<{ title: string; body: string }> {
  const notes = await poll(
    `a notification "${prefix}…"`,
    timeoutMs,
    () => page.evaluate(() => (window as unknown as { __notes?: { title: string; body: string }[] }).__notes ?? []),
    (n) => n.some((x) => x.title.startsWith(prefix)),
    (n) => JSON.stringify(n),
  );
  return notes.find((x) => x.title.startsWith(prefix))!;
}

/** While one run trains, the window title leads with its progress ("(42%) MaxEnt Studio"). */
export async function expectProgressTitle(page: Page): Promise<string> {
  return poll(
    'the window title shows the training run’s progress',
    30_000,
    () => page.title(),
    (t) => /^\(\d{1,3}%\) MaxEnt Studio$/.test(t),
    (t) => JSON.stringify(t),
  );
}

/**
 * Switches the charts' x axis to training time and back: the same lines and bands, drawn over
 * minutes (a short run's last point within the first hour) rather than env steps.
 */
export async function expectTimeAxis(page: Page, series: number, bands: number): Promise<void> {
  const chart = page.getByTestId('chart-episodeReturn');
  const read = async () => ({
    series: Number(await chart.getAttribute('data-series')),
    bands: Number(await chart.getAttribute('data-bands')),
    xmax: Number(await chart.getAttribute('data-xmax')),
    x: await chart.getAttribute('data-x'),
  });
  const steps = await read();
  await page.getByTestId('chart-x').selectOption('time');
  const time = await poll(
    'the return chart drawn against training time',
    10_000,
    read,
    (s) => s.x === 'time' && s.series === series && s.bands === bands && s.xmax > 0 && s.xmax < 60,
    (s) => `${JSON.stringify(s)} (against steps: ${JSON.stringify(steps)})`,
  );
  if (steps.xmax < 1000) throw new Error(`against steps the last x was ${steps.xmax}, want the runs' step counts`);
  await page.getByTestId('chart-x').selectOption('steps');
  await poll(
    'the return chart back on env steps',
    10_000,
    read,
    (s) => s.x === 'steps' && s.xmax === steps.xmax,
    (s) => JSON.stringify({ s, time }),
  );
}

/** A card whose task has a run with its settings says how long a new run will take, timed by that run. */
export async function expectEstimate(page: Page, cardId: string): Promise<string> {
  return poll(
    `the ${cardId} card's time estimate`,
    15_000,
    async () => (await page.getByTestId(`estimate-${cardId}`).textContent()) ?? '',
    (t) => /^About \d+ (s|min|h \d\d min) on this machine, at the [\d.,]+ steps\/s of .+/.test(t),
    (t) => JSON.stringify(t),
  );
}
