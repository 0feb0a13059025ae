// For tests of the service: wait until a run's state satisfies a condition (polled; its events
// may have fired before the caller listened).
import type { RunInfo } from './api.ts';
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
