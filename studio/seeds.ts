// A list of seeds as a user types it ("1,2,3", "1-5", "1-3, 7"): one run per seed. Shared by
// `--seeds` on the command line and the Seeds fields of the studio, so both accept the same text.

export const MAX_SEEDS = 32;
/** The largest seed a run takes (the API's bound on `seed` too): the RNGs take seeds modulo 2^32. */
export const MAX_SEED = 2 ** 31 - 1;

/** Distinct non-negative integer seeds in the order given; throws, naming the problem, on anything else. */
export function parseSeeds(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new Error(`seeds: give one or more seeds, e.g. 1,2,3 or 1-5, got ${JSON.stringify(text)}`);
  const out: number[] = [];
  for (const p of parts) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(p);
    const [lo, hi] = range ? [Number(range[1]), Number(range[2])] : /^\d+$/.test(p) ? [Number(p), Number(p)] : [NaN, NaN];
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo)
      throw new Error(`seeds: ${JSON.stringify(p)} is not a seed (a whole number >= 0) or a range like 1-5`);
    // The RNGs take seeds modulo 2^32: a larger one would repeat a smaller one's run exactly.
    if (hi > MAX_SEED) throw new Error(`seeds: ${hi} is above the largest seed, ${MAX_SEED}`);
    if (hi - lo + 1 + out.length > MAX_SEEDS) throw new Error(`seeds: at most ${MAX_SEEDS} seeds, got more in ${JSON.stringify(text)}`);
    for (let s = lo; s <= hi; s++) out.push(s);
  }
  const dup = out.find((s, i) => out.indexOf(s) !== i);
  if (dup !== undefined) throw new Error(`seeds: seed ${dup} is listed twice in ${JSON.stringify(text)}`);
  return out;
}
