// Starting one run per seed from the UI (a pretrain card, a fine-tune) and showing them together.
import type { RunInfo } from '../studio/api.ts';
import { parseSeeds } from '../studio/seeds.ts';
import { errorMessage, h } from './dom.ts';
import type { CallStatus } from './status.ts';
import type { Store } from './store.ts';

/** A Seeds field ("1", "1,2,3", "1-5"): one run per seed. */
export function seedsInput(testId: string, value: number, title: string): HTMLInputElement {
  return h('input', { type: 'text', value, size: 6, inputmode: 'numeric', 'data-testid': testId, title });
}

/** The seeds a field lists; on a bad entry the status says why, the field gets focus, and null. */
export function readSeeds(input: HTMLInputElement, status: CallStatus): number[] | null {
  try {
    return parseSeeds(input.value);
  } catch (e) {
    status.set('error', errorMessage(e));
    input.focus();
    return null;
  }
}

/**
 * Starts a run per seed, one call after another. When a later start fails, the runs already
 * started go on (they are real runs in the history); the error names the seed and how many started.
 */
export async function startEach(seeds: readonly number[], start: (seed: number) => Promise<RunInfo | RunInfo[]>): Promise<RunInfo[]> {
  const out: RunInfo[] = [];
  for (const seed of seeds) {
    try {
      const got = await start(seed);
      out.push(...(Array.isArray(got) ? got : [got]));
    } catch (e) {
      if (!out.length) throw e;
      throw new Error(
        `seed ${seed}: ${(e as Error).message} (${out.length} run${out.length === 1 ? '' : 's'} already started, still training)`,
      );
    }
  }
  return out;
}

/** Says which of the runs just started wait queued (the studio trains at most Runs at once); '' when none. */
export function queuedNote(runs: readonly RunInfo[]): string {
  const q = runs.filter((r) => r.status === 'queued').length;
  if (!q) return '';
  const one = q === 1;
  const who = q === runs.length ? (one ? 'It waits' : 'They wait') : `${q} of ${runs.length} ${one ? 'waits' : 'wait'}`;
  return `${who} queued and ${one ? 'starts' : 'start'} as runs end (Runs at once, above the run list).`;
}

/** The first run is selected; the others (and `alsoShow`) are overlaid, and several seeds are charted as groups. */
export function showStarted(store: Store, runs: readonly RunInfo[], alsoShow: readonly string[] = []): void {
  for (const r of runs) store.upsertRun(r);
  const [first, ...rest] = runs;
  if (!first) return;
  for (const id of [...alsoShow, ...rest.map((r) => r.id)]) store.toggleCompare(id, true);
  if (new Set(runs.map((r) => r.seed)).size > 1) store.setGroupSeeds(true);
  store.select(first.id);
}
