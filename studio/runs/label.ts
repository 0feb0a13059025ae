// A user's name and notes for a run, in <run>/label.json. They live apart from run.json because a
// training worker (or another process) rewrites run.json as it trains: a rename written there
// could be lost to a concurrent update, while only the studio writes this file.
import fs from 'node:fs';
import path from 'node:path';
import { t } from '../schema.ts';
import { writeFileAtomic } from './atomic.ts';

export const LABEL_FILE = 'label.json';

export const labelSchema = t.object({
  name: t.optional(t.string({ min: 1, max: 200 })),
  notes: t.optional(t.string({ max: 10_000 })),
});

export interface RunLabel {
  name?: string;
  notes?: string;
}

/** The run's label; {} when it has none, or when the file is unreadable (run.json's name stands). */
export function readLabel(runDir: string): RunLabel {
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(runDir, LABEL_FILE), 'utf8');
  } catch {
    return {};
  }
  try {
    return labelSchema.check(JSON.parse(raw), LABEL_FILE);
  } catch {
    return {};
  }
}

export function writeLabel(runDir: string, label: RunLabel): void {
  writeFileAtomic(path.join(runDir, LABEL_FILE), JSON.stringify(labelSchema.check(label, 'label'), null, 2) + '\n');
}
