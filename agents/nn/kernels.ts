// The numerical kernel interface behind agents/nn. Every tensor is a range of one Float32Array
// arena (for WebAssembly this is the module's linear memory, so kernels never copy).
// Offsets and sizes are in floats; matrices are row-major.
// Implementations: TS (plain, the oracle) and WASM SIMD. Hot loops allocate nothing.

export interface Kernels {
  readonly name: string;
  /** Which build or variant runs, for reports (e.g. 'wasm-simd+fma'); absent where there is one. */
  readonly detail?: string;
  /** The arena. Re-read after alloc(): growing WebAssembly memory replaces the view. */
  readonly f32: Float32Array;
  /** Reserves n floats (zeroed), 16-byte aligned; returns the float offset. */
  alloc(n: number): number;

  /**
   * Forward dense layer: Y[m×n] = X[m×k] · W[k×n] + b[n], then ReLU if relu.
   * (W stored k×n: input-major, so X·W needs no transpose.)
   */
  linear(x: number, w: number, b: number, y: number, m: number, k: number, n: number, relu: boolean): void;

  /** dX[m×k] = dY[m×n] · W[k×n]ᵀ ; accumulate adds into dX instead of overwriting. */
  gemmNT(dy: number, w: number, dx: number, m: number, n: number, k: number, accumulate: boolean): void;

  /** dW[k×n] (+)= X[m×k]ᵀ · dY[m×n] ; accumulate adds into dW. */
  gemmTN(x: number, dy: number, dw: number, m: number, k: number, n: number, accumulate: boolean): void;

  /** db[n] (+)= column sums of dY[m×n]. */
  biasGrad(dy: number, db: number, m: number, n: number, accumulate: boolean): void;

  /** dY[i] = 0 where Y[i] <= 0 (ReLU backward through the layer's output). */
  reluMask(dy: number, y: number, len: number): void;

  /**
   * Adam step on len params (bias-corrected with step t >= 1):
   * m = b1 m + (1-b1) g ; v = b2 v + (1-b2) g² ; p -= lr * m̂ / (sqrt(v̂) + eps)
   */
  adam(p: number, g: number, m: number, v: number, len: number, lr: number, b1: number, b2: number, eps: number, t: number): void;

  /** Polyak averaging: target = (1 - tau) target + tau src. */
  polyak(target: number, src: number, len: number, tau: number): void;

  /** dst[len] = src[len]. */
  copy(dst: number, src: number, len: number): void;

  /** dst[len] = value. */
  fill(dst: number, len: number, value: number): void;
}
