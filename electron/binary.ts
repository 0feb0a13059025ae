// Where Electron's binary is, found without requiring electron's index.js (which starts a
// download when the binary is missing). Shared by `npm start` and the Electron e2e spec.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function electronPackageDir(): string {
  return path.dirname(require.resolve('electron/package.json'));
}

export function electronBinary(): string | null {
  try {
    const dir = electronPackageDir();
    const rel = process.env.ELECTRON_OVERRIDE_DIST_PATH ? null : fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const p = process.env.ELECTRON_OVERRIDE_DIST_PATH
      ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron')
      : path.join(dir, 'dist', rel!);
    return fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}
