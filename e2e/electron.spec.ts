// Electron e2e: the same journey as the browser spec (journey-suite.ts), in the desktop app
// through Playwright's _electron. Electron's binary cannot be downloaded on the dev and CI
// machines (WORKPLACE.md), so there the suite is skipped and the reason printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { electronBinary } from '../electron/binary.ts';
import { registerJourney } from './journey-suite.ts';
import { watchConsole, type ConsoleWatch } from './journey.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BINARY = electronBinary();
if (!BINARY) {
  console.log(
    'e2e/electron.spec.ts: skipped — no Electron binary (node_modules/electron/dist); its download is blocked on this machine. The same journey runs in Chromium (studio.spec.ts).',
  );
}

describe.skipIf(!BINARY)('studio in Electron (same journey as the browser)', () => {
  let app: ElectronApplication | null = null;
  let page: Page;
  let watch: ConsoleWatch;
  let home = '';

  beforeAll(async () => {
    // The renderer is built by the e2e global setup; main, preload and worker are bundled here.
    const b = spawnSync(process.execPath, [join(ROOT, 'electron/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`electron/build.mjs failed:\n${b.stderr}`);
    home = mkdtempSync(join(tmpdir(), 'maxent-electron-e2e-'));
    app = await electron.launch({
      executablePath: BINARY!,
      args: [join(ROOT, 'dist-electron/main.cjs')],
      cwd: ROOT,
      env: { ...process.env, MAXENT_HOME: home },
    });
    page = await app.firstWindow();
    await page.setViewportSize({ width: 1440, height: 900 });
    watch = watchConsole(page);
  });

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  registerJourney({
    page: () => page,
    watch: () => watch,
    url: () => undefined,
    pretrainSteps: Number(process.env.MAXENT_E2E_PRETRAIN_STEPS ?? 12000),
  });
});
