// Gradient definitions for the tfjs kernels the SAC reference differentiates through.
// Why this exists: tfjs-core registers its gradients only from its ES-module build
// (dist/register_all_gradients.js). Bundlers and vitest load that build, but plain Node (tsx, the
// `maxent` CLI) resolves @tensorflow/tfjs-core to the CommonJS bundle, which has no gradients,
// and the ES build cannot be imported by Node (extensionless specifiers). So the reference tries
// the official registrations first and fills in only the kernels still missing from this list.
// gradients.test.ts checks each of these against finite differences.

import * as tf from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];
type GradFn = (dy: tf.Tensor, saved: Saved, attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;
export interface SimpleGradConfig {
  kernelName: string;
  inputsToSave?: string[];
  outputsToSave?: boolean[];
  saveAllInputs?: boolean;
  gradFunc: GradFn;
}

/** Sums a broadcast gradient back down to `shape`. */
function unbroadcast(g: tf.Tensor, shape: number[]): tf.Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape);
}

const axesOf = (axis: unknown, rank: number): number[] => {
  const list = axis == null ? [...Array(rank).keys()] : Array.isArray(axis) ? (axis as number[]) : [axis as number];
  return list.map((a) => (a < 0 ? a + rank : a));
};

/** dy of a reduction, reshaped with the reduced axes kept as 1 and broadcast back to x. */
function expandReduced(dy: tf.Tensor, x: tf.Tensor, axis: unknown): tf.Tensor {
  const shape = x.shape.slice();
  for (const a of axesOf(axis, x.rank)) shape[a] = 1;
  return tf.mul(tf.reshape(dy, shape), tf.onesLike(x));
}

export const FALLBACK_GRADIENTS: SimpleGradConfig[] = [
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy, a!.shape), b: () => unbroadcast(dy, b!.shape) }),
  },
  {
    kernelName: 'Sub',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy, a!.shape), b: () => unbroadcast(tf.neg(dy), b!.shape) }),
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy, b!), a!.shape), b: () => unbroadcast(tf.mul(dy, a!), b!.shape) }),
  },
  {
    kernelName: 'RealDiv',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(dy, b!), a!.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy, a!), tf.square(b!))), b!.shape),
    }),
  },
  {
    // ties route to a, like tf.minimum's own gradient (and agents/sac's "ties go to Q1")
    kernelName: 'Minimum',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.mul(dy, tf.cast(tf.lessEqual(a!, b!), 'float32')), a!.shape),
      b: () => unbroadcast(tf.mul(dy, tf.cast(tf.greater(a!, b!), 'float32')), b!.shape),
    }),
  },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy) }) },
  { kernelName: 'Square', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(x!, 2)) }) },
  { kernelName: 'Sqrt', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, tf.mul(tf.sqrt(x!), 2)) }) },
  { kernelName: 'Exp', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy, y!) }) },
  { kernelName: 'Log', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, x!) }) },
  { kernelName: 'Tanh', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy, tf.sub(1, tf.square(y!))) }) },
  { kernelName: 'Softplus', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.sigmoid(x!)) }) },
  { kernelName: 'Relu', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.cast(tf.greater(x!, 0), 'float32')) }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => tf.clone(dy) }) },
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => tf.clone(dy) }) },
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy, x!.shape) }) },
  { kernelName: 'Sum', inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => expandReduced(dy, x!, attrs['axis']) }) },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const n = axesOf(attrs['axis'], x!.rank).reduce((p, a) => p * x!.shape[a]!, 1);
      return { x: () => tf.div(expandReduced(dy, x!, attrs['axis']), n) };
    },
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const begin = attrs['begin'] as number[];
      const pads = x!.shape.map((d, i) => [begin[i]!, d - begin[i]! - dy.shape[i]!] as [number, number]);
      return { x: () => tf.pad(dy, pads) };
    },
  },
  {
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = axesOf(attrs['axis'], dy.rank)[0]!;
      const parts = tf.split(
        dy,
        saved.map((t) => t.shape[axis]!),
        axis,
      );
      return Object.fromEntries(parts.map((p, i) => [String(i), () => p]));
    },
  },
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const ta = attrs['transposeA'] as boolean,
        tb = attrs['transposeB'] as boolean;
      const d = dy as tf.Tensor3D,
        A3 = a as tf.Tensor3D,
        B3 = b as tf.Tensor3D;
      if (!ta && !tb) return { a: () => tf.matMul(d, B3, false, true), b: () => tf.matMul(A3, d, true, false) };
      if (!ta && tb) return { a: () => tf.matMul(d, B3, false, false), b: () => tf.matMul(d, A3, true, false) };
      if (ta && !tb) return { a: () => tf.matMul(B3, d, false, true), b: () => tf.matMul(A3, d, false, false) };
      return { a: () => tf.matMul(B3, d, true, true), b: () => tf.matMul(d, A3, true, true) };
    },
  },
];

/** Registers a fallback gradient for every listed kernel that has none yet. Returns their names. */
export function ensureGradients(): string[] {
  const added: string[] = [];
  for (const g of FALLBACK_GRADIENTS) {
    if (tf.getGradient(g.kernelName) == null) {
      tf.registerGradient(g as unknown as tf.GradConfig);
      added.push(g.kernelName);
    }
  }
  return added;
}
