// The run list's filter (no DOM, unit-tested): every word of the query must appear in what the
// list says of a run (name, task, variant, status, algorithm, seed, fine-tune or not, id) or its notes.

export interface FilterableRun {
  id: string;
  name: string;
  task: string;
  variant: string | null;
  status: string;
  algo: string;
  seed: number;
  parentRunId: string | null;
  notes?: string;
}

export function runMatches(r: FilterableRun, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = [
    r.name,
    r.task,
    r.variant ?? '',
    r.status,
    r.algo,
    `seed ${r.seed}`,
    `seed:${r.seed}`,
    r.parentRunId ? 'fine-tune' : 'scratch',
    r.id,
    r.notes ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}
