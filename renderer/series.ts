// Pure series helpers for the charts (no DOM, unit-tested).

/** TensorBoard-style debiased exponential moving average; weight 0 returns the input. */
export function smooth(ys: readonly number[], weight: number): number[] {
  if (weight <= 0) return ys.slice();
  const out = new Array<number>(ys.length);
  let last = 0;
  let debias = 0;
  for (let i = 0; i < ys.length; i++) {
    last = last * weight + (1 - weight) * ys[i]!;
    debias = debias * weight + (1 - weight);
    out[i] = last / debias;
  }
  return out;
}
