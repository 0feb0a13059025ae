// The "which policy" choice shared by the viewer, Evaluate and Record: the run's newest policy,
// or one of its checkpoints (the newest full ones and the policies kept at each tenth of the run).
import { fmtInt, h, setChildren } from './dom.ts';

/** Fills a select with "latest" ('') and the run's checkpoint steps, newest first; keeps the choice while it exists. */
export function fillCheckpoints(select: HTMLSelectElement, steps: readonly number[], latestLabel = 'latest'): void {
  const keep = select.value;
  setChildren(
    select,
    h('option', { value: '' }, latestLabel),
    ...[...steps].reverse().map((s) => h('option', { value: s }, `step ${fmtInt(s)}`)),
  );
  select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
  select.disabled = steps.length === 0;
}

/** The chosen checkpoint step, or undefined for the latest. */
export function chosenCheckpoint(select: HTMLSelectElement): number | undefined {
  return select.value === '' ? undefined : Number(select.value);
}
