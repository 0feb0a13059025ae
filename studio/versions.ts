// Versions reported by `maxent info` and the UI's system panel.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
// A JSON import, not require(): bundles (Electron, the device kit) inline it.
import pkg from '../package.json' with { type: 'json' };

const require = createRequire(import.meta.url);

/** Some packages do not export ./package.json: find it by walking up from their entry. */
function pkgVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const f = path.join(dir, 'package.json');
      if (fs.existsSync(f)) {
        const pkg = JSON.parse(fs.readFileSync(f, 'utf8')) as { name?: string; version: string };
        if (pkg.name === name) return pkg.version;
      }
    }
  } catch {
    // not resolvable: reported below
  }
  return 'not installed';
}

/** Set by bundlers (the device kit) that inline packages: no node_modules to read versions from. */
declare const MAXENT_BUNDLED_VERSIONS: Record<string, string> | undefined;
const bundled: Record<string, string> = typeof MAXENT_BUNDLED_VERSIONS === 'undefined' ? {} : MAXENT_BUNDLED_VERSIONS;

export function versions(): Record<string, string> {
  return {
    'maxent-studio': pkg.version,
    node: process.versions.node,
    v8: process.versions.v8,
    electron: process.versions.electron ?? 'not running in Electron',
    rapier: bundled['rapier'] ?? pkgVersion('@dimforge/rapier3d-simd-compat'),
    three: bundled['three'] ?? pkgVersion('three'),
  };
}
