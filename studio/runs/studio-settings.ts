// The studio's own settings, kept beside the runs in <home>/studio.json (today: how many runs
// train at once). A missing file means defaults; a corrupt one is reported and ignored, never
// fatal, and is replaced only when the user changes a setting.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_RUNS_LIMIT } from '../api.ts';
import { t } from '../schema.ts';
import { writeFileAtomic } from './atomic.ts';

export const studioSettingsSchema = t.object({
  format: t.literal('maxent-studio-settings'),
  version: t.number({ int: true, min: 1, max: 1 }),
  maxRuns: t.optional(t.number({ int: true, min: 1, max: MAX_RUNS_LIMIT })),
});

export interface StudioSettings {
  maxRuns?: number;
}

export function studioSettingsFile(home: string): string {
  return path.join(home, 'studio.json');
}

/** The saved settings, or {} with `problem` saying why the file could not be used. */
export function readStudioSettings(home: string): { settings: StudioSettings; problem?: string } {
  const file = studioSettingsFile(home);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {} };
    return { settings: {}, problem: `${file} is unreadable (${(e as Error).message}); using the default settings` };
  }
  try {
    const s = studioSettingsSchema.check(raw, 'studio.json');
    return { settings: s.maxRuns === undefined ? {} : { maxRuns: s.maxRuns } };
  } catch (e) {
    return { settings: {}, problem: `${file} is not valid (${(e as Error).message}); using the default settings` };
  }
}

export function writeStudioSettings(home: string, settings: StudioSettings): void {
  fs.mkdirSync(home, { recursive: true });
  const doc = { format: 'maxent-studio-settings', version: 1, ...settings };
  writeFileAtomic(studioSettingsFile(home), JSON.stringify(doc, null, 2) + '\n');
}
