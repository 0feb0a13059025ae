// Checkpoint plumbing shared by every agent: networks live as ranges of the kernel arena and are
// saved as named `<range>.<layer>.weight|bias` tensors; loading checks the header and every
// tensor before anything is written, so a bad checkpoint never leaves an agent half-loaded.
import type { Checkpoint, CheckpointMeta } from '../agent.ts';
import type { MlpLayout } from '../nn/mlp.ts';
import { checkRngState } from '../rng.ts';

/** One network-shaped range of the arena (params, a target copy, or an Adam moment). */
export interface TensorRange {
  name: string;
  layout: MlpLayout;
  base: () => number;
}

/** Copies every range out of the arena as named tensors (with their shapes). */
export function rangesToTensors(
  f: Float32Array,
  ranges: TensorRange[],
  tensors: Record<string, Float32Array>,
  shapes: Record<string, number[]>,
): void {
  for (const r of ranges) {
    const base = r.base();
    for (let i = base; i < base + r.layout.size; i++) {
      // A diverged learner must not overwrite a good checkpoint with NaN weights.
      if (!Number.isFinite(f[i]!)) throw new Error(`not saving a checkpoint: '${r.name}' holds ${f[i]} (training diverged)`);
    }
    r.layout.layers.forEach((L, l) => {
      tensors[`${r.name}.${l}.weight`] = f.slice(base + L.w, base + L.w + L.in * L.out);
      shapes[`${r.name}.${l}.weight`] = [L.in, L.out];
      tensors[`${r.name}.${l}.bias`] = f.slice(base + L.b, base + L.b + L.out);
      shapes[`${r.name}.${l}.bias`] = [L.out];
    });
  }
}

/** Throws, naming the mismatch, unless the checkpoint is this algorithm at these dims. */
export function checkHeader(c: Checkpoint, algo: string, obsDim: number, actDim: number, hidden: number[]): CheckpointMeta {
  const meta = c?.meta;
  if (!meta || meta.format !== 'maxent-checkpoint')
    throw new Error(`checkpoint: not a maxent checkpoint (format ${JSON.stringify(meta?.format)})`);
  if (meta.algo !== algo) throw new Error(`checkpoint: algo mismatch: checkpoint is '${meta.algo}', agent is '${algo}'`);
  if (meta.obsDim !== obsDim) throw new Error(`checkpoint: obsDim mismatch: checkpoint ${meta.obsDim}, agent ${obsDim}`);
  if (meta.actDim !== actDim) throw new Error(`checkpoint: actDim mismatch: checkpoint ${meta.actDim}, agent ${actDim}`);
  const ch = meta.config?.['hidden'];
  if (!Array.isArray(ch) || ch.join(',') !== hidden.join(',')) {
    throw new Error(
      `checkpoint: hidden mismatch: checkpoint [${Array.isArray(ch) ? ch.join(', ') : String(ch)}], agent [${hidden.join(', ')}]`,
    );
  }
  return meta;
}

/** A tensor of exactly `len` floats, or an error naming it. */
export function needTensor(c: Checkpoint, name: string, len: number): Float32Array {
  const t = c.tensors[name];
  if (!t) throw new Error(`checkpoint: missing tensor '${name}'`);
  if (t.length !== len) throw new Error(`checkpoint: tensor '${name}' has ${t.length} floats, expected ${len}`);
  // A run that diverged saves NaN weights; loaded, they would only show up later as NaN actions.
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(t[i]!))
      throw new Error(`checkpoint: tensor '${name}' holds ${t[i]} at index ${i} (the run had diverged when it was saved)`);
  }
  return t;
}

/** The (arena offset, tensor) writes that restore every range; validates all of them first. */
export function rangeWrites(c: Checkpoint, ranges: TensorRange[]): [number, Float32Array][] {
  const writes: [number, Float32Array][] = [];
  for (const r of ranges) {
    r.layout.layers.forEach((L, l) => {
      const base = r.base();
      writes.push([base + L.w, needTensor(c, `${r.name}.${l}.weight`, L.in * L.out)]);
      writes.push([base + L.b, needTensor(c, `${r.name}.${l}.bias`, L.out)]);
    });
  }
  return writes;
}

/** A saved RNG state from the checkpoint's extra, checked before anything is written. */
export function needRngState(extra: Record<string, unknown>, key: string): [number, number, number, number] {
  try {
    return checkRngState(extra[key]);
  } catch (e) {
    throw new Error(`checkpoint: extra.${key}: ${(e as Error).message}`);
  }
}
