// For tests of the service: wait until a run's state satisfies a condition (polled; its events
// may have fired before the caller listened), temporary run stores, and tiny runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { RunInfo, RunOverrides } from './api.ts';
import type { StudioService } from './service.ts';

/** Resolves with the run's state once `ok` holds for it; rejects after `ms` naming where it stood. */
export async function untilRun(s: StudioService, id: string, ok: (r: RunInfo) => boolean, ms = 120_000): Promise<RunInfo> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await s.getRun(id);
    if (ok(r)) return r;
    if (Date.now() > end) throw new Error(`run ${id} never got there: ${r.status} at ${r.step}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** A network and schedule small enough that a service test's runs finish in a second or two. */
export const tinyRun: RunOverrides = { hidden: [8], batchSize: 16, learningStarts: 50, logEvery: 100, checkpointEvery: 200 };

/** `home()` makes a fresh temporary run store; all of them are removed after the file's tests. */
export function tempHomes(prefix: string): () => string {
  const homes: string[] = [];
  afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));
  return () => {
    const h = fs.mkdtempSync(path.join(os.tmpdir(), `maxent-${prefix}-`));
    homes.push(h);
    return h;
  };
}
