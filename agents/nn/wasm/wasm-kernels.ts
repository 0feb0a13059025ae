// WebAssembly SIMD kernels (source: ./assembly/kernels.ts, built by ./build.mjs into the committed
// ./kernels.wasm and ./kernels-relaxed.wasm). The relaxed build (FMA in the GEMM loops) is used where
// the engine has relaxed SIMD: Node >= 22, Electron, Chrome >= 114 natively; Node 20 behind a V8
// flag that is switched on at load (see enableRelaxedSimd). MAXENT_WASM_RELAXED=0 forces the plain
// build. Both give the same results to float rounding (FMA rounds once). The arena is the module's linear memory: the module keeps a fixed scratch region
// at the bottom and a bump allocator hands out the rest, growing memory when needed. Kernel calls
// forward float offsets straight to the exports, so they allocate nothing on the JS side.

import type { Kernels } from '../kernels.ts';

interface Exports {
  memory: WebAssembly.Memory;
  scratchEnd(): number;
  linear(x: number, w: number, b: number, y: number, m: number, k: number, n: number, relu: number): void;
  gemmNT(dy: number, w: number, dx: number, m: number, n: number, k: number, accumulate: number): void;
  gemmTN(x: number, dy: number, dw: number, m: number, k: number, n: number, accumulate: number): void;
  biasGrad(dy: number, db: number, m: number, n: number, accumulate: number): void;
  reluMask(dy: number, y: number, len: number): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    len: number,
    lr: number,
    b1: number,
    b2: number,
    ob1: number,
    ob2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
  polyak(target: number, src: number, len: number, tau: number, keep: number): void;
  copy(dst: number, src: number, len: number): void;
  fill(dst: number, len: number, value: number): void;
}

/** Must match LIST_CAP / T_CAP in assembly/kernels.ts: the largest reduction / W width per chunk. */
const LIST_CAP = 1 << 18;
const T_CAP = 1 << 19;
const PAGE_FLOATS = 65536 / 4;
/** Wasm32 memory ends at 4 GiB; keep offsets well inside i32 range for the exports' i32 args. */
const MAX_FLOATS = 2 ** 29;

// A tiny module using one SIMD instruction (i32.const 0; i32x4.splat): validates only where the
// engine implements fixed-width SIMD.
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // one function of that type
  0x0a,
  0x08,
  0x01,
  0x06,
  0x00,
  0x41,
  0x00,
  0xfd,
  0x11,
  0x0b, // body: i32.const 0, i32x4.splat, end
]);

let simdCache: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD; if not, fall back to createTsKernels(). */
export function wasmSimdSupported(): boolean {
  if (simdCache === undefined) {
    try {
      simdCache = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdCache = false;
    }
  }
  return simdCache;
}

// f32.const 0; f32x4.splat (×3); f32x4.relaxed_madd; end — validates only with relaxed SIMD.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0, 67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 67,
  0, 0, 0, 0, 253, 19, 253, 133, 2, 11,
]);

