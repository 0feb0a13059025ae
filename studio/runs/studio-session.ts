// What a studio host (the app, `maxent serve`) was training when it closed, kept in
// <home>/session.json so the next start continues those runs: the ones training first, then the
// queue in its order. The file is read once and removed before anything starts, so a run that
// takes the studio down on start is not started again on every launch.
import fs from 'node:fs';
import path from 'node:path';
import { t } from '../schema.ts';
import { writeFileAtomic } from './atomic.ts';
import { RUN_ID } from './pattern.ts';

export const studioSessionSchema = t.object({
  format: t.literal('maxent-studio-session'),
  version: t.number({ int: true, min: 1, max: 1 }),
  /** Run ids, in the order they start again. */
  continue: t.array(t.string({ min: 1, max: 200, pattern: RUN_ID }), { max: 10_000 }),
});

export function studioSessionFile(home: string): string {
  return path.join(home, 'session.json');
}

/**
 * Adds these runs to the ones to continue. Another studio on the same home (the app beside a
 * `maxent serve`) may have closed first: its runs are kept, ahead of these, not written over.
 */
export function writeStudioSession(home: string, runIds: readonly string[]): void {
  if (!runIds.length) return;
  const file = studioSessionFile(home);
  let earlier: string[] = [];
  try {
    earlier = studioSessionSchema.check(JSON.parse(fs.readFileSync(file, 'utf8')), 'session.json').continue;
  } catch {
    // none, or damaged: nothing of it can be continued anyway
  }
  const ids = [...new Set([...earlier, ...runIds])];
  fs.mkdirSync(home, { recursive: true });
  writeFileAtomic(file, JSON.stringify({ format: 'maxent-studio-session', version: 1, continue: ids }, null, 2) + '\n');
}

/** The saved run ids (the file is removed), or [] with `problem` saying why the file could not be used. */
export function takeStudioSession(home: string): { runIds: string[]; problem?: string } {
  const file = studioSessionFile(home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { runIds: [] };
    return { runIds: [], problem: `${file} is unreadable (${(e as Error).message}); no runs continued` };
  }
  fs.rmSync(file, { force: true });
  try {
    return { runIds: studioSessionSchema.check(JSON.parse(text), 'session.json').continue };
  } catch (e) {
    return { runIds: [], problem: `${file} is not valid (${(e as Error).message}); no runs continued` };
  }
}
