// Vitest global setup for the e2e project: builds the renderer once (vite build → dist/renderer),
// which `maxent serve` then serves. Set MAXENT_E2E_SKIP_BUILD=1 to reuse an existing build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.env.MAXENT_E2E_SKIP_BUILD === '1' && existsSync(`${root}dist/renderer/index.html`)) return;
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`e2e setup: vite build failed (exit ${r.status ?? r.signal})`);
}