function relaxedValidates(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

let relaxedCache: Promise<boolean> | undefined;

/**
 * Whether the engine runs relaxed SIMD, switching it on in Node 20 where it sits behind
 * --experimental-wasm-relaxed-simd (feature-complete there, on by default from V8 11.4). The flag
 * only widens what the wasm decoder accepts, so setting it at run time affects nothing else.
 */
export function enableRelaxedSimd(): Promise<boolean> {
  relaxedCache ??= (async () => {
    const env = typeof process === 'object' ? process.env?.MAXENT_WASM_RELAXED : undefined;
    if (env === '0') return false;
    if (relaxedValidates()) return true;
    if (typeof process !== 'object' || !process.versions?.node) return false;
    try {
      const v8 = await import('node:v8');
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      return false;
    }
    return relaxedValidates();
  })();
  return relaxedCache;
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

async function compileFile(file: string): Promise<WebAssembly.Module> {
  const url = new URL(file, import.meta.url);
  if (url.protocol === 'file:') {
    // dynamic import keeps node:fs out of browser bundles
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${file}: HTTP ${res.status} for ${url.href}`);
  return WebAssembly.compile(await res.arrayBuffer());
}

function cachedCompile(file: string): Promise<WebAssembly.Module> {
  let p = moduleCache.get(file);
  if (!p) {
    p = compileFile(file);
    moduleCache.set(file, p);
    p.catch(() => moduleCache.delete(file)); // let a later call retry
  }
  return p;
}

/** Which build a WasmKernels instance runs: 'relaxed' (FMA) or 'plain'. */
export type WasmBuild = 'relaxed' | 'plain';

async function loadModule(bytes?: BufferSource): Promise<{ mod: WebAssembly.Module; build: WasmBuild | 'custom' }> {
  if (bytes) return { mod: await WebAssembly.compile(bytes), build: 'custom' };
  if (await enableRelaxedSimd()) {
    try {
      return { mod: await cachedCompile('./kernels-relaxed.wasm'), build: 'relaxed' };
    } catch {
      // a bundle that shipped only kernels.wasm still works, without FMA
    }
  }
  return { mod: await cachedCompile('./kernels.wasm'), build: 'plain' };
}

/**
 * WASM SIMD kernels on a fresh arena of at least initialFloats floats. In Node the module is read
 * next to this file; bundlers/Electron renderers can pass the bytes of kernels.wasm instead.
 * Throws if the engine lacks SIMD (check wasmSimdSupported() first).
 */
export async function createWasmKernels(initialFloats = 1 << 16, wasmBytes?: BufferSource): Promise<Kernels> {
  if (!wasmSimdSupported()) throw new Error('WebAssembly SIMD is not supported by this engine; use createTsKernels()');
  const { mod, build } = await loadModule(wasmBytes);
  const inst = await WebAssembly.instantiate(mod, {});
  const ex = inst.exports as unknown as Exports;
  const mem = ex.memory;
  let f32 = new Float32Array(mem.buffer);
  // arena starts after the module's scratch, 16-byte aligned (scratchEnd is a byte address)
  const base = ((ex.scratchEnd() + 15) & ~15) / 4;
  let used = base;

  function ensure(endFloats: number): void {
    if (endFloats > MAX_FLOATS) throw new Error(`wasm arena: ${endFloats} floats exceeds the ${MAX_FLOATS} limit`);
    if (endFloats <= f32.length) return;
    // grow at least 1.5x so a sequence of small allocs does not grow page by page
    const want = Math.max(endFloats, Math.floor(f32.length * 1.5));
    mem.grow(Math.ceil((want - f32.length) / PAGE_FLOATS));
    f32 = new Float32Array(mem.buffer);
  }
  ensure(base + Math.max(16, initialFloats));

  const flag = (b: boolean) => (b ? 1 : 0);

  const k: Kernels = {
    name: 'wasm',
    detail: build === 'relaxed' ? 'wasm-simd+fma' : build === 'plain' ? 'wasm-simd' : 'wasm (caller-supplied module)',
    get f32() {
      return f32;
    },
    alloc(n: number): number {
      if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`alloc: bad size ${n}`);
      const off = used;
      const end = off + ((n + 3) & ~3); // every range 16-byte aligned
      ensure(end);
      // fresh memory is zero and the bump pointer never moves back, but fill anyway: cheap, one-off
      f32.fill(0, off, end);
      used = end;
      return off;
    },
    linear(x, w, b, y, m, kk, n, relu) {
      if (kk > LIST_CAP) throw new Error(`linear: k=${kk} exceeds ${LIST_CAP}`);
      ex.linear(x, w, b, y, m, kk, n, flag(relu));
    },
    gemmNT(dy, w, dx, m, n, kk, accumulate) {
      if (kk > T_CAP) throw new Error(`gemmNT: k=${kk} exceeds ${T_CAP}`);
      ex.gemmNT(dy, w, dx, m, n, kk, flag(accumulate));
    },
    gemmTN(x, dy, dw, m, kk, n, accumulate) {
      if (m > LIST_CAP) throw new Error(`gemmTN: m=${m} exceeds ${LIST_CAP}`);
      ex.gemmTN(x, dy, dw, m, kk, n, flag(accumulate));
    },
    biasGrad(dy, db, m, n, accumulate) {
      ex.biasGrad(dy, db, m, n, flag(accumulate));
    },
    reluMask(dy, y, len) {
      ex.reluMask(dy, y, len);
    },
    adam(p, g, m, v, len, lr, b1, b2, eps, t) {
      ex.adam(p, g, m, v, len, lr, b1, b2, 1 - b1, 1 - b2, eps, 1 / (1 - Math.pow(b1, t)), 1 / (1 - Math.pow(b2, t)));
    },
    polyak(target, src, len, tau) {
      ex.polyak(target, src, len, tau, 1 - tau);
    },
    copy(dst, src, len) {
      ex.copy(dst, src, len);
    },
    fill(dst, len, value) {
      ex.fill(dst, len, value);
    },
  };
  return k;
}
