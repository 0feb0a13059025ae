import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

describe('rng', () => {
  it('is seeded, resumable from its state, and has sane moments', () => {
    const a = createRng(5),
      b = createRng(5);
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
    expect(createRng(6).nextU32()).not.toBe(createRng(5).nextU32());
    const st = a.getState();
    const x = [a.normal(), a.uniform(), a.int(10)];
    const c = createRng(0);
    c.setState(st);
    expect([c.normal(), c.uniform(), c.int(10)]).toEqual(x);
    const n = 200_000;
    const buf = new Float32Array(n);
    a.normals(buf, 0, n);
    let m = 0,
      v = 0;
    for (const z of buf) m += z / n;
    for (const z of buf) v += (z - m) ** 2 / n;
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.01);
    let u = 0;
    for (let i = 0; i < n; i++) u += a.uniform() / n;
    expect(Math.abs(u - 0.5)).toBeLessThan(0.005);
    expect(() => c.setState([0, 0, 0, 0])).toThrow();
    expect(() => c.setState([1, 2])).toThrow(/4 uint32/);
  });
});
