// A paused run's clock stands still: its metric rows' time and speed count training only, so a
// pause reads neither as a slow interval on the speed charts nor as a later time left.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { StudioService } from './service.ts';
import { untilRun as until } from './run-wait.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-pause-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('leaves a pause out of the run’s clock and of its interval speeds', async () => {
  const s = new StudioService({ home });
  try {
    const run = await s.startRun('point/multigoal', {
      hidden: [8],
      batchSize: 16,
      learningStarts: 50,
      logEvery: 200,
      steps: 2000,
      seed: 1,
    });
    await until(s, run.id, (r) => r.status === 'running' && r.step >= 300);
    await s.pause(run.id);
    await until(s, run.id, (r) => r.status === 'paused');
    const pauseMs = 3000;
    await new Promise((res) => setTimeout(res, pauseMs));
    await s.resume(run.id);
    await until(s, run.id, (r) => r.status === 'finished');
    const rows = s.store.readMetrics(run.id);
    // No interval's clock or speed holds the pause's 3 s: the whole run trains in well under that
    // (under a second here; each 200-step interval a fraction of one on a slow machine).
    let prev = { step: 0, time: 0 };
    for (const r of rows) {
      expect(r.time - prev.time).toBeLessThan(pauseMs / 1000 - 0.5);
      expect((r.step - prev.step) / r.envStepsPerSec!).toBeLessThan(pauseMs / 1000 - 0.5);
      prev = r;
    }
  } finally {
    await s.shutdown();
  }
}, 180_000);
