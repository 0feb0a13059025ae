// The fallback gradients (used where Node loads tfjs-core's CommonJS bundle) must agree with
// tfjs's own registrations, which vitest loads from the ES build: swap the whole set in, compare.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FALLBACK_GRADIENTS } from './gradients.ts';
import { TfjsSac, fallbackGradients, packedSize, sacRefConfig } from './sac-reference.ts';
import { randomBatch } from '../sac/test-util.ts';
import { createRng } from '../rng.ts';

function withFallbacks<T>(fn: () => T): T {
  const official = FALLBACK_GRADIENTS.map((g) => tf.getGradient(g.kernelName));
  const swap = (cfgs: (tf.GradConfig | undefined)[]) =>
    FALLBACK_GRADIENTS.forEach((g, i) => {
      if (tf.getGradient(g.kernelName)) tf.unregisterGradient(g.kernelName);
      const c = cfgs[i];
      if (c) tf.registerGradient(c);
    });
  swap(FALLBACK_GRADIENTS as unknown as tf.GradConfig[]);
  try {
    return fn();
  } finally {
    swap(official);
  }
}

const close = (a: Float32Array, b: Float32Array) => {
  let d = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / (s || 1);
};

describe('fallback tfjs gradients', () => {
  it('vitest loaded the official ones (so this comparison means something)', () => {
    expect(fallbackGradients).toEqual([]);
  });

  it('elementwise and reduction ops match the official gradients', () => {
    const r = createRng(1);
    const x = tf.tensor2d(
      Float32Array.from({ length: 12 }, () => 0.5 + r.uniform()),
      [3, 4],
    );
    const w = tf.tensor1d(Float32Array.from({ length: 4 }, () => r.normal()));
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(w, tf.add(tf.div(tf.log(tf.sqrt(t)), tf.neg(tf.add(t, 1))), tf.cast(tf.clone(tf.mean(t, 0, true)), 'float32'))));
    const off = tf.grad(f)(x).dataSync() as Float32Array;
    const mine = withFallbacks(() => tf.grad(f)(x).dataSync() as Float32Array);
    expect(close(mine, off)).toBeLessThan(1e-6);
  });

  it('a whole SAC update matches with the fallback set', () => {
    const cfg = sacRefConfig({ obsDim: 5, actDim: 3, hidden: [16, 12] });
    const r = createRng(2);
    const rand = (n: number) => Float32Array.from({ length: n }, () => 0.4 * r.normal());
    const init = TfjsSac.initialState(cfg, {
      actor: rand(packedSize([5, 16, 12, 6])),
      q1: rand(packedSize([8, 16, 12, 1])),
      q2: rand(packedSize([8, 16, 12, 1])),
    });
    const b = randomBatch(16, 5, 3, 3);
    const e1 = rand(48),
      e2 = rand(48);
    const run = () => {
      const s = new TfjsSac(cfg, init);
      try {
        s.update(b, e1, e2);
        s.update(b, e2, e1);
        return s.state();
      } finally {
        s.dispose();
      }
    };
    const off = run();
    const mine = withFallbacks(run);
    for (const k of ['actor', 'q1', 'q2', 'q1Target', 'q2Target'] as const) expect(close(mine[k], off[k])).toBeLessThan(1e-6);
    expect(close(mine.m.actor, off.m.actor)).toBeLessThan(1e-5);
    expect(Math.abs(mine.logAlpha - off.logAlpha)).toBeLessThan(1e-7);
  });
});
