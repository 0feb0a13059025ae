// A ReLU MLP living on a Kernels arena. Parameters are one contiguous range laid out
// [W0, b0, W1, b1, ...] (W stored in×out), each tensor padded to 4 floats, so Adam, Polyak and copy
// run once over a whole network — or over several networks allocated back to back. Gradients,
// Adam moments and target copies use the identical layout at other offsets. Activations are
// preallocated per batch size on first use and reused.

import type { Kernels } from './kernels.ts';

export interface LayerLayout {
  /** Offsets relative to the network's base offset. */
  w: number;
  b: number;
  in: number;
  out: number;
}

export interface MlpLayout {
  sizes: readonly number[];
  layers: LayerLayout[];
  /** Floats one copy of the parameters occupies (with padding). */
  size: number;
  /** Floats of the packed form (no padding): what getParams/setParams exchange. */
  packedSize: number;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function mlpLayout(sizes: readonly number[]): MlpLayout {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`mlp sizes must be >= 2 positive integers, got [${sizes.join(', ')}]`);
  }
  const layers: LayerLayout[] = [];
  let off = 0;
  let packed = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const i = sizes[l]!,
      o = sizes[l + 1]!;
    const w = off;
    off += pad4(i * o);
    const b = off;
    off += pad4(o);
    packed += i * o + o;
    layers.push({ w, b, in: i, out: o });
  }
  return { sizes: [...sizes], layers, size: off, packedSize: packed };
}

interface Acts {
  /** Input buffer (m × in). */
  x: number;
  /** Output of each layer (m × out_l); last one is the network output (no activation). */
  y: number[];
  /** Gradient w.r.t. each layer's output. */
  dy: number[];
  /** Gradient w.r.t. the input. */
  dx: number;
}

export class Mlp {
  readonly layout: MlpLayout;
  readonly inDim: number;
  readonly outDim: number;
  private readonly acts = new Map<number, Acts>();
  private lastX = -1;

  /**
   * @param params offset of this network's parameters (layout.size floats, caller-allocated)
   * @param grads offset of its gradient range, or -1 for a network that is never trained (target)
   */
  constructor(
    private readonly k: Kernels,
    sizes: readonly number[],
    readonly params: number,
    readonly grads: number,
  ) {
    this.layout = mlpLayout(sizes);
    this.inDim = sizes[0]!;
    this.outDim = sizes[sizes.length - 1]!;
  }

  private bufs(m: number): Acts {
    let a = this.acts.get(m);
    if (!a) {
      const k = this.k;
      const x = k.alloc(m * this.inDim);
      const dx = k.alloc(m * this.inDim);
      const y: number[] = [];
      const dy: number[] = [];
      for (const L of this.layout.layers) {
        y.push(k.alloc(m * L.out));
        dy.push(k.alloc(m * L.out));
      }
      a = { x, y, dy, dx };
      this.acts.set(m, a);
    }
    return a;
  }

  /** Offset where the caller writes an m-row input. Call before reading k.f32 (may allocate). */
  input(m: number): number {
    return this.bufs(m).x;
  }
  output(m: number): number {
    const a = this.bufs(m);
    return a.y[a.y.length - 1]!;
  }
  /** Offset where the caller writes dLoss/dOutput before backward(). */
  dOutput(m: number): number {
    const a = this.bufs(m);
    return a.dy[a.dy.length - 1]!;
  }
  /** Gradient w.r.t. the input after backward(m, ..., true). */
  dInput(m: number): number {
    return this.bufs(m).dx;
  }

  /** Offsets of every layer's output for batch size m (hidden ones are post-ReLU). */
  layerOutputs(m: number): readonly number[] {
    return this.bufs(m).y;
  }

  /** Allocates buffers for batch size m now (so later calls do not grow the arena). */
  reserve(m: number): void {
    this.bufs(m);
  }

