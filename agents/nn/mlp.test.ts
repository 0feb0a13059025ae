import { describe, expect, it } from 'vitest';
import { createTsKernels } from './ts-kernels.ts';
import { Mlp, mlpLayout } from './mlp.ts';
import { createRng } from '../rng.ts';

describe('Mlp', () => {
  it('backward matches finite differences of a scalar loss (params and input)', () => {
    const k = createTsKernels();
    const sizes = [5, 7, 6, 3];
    const L = mlpLayout(sizes);
    const net = new Mlp(k, sizes, k.alloc(L.size), k.alloc(L.size));
    const rng = createRng(7);
    net.init(rng.uniform);
    const m = 4;
    const G = new Float64Array(m * 3).map(() => rng.normal());
    const x = net.input(m);
    for (let i = 0; i < m * 5; i++) k.f32[x + i] = rng.normal();
    const f = k.f32;
    // ReLU sign pattern of the hidden layers: a finite difference that flips it is skipped
    const pattern = () => {
      let p = '';
      net
        .layerOutputs(m)
        .slice(0, -1)
        .forEach((y, l) => {
          for (let i = 0; i < m * net.layout.layers[l]!.out; i++) p += f[y + i]! > 0 ? '1' : '0';
        });
      return p;
    };
    let base = '';
    let kinks = 0;
    const loss = () => {
      const o = net.forward(m);
      let s = 0;
      for (let i = 0; i < m * 3; i++) s += G[i]! * f[o + i]! + 0.5 * f[o + i]! ** 2;
      return s;
    };
    loss();
    base = pattern();
    const o = net.output(m),
      d = net.dOutput(m);
    for (let i = 0; i < m * 3; i++) f[d + i] = G[i]! + f[o + i]!;
    net.backward(m, true, true);
    const h = 1e-2;
    const check = (off: number, grad: number, len: number) => {
      let num = 0,
        den = 0;
      for (let i = 0; i < len; i++) {
        const v = f[off + i]!;
        f[off + i] = v + h;
        const lp = loss();
        const pp = pattern();
        f[off + i] = v - h;
        const lm = loss();
        const pm = pattern();
        f[off + i] = v;
        if (pp !== base || pm !== base) {
          kinks++;
          continue;
        }
        const fd = (lp - lm) / (2 * h);
        num += (fd - f[grad + i]!) ** 2;
        den += fd * fd;
      }
      return Math.sqrt(num / den);
    };
    // dInput first (checking params re-runs forward, which is fine: backward results are stored)
    const dIn = Float64Array.from(f.subarray(net.dInput(m), net.dInput(m) + m * 5));
    const grads = Float64Array.from(f.subarray(net.grads, net.grads + L.size));
    const gOff = k.alloc(L.size + m * 5);
    k.f32.set(grads, gOff);
    k.f32.set(dIn, gOff + L.size);
    expect(check(net.params, gOff, L.size)).toBeLessThan(5e-3);
    expect(check(x, gOff + L.size, m * 5)).toBeLessThan(5e-3);
    expect(kinks).toBeLessThan(10);
  });

  it('getParams/setParams round-trip the packed layout', () => {
    const k = createTsKernels();
    const sizes = [3, 5, 2];
    const L = mlpLayout(sizes);
    expect(L.packedSize).toBe(3 * 5 + 5 + 5 * 2 + 2);
    const a = new Mlp(k, sizes, k.alloc(L.size), -1);
    a.init(createRng(1).uniform);
    const b = new Mlp(k, sizes, k.alloc(L.size), -1);
    b.setParams(a.getParams());
    expect(Array.from(k.f32.subarray(b.params, b.params + L.size))).toEqual(Array.from(k.f32.subarray(a.params, a.params + L.size)));
    expect(() => b.setParams(new Float32Array(3))).toThrow(/expected 32 floats/);
    expect(() => b.backward(1, true, false)).toThrow(/no gradient range/);
  });
});
