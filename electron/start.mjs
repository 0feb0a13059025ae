// `npm start`: builds the UI and the Electron bundles, then launches Electron. Where Electron's
// binary is missing it tries Electron's own installer once, else prints how to get it. Never hangs.
import { spawnSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

function electronBinary() {
  try {
    const p = require('electron'); // the package exports the binary's path
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

let bin = electronBinary();
if (!bin) {
  const installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  console.error('npm start: Electron binary missing; trying Electron’s installer…');
  spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 120_000 });
  bin = electronBinary();
}
if (!bin) {
  console.error('npm start: no Electron binary (its download is blocked here). Use `npm run serve` for the same UI in a browser, or run `node node_modules/electron/install.js` on a machine with internet access.');
  process.exit(1);
}
if (!run('npx', ['vite', 'build']) || !run(process.execPath, ['electron/build.mjs'])) process.exit(1);
const child = spawn(bin, ['dist-electron/main.cjs'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
