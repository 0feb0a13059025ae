// Seeded PRNG for initial-state noise and targets. The whole state is one uint32
// (mulberry32), so snapshots can store it exactly; Box–Muller draws a fresh pair
// each call (no cached spare) to keep the state that small.

export class Rng {
  state = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seeds; seeds are mixed so that seed and seed+1 give unrelated streams. */
  seed(seed: number): void {
    let h = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (h ^ (h >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box–Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability ~1/2. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Seed of env i of a VecEnv seeded `seed`. Env 0 keeps `seed` itself, so it replays a single
 * env of that seed; the others hash (seed, i), because seed + i made env i of seed s replay
 * env i − 1 of seed s + 1 (neighbouring runs shared all but one env). A uint32 for i ≥ 1.
 */
export function envSeed(seed: number, i: number): number {
  if (i === 0) return seed;
  const lo = seed >>> 0,
    hi = Math.floor(seed / 4294967296) >>> 0; // integer seeds beyond 2³² keep their high bits
  return fmix32(fmix32(fmix32(lo ^ 0x9e3779b9) ^ hi) + Math.imul(i, 0x85ebca77));
}
