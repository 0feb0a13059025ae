// Seeded PRNG: xoshiro128** (32-bit state words, so it is exact and fast in JS) plus Box–Muller
// normals. The whole state is 4 uint32s, serialisable for bit-exact save/resume.

export interface Rng {
  /** Uniform uint32. */
  nextU32(): number;
  /** Uniform float in [0, 1) with 24 random bits (exactly representable in float32). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One standard normal. */
  normal(): number;
  /** Fills out[off .. off+n) with standard normals (no state beyond the 4 words: no cached spare). */
  normals(out: Float32Array, off: number, n: number): void;
  getState(): number[];
  setState(s: readonly number[]): void;
}

/** splitmix32 spreads a small integer seed over the 128-bit state (never all zero). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_PI = 2 * Math.PI;
const INV_2_24 = 1 / 16777216;

export function createRng(seed = 0): Rng {
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  const sm = splitmix32(seed);
  a = sm();
  b = sm();
  c = sm();
  d = sm();
  if ((a | b | c | d) === 0) a = 1;

  function nextU32(): number {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  }
  function uniform(): number {
    return (nextU32() >>> 8) * INV_2_24;
  }
  function normal(): number {
    const u1 = 1 - uniform(); // (0, 1]: log is finite
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
  }
  return {
    nextU32,
    uniform,
    int(n: number): number {
      return Math.floor(nextU32() * 2.3283064365386963e-10 * n); // 32 random bits
    },
    normal,
    normals(out: Float32Array, off: number, n: number): void {
      let i = 0;
      for (; i + 1 < n; i += 2) {
        const u1 = 1 - uniform();
        const u2 = uniform();
        const r = Math.sqrt(-2 * Math.log(u1));
        out[off + i] = r * Math.cos(TWO_PI * u2);
        out[off + i + 1] = r * Math.sin(TWO_PI * u2);
      }
      if (i < n) out[off + i] = normal();
    },
    getState: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
    setState(s: readonly number[]): void {
      [a, b, c, d] = checkRngState(s);
    },
  };
}

/** A saved RNG state as `setState` takes it (4 uint32 values, not all zero), or an error saying why
 * not: loaders check states with it before they change anything. */
export function checkRngState(s: unknown): [number, number, number, number] {
  if (!Array.isArray(s) || s.length !== 4 || s.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff)) {
    throw new Error(`rng state must be 4 uint32 values, got ${JSON.stringify(s)}`);
  }
  if (s.every((x) => x === 0)) throw new Error('rng state must not be all zero');
  return s as [number, number, number, number];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
