// WGSL kernel parity with the TS kernels (the oracle) on odd shapes (no multiple of any tile),
// both tile sizes, z-batched products and the fused bias-gradient / ReLU-mask forms.
// Runs on SwiftShader here and in CI; skipped, with the printed reason, where no adapter exists.
import { afterAll, describe, expect, it } from 'vitest';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { createRng } from '../rng.ts';
import { GpuEngine, adamCorrections, type Op } from './engine.ts';
import { relErr, testGpu } from './test-gpu.ts';

const gpu = await testGpu();
const TOL = 1e-4;

describe.skipIf(!gpu)('WebGPU kernels vs TS kernels', () => {
  const ts = createTsKernels();
  const eng = new GpuEngine(gpu!.device);
  const r = createRng(11);
  // Same offsets in both arenas: both allocators round to 4 floats.
  const alloc = (n: number, halfZero = false): number => {
    const o = ts.alloc(n);
    const g = eng.alloc(n);
    if (o !== g) throw new Error('arena layouts diverged');
    for (let i = 0; i < n; i++) ts.f32[o + i] = halfZero && r.uniform() < 0.5 ? 0 : r.uniform() * 2 - 1;
    return o;
  };
  const [m, k, n] = [37, 29, 45];
  const [m2, k2, n2] = [70, 33, 67]; // several tiles in every dimension
  const x = alloc(m2 * k2),
    w = alloc(k2 * n2),
    b = alloc(n2),
    y = alloc(m2 * n2),
    dy = alloc(m2 * n2, true),
    dx = alloc(m2 * k2),
    dw = alloc(k2 * n2),
    db = alloc(n2),
    mask = alloc(m2 * k2, true),
    // two products back to back for the z-batched dispatch
    w2 = alloc(2 * k * n),
    y2 = alloc(2 * m * n),
    p = alloc(301),
    g = alloc(301),
    am = alloc(301),
    av = alloc(301),
    tgt = alloc(301);
  for (let i = 0; i < 301; i++) ts.f32[av + i] = Math.abs(ts.f32[av + i]!) * 0.01; // v >= 0
  eng.build();
  const initial = ts.f32.slice(0, eng.floats);

  afterAll(() => {
    eng.destroy();
  });

  /** Resets both arenas, runs the op on the GPU and fn on the TS kernels, compares [off, off+len). */
  async function same(op: () => Op, fn: () => void, off: number, len: number, slot?: { c1: number; c2: number }) {
    ts.f32.set(initial);
    eng.write(0, initial);
    const o = op();
    eng.setSlot(0, { ctr: 0, slot: 0, c1: slot?.c1 ?? 1, c2: slot?.c2 ?? 1, count: 1 });
    await eng.check(() => eng.submit([o], 1));
    fn();
    const got = await eng.read(off, len);
    const err = relErr(got, ts.f32.subarray(off, off + len));
    expect(err).toBeLessThan(TOL);
    return err;
  }

  for (const T of [2, 4, 0] as const) {
    const tiles = (): void => {
      eng.bigTileMinGroups = T === 4 ? 1 : 1e9;
      eng.simpleGemm = T === 0;
    };
    describe(T === 0 ? 'untiled (software adapters)' : `${T === 4 ? '64x64' : '32x32'} tiles`, () => {
      it('linear with bias and ReLU, and without ReLU', async () => {
        tiles();
        for (const [mm, kk, nn] of [
          [m, k, n],
          [m2, k2, n2],
          [1, k, n],
        ]) {
          for (const relu of [true, false]) {
            await same(
              () => eng.linear(x, w, b, y, mm!, kk!, nn!, relu),
              () => ts.linear(x, w, b, y, mm!, kk!, nn!, relu),
              y,
              mm! * nn!,
            );
          }
        }
      });

      it('gemmNT (A·Bᵀ), overwrite and accumulate', async () => {
        tiles();
        for (const acc of [false, true]) {
          await same(
            () => eng.gemmNT(dy, w, dx, m2, n2, k2, acc),
            () => ts.gemmNT(dy, w, dx, m2, n2, k2, acc),
            dx,
            m2 * k2,
          );
        }
      });

      it('gemmTN (Aᵀ·B), overwrite and accumulate', async () => {
        tiles();
        for (const acc of [false, true]) {
          await same(
            () => eng.gemmTN(x, dy, dw, m2, k2, n2, acc),
            () => ts.gemmTN(x, dy, dw, m2, k2, n2, acc),
            dw,
            k2 * n2,
          );
        }
      });
    });
  }

  it('fused bias gradient (a row of ones), ReLU mask and z-batching in every GEMM variant', async () => {
    for (const [big, simple] of [
      [1, false],
      [1e9, false],
      [1, true],
    ] as const) {
      eng.bigTileMinGroups = big;
      eng.simpleGemm = simple;
      await fusedForms();
    }
    eng.simpleGemm = false;
  });

  async function fusedForms(): Promise<void> {
    await biasRow();
    await maskedNT();
    await batchedLinear();
  }

  async function biasRow(): Promise<void> {
    for (const acc of [false, true]) {
      const spec = { a: x, b: dy, c: dw, M: k2, N: n2, K: m2, lda: k2, ldb: n2, ldc: n2, transA: true, accumulate: acc, biasGradOut: db };
      await same(
        () => eng.gemm(spec),
        () => ts.gemmTN(x, dy, dw, m2, k2, n2, acc),
        dw,
        k2 * n2,
      );
      await same(
        () => eng.gemm(spec),
        () => ts.biasGrad(dy, db, m2, n2, acc),
        db,
        n2,
      );
    }
  }

  async function maskedNT(): Promise<void> {
    const spec = { a: dy, b: w, c: dx, M: m2, N: k2, K: n2, lda: n2, ldb: n2, ldc: k2, transB: true, mask };
    await same(
      () => eng.gemm(spec),
      () => {
        ts.gemmNT(dy, w, dx, m2, n2, k2, false);
        ts.reluMask(dx, mask, m2 * k2);
      },
      dx,
      m2 * k2,
    );
  }

  async function batchedLinear(): Promise<void> {
    const spec = { a: x, b: w2, c: y2, M: m, N: n, K: k, lda: k, ldb: n, ldc: n, bias: b, relu: true, batch: 2, zB: k * n, zC: m * n };
    await same(
      () => eng.gemm(spec),
      () => {
        ts.linear(x, w2, b, y2, m, k, n, true);
        ts.linear(x, w2 + k * n, b, y2 + m * n, m, k, n, true);
      },
      y2,
      2 * m * n,
    );
  }

  it('reluMask, biasGrad, Adam, Polyak', async () => {
    await same(
      () => eng.reluMask(dy, mask, m2 * k2),
      () => ts.reluMask(dy, mask, m2 * k2),
      dy,
      m2 * k2,
    );
    for (const acc of [false, true]) {
      await same(
        () => eng.biasGrad(dy, db, m2, n2, acc),
        () => ts.biasGrad(dy, db, m2, n2, acc),
        db,
        n2,
      );
    }
    for (const t of [1, 7]) {
      const c = adamCorrections(t, 0.9, 0.999);
      const run = () => ts.adam(p, g, am, av, 301, 3e-4, 0.9, 0.999, 1e-8, t);
      const op = () => eng.adam(p, g, am, av, 301, 3e-4, 0.9, 0.999, 1e-8);
      // parameters, and the moments themselves
      await same(op, run, p, 301, c);
      await same(op, run, am, 301, c);
      await same(op, run, av, 301, c);
      // the step itself (p moves by ~lr): compare it, not only p
      ts.f32.set(initial);
      run();
      const stepCpu = new Float32Array(301).map((_, i) => ts.f32[p + i]! - initial[p + i]!);
      eng.write(0, initial);
      eng.setSlot(0, { ctr: 0, slot: 0, ...c, count: 1 });
      eng.submit([op()], 1);
      const got = await eng.read(p, 301);
      expect(
        relErr(
          got.map((v, i) => v - initial[p + i]!),
          stepCpu,
        ),
      ).toBeLessThan(TOL);
    }
    await same(
      () => eng.polyak(tgt, p, 301, 0.005),
      () => ts.polyak(tgt, p, 301, 0.005),
      tgt,
      301,
    );
  });
});
