// Versions reported by `maxent info` and the UI's system panel.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function pkgVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function versions(): Record<string, string> {
  return {
    'maxent-studio': (require('../package.json') as { version: string }).version,
    node: process.versions.node,
    v8: process.versions.v8,
    electron: process.versions.electron ?? 'not running in Electron',
    rapier: pkgVersion('@dimforge/rapier3d-compat'),
    three: pkgVersion('three'),
  };
}
