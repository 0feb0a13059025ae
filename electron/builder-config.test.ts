// electron-builder's own configuration check, run offline (no Electron download needed).
import path from 'node:path';
import { expect, it } from 'vitest';
import { createRequire } from 'node:module';

// electron-builder's internals are CommonJS without an exports map: load them as such.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as typeof import('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util') as typeof import('builder-util');

const root = path.resolve(import.meta.dirname, '..');

it('electron-builder.yml passes electron-builder’s schema validation', async () => {
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
  await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  expect(config.appId).toBe('dev.maxent.studio');
  expect(config.asar).toBe(true);
  // The packaged app's entry and the NN kernels must be shipped.
  // getConfig normalises `files` into [{ filter: [...] }].
  const files = (config.files as { filter: string[] }[]).flatMap((f) => f.filter);
  expect(files).toEqual(expect.arrayContaining(['dist-electron/**', 'dist/renderer/**']));
  expect(config.asarUnpack).toContain('dist-electron/kernels.wasm');
  expect(config.asarUnpack).toContain('dist-electron/kernels-relaxed.wasm');
  const targets = (t: unknown) => JSON.stringify(t);
  expect(targets(config.linux?.target)).toMatch(/AppImage.*deb/);
  expect(targets(config.mac?.target)).toMatch(/dmg/);
  expect(targets(config.win?.target)).toMatch(/nsis/);
});

it('a broken config is rejected by the same check', async () => {
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
  await expect(validateConfiguration({ ...config, appIdd: 'typo' } as never, new DebugLogger(false))).rejects.toThrow(
    /unknown property 'appIdd'/,
  );
});

it('each platform packages only its own Dawn (webgpu) binary', async () => {
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
  const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
    getNodeModuleFileMatcher: (...a: unknown[]) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
  };
  const file = { isDirectory: () => false };
  const kept = (platform: 'linux' | 'mac' | 'win', arch: string): string[] => {
    const expand = (p: string) => p.replace(/\$\{arch\}/g, arch);
    const matcher = getNodeModuleFileMatcher(root, '/out/app', expand, config[platform] ?? {}, {
      config,
      debugLogger: new DebugLogger(false),
    });
    const filter = matcher.createFilter();
    const dirs = ['darwin-universal', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'];
    return dirs.filter((d) => filter(path.join(root, 'node_modules/webgpu/dist', d, 'dawn.node'), file));
  };
  expect(kept('linux', 'x64')).toEqual(['linux-x64']);
  expect(kept('linux', 'arm64')).toEqual(['linux-arm64']);
  expect(kept('win', 'x64')).toEqual(['win32-x64']);
  expect(kept('win', 'arm64')).toEqual(['win32-arm64']);
  expect(kept('mac', 'arm64')).toEqual(['darwin-universal']);
  // The rest of the package (its JS entry) stays.
  const matcher = getNodeModuleFileMatcher(root, '/out/app', (p: string) => p, config.linux ?? {}, {
    config,
    debugLogger: new DebugLogger(false),
  });
  expect(matcher.createFilter()(path.join(root, 'node_modules/webgpu/index.js'), file)).toBe(true);
  expect(config.asarUnpack).toContain('node_modules/webgpu/dist/**');
});
