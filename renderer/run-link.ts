// The run on display lives in the address (#run=<id>): a reload, a bookmark or a link opens that
// run again, instead of whichever is newest.
import { RUN_ID } from '../studio/runs/pattern.ts';

/** The run a location hash names, or null (no hash, another hash, or not a run id). */
export function runFromHash(hash: string): string | null {
  const m = /^#run=([^&]*)$/.exec(hash);
  if (!m) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return RUN_ID.test(id) ? id : null;
}

/** The hash for a run (empty for none). */
export function hashForRun(id: string | null): string {
  return id ? `#run=${encodeURIComponent(id)}` : '';
}