  /** Forward on m rows; x defaults to this network's input buffer. Returns the output offset. */
  forward(m: number, x = -1): number {
    const a = this.bufs(m);
    const k = this.k;
    let cur = x < 0 ? a.x : x;
    this.lastX = cur;
    const layers = this.layout.layers;
    const last = layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const L = layers[l]!;
      k.linear(cur, this.params + L.w, this.params + L.b, a.y[l]!, m, L.in, L.out, l < last);
      cur = a.y[l]!;
    }
    return cur;
  }

  /**
   * Backward from dOutput(m) through the last forward(m). paramGrads: write (or accumulate)
   * dW, db into the grad range; inputGrad: compute dInput(m). dOutput is consumed in place.
   */
  backward(m: number, paramGrads: boolean, inputGrad: boolean, accumulate = false): void {
    if (paramGrads && this.grads < 0) throw new Error('backward: this network has no gradient range');
    const a = this.bufs(m);
    const k = this.k;
    const layers = this.layout.layers;
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l]!;
      const dy = a.dy[l]!;
      const xin = l === 0 ? this.lastX : a.y[l - 1]!;
      if (paramGrads) {
        k.gemmTN(xin, dy, this.grads + L.w, m, L.in, L.out, accumulate);
        k.biasGrad(dy, this.grads + L.b, m, L.out, accumulate);
      }
      if (l > 0) {
        k.gemmNT(dy, this.params + L.w, a.dy[l - 1]!, m, L.out, L.in, false);
        k.reluMask(a.dy[l - 1]!, a.y[l - 1]!, m * L.in);
      } else if (inputGrad) {
        k.gemmNT(dy, this.params + L.w, a.dx, m, L.out, L.in, false);
      }
    }
  }

  /**
   * PyTorch-style init (U(±1/sqrt(fan_in)) for W and b) with a small last layer if lastScale given.
   */
  init(uniform: () => number, lastScale?: number): void {
    const f = this.k.f32;
    const layers = this.layout.layers;
    layers.forEach((L, l) => {
      let bound = 1 / Math.sqrt(L.in);
      if (l === layers.length - 1 && lastScale !== undefined) bound = lastScale;
      for (let i = 0; i < L.in * L.out; i++) f[this.params + L.w + i] = (2 * uniform() - 1) * bound;
      for (let i = 0; i < L.out; i++) f[this.params + L.b + i] = (2 * uniform() - 1) * bound;
    });
  }

  /** Packed copy of the parameters (W0, b0, W1, b1, ... without padding). */
  getParams(out?: Float32Array, base = this.params): Float32Array {
    return packRange(this.k.f32, this.layout, base, out);
  }
  setParams(src: Float32Array, base = this.params): void {
    unpackRange(this.k.f32, this.layout, base, src);
  }
}

export function packRange(f: Float32Array, layout: MlpLayout, base: number, out?: Float32Array): Float32Array {
  const dst = out ?? new Float32Array(layout.packedSize);
  if (dst.length !== layout.packedSize) throw new Error(`packed params: expected ${layout.packedSize} floats, got ${dst.length}`);
  let o = 0;
  for (const L of layout.layers) {
    dst.set(f.subarray(base + L.w, base + L.w + L.in * L.out), o);
    o += L.in * L.out;
    dst.set(f.subarray(base + L.b, base + L.b + L.out), o);
    o += L.out;
  }
  return dst;
}

export function unpackRange(f: Float32Array, layout: MlpLayout, base: number, src: Float32Array): void {
  if (src.length !== layout.packedSize) {
    throw new Error(`packed params: expected ${layout.packedSize} floats for sizes [${layout.sizes.join(', ')}], got ${src.length}`);
  }
  let o = 0;
  for (const L of layout.layers) {
    f.set(src.subarray(o, o + L.in * L.out), base + L.w);
    o += L.in * L.out;
    f.set(src.subarray(o, o + L.out), base + L.b);
    o += L.out;
  }
}
