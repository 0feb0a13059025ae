// `npm start`: builds the UI and the Electron bundles, then launches Electron. Where Electron's
// binary is missing it tries Electron's own installer once, else prints how to get it. Never hangs.
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { electronBinary, electronPackageDir } from './binary.ts';
const run = (cmd: string, args: string[]): boolean =>
  spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

let bin = electronBinary();
if (!bin) {
  const installer = path.join(electronPackageDir(), 'install.js');
  console.error('npm start: Electron binary missing; trying Electron’s installer…');
  const r = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: 120_000 });
  bin = electronBinary();
  if (!bin) {
    // The installer's own stack trace is noise here: keep its first error line as the reason.
    const reason =
      `${r.stderr ?? ''}${r.stdout ?? ''}`
        .split('\n')
        .find((l) => /error|failed|ENOTFOUND|EAI_AGAIN/i.test(l))
        ?.trim() ?? (r.error ? r.error.message : `exit code ${r.status}`);
    console.error(
      `npm start: no Electron binary (download failed: ${reason}). Use \`npm run serve\` for the same UI in a browser, or run \`node node_modules/electron/install.js\` where the network allows.`,
    );
    process.exit(1);
  }
}
if (!run('npx', ['vite', 'build']) || !run(process.execPath, ['electron/build.mjs'])) process.exit(1);
const child = spawn(bin, ['dist-electron/main.cjs'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
