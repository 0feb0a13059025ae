/// <reference types="@webgpu/types" />
// The WebGPU side of agents/nn: one storage buffer as the arena (float offsets, like the CPU
// Kernels), kernels recorded as ops (pipeline + a parameter block + workgroup counts) into a
// program, and a program encoded any number of times into ONE command buffer per submit.
//
// Parameters of every op are written once, when the op is recorded, into a static uniform buffer;
// what changes from one update to the next (RNG counter, Adam bias corrections, replay size, stats
// slot) lives in a small per-update uniform block. Encoding an update is therefore only
// setPipeline/setBindGroup/dispatch calls: nothing is written or allocated per update.

import { COPY, ADAM, BIAS_GRAD, POLYAK, RELU_MASK, PARAM_WORDS, UP_C1, UP_C1A, UP_C2, UP_C2A, gemmSimpleWgsl, gemmWgsl } from './wgsl.ts';

/** A float parameter word (the rest are u32). */
export class F {
  constructor(readonly v: number) {}
}
export type Word = number | F;

export interface Op {
  pipeline: GPUComputePipeline;
  /** Byte offset of its parameter block in the static uniform buffer. */
  paramOffset: number;
  groups: [number, number, number];
}

export interface GemmSpec {
  a: number;
  b: number;
  c: number;
  M: number;
  N: number;
  K: number;
  lda: number;
  ldb: number;
  ldc: number;
  transA?: boolean;
  transB?: boolean;
  /** Forward bias (added per column). */
  bias?: number;
  relu?: boolean;
  accumulate?: boolean;
  /** Zero outputs where mask[i, j] <= 0 (mask laid out like C): the fused ReLU backward. */
  mask?: number;
  /** Also write the bias gradient (column sums of op(B)... i.e. a row of ones in op(A)) here. */
  biasGradOut?: number;
  /** Independent products in one dispatch (workgroup z) with these float strides. */
  batch?: number;
  zA?: number;
  zB?: number;
  zC?: number;
  zBias?: number;
  zMask?: number;
}

export interface UpdateSlot {
  ctr: number;
  slot: number;
  c1: number;
  c2: number;
  /** α's Adam bias corrections; default c1, c2 (α stepped with every update since the start). */
  c1a?: number;
  c2a?: number;
  count: number;
}

const UPD_WORDS = 64; // 256 bytes: the dynamic-offset alignment everywhere

export class GpuEngine {
  readonly device: GPUDevice;
  private used = 0;
  private arenaBuf: GPUBuffer | null = null;
  private paramWords: number[][] = [];
  private paramBuf: GPUBuffer | null = null;
  private updBuf: GPUBuffer;
  private readonly updData: ArrayBuffer;
  private readonly updU32: Uint32Array;
  private readonly updF32: Float32Array;
  private replayBuf: GPUBuffer;
  private dummy: GPUBuffer;
  private bindGroup: GPUBindGroup | null = null;
  private readonly layout: GPUBindGroupLayout;
  private readonly pipeLayout: GPUPipelineLayout;
  private readonly pipes = new Map<string, GPUComputePipeline>();
  private readonly align: number;
  readonly maxSlots: number;
  /** GEMMs with fewer 64×64 tiles than this use 32×32 tiles (more workgroups for small layers). */
  bigTileMinGroups = 64;
  /** One thread per output, no shared memory: for software adapters (see gemmSimpleWgsl). */
  simpleGemm = false;
  private readonly offsets = [0, 0];
  private readonly readBufs = new Map<number, GPUBuffer>();

  constructor(device: GPUDevice, maxSlots = 64) {
    this.device = device;
    this.align = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
    this.maxSlots = maxSlots;
    this.layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 128 } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 128 } },
      ],
    });
    this.pipeLayout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    this.updData = new ArrayBuffer(maxSlots * UPD_WORDS * 4);
    this.updU32 = new Uint32Array(this.updData);
    this.updF32 = new Float32Array(this.updData);
    this.updBuf = device.createBuffer({ size: this.updData.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.dummy = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
    this.replayBuf = this.dummy;
  }

  /** Reserves n floats (16-byte aligned) in the arena; only before build(). */
  alloc(n: number): number {
    if (this.arenaBuf) throw new Error('GpuEngine.alloc after build()');
    if (!(n >= 0) || !Number.isInteger(n)) throw new Error(`alloc: bad size ${n}`);
    const off = this.used;
    this.used += (n + 3) & ~3;
    return off;
  }

  get floats(): number {
    return this.used;
  }

  get arena(): GPUBuffer {
    if (!this.arenaBuf) throw new Error('GpuEngine: build() first');
    return this.arenaBuf;
  }

  /** Creates the arena (zeroed) once every range is allocated. */
  build(): void {
    const bytes = Math.max(16, this.used * 4);
    const max = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > max)
      throw new Error(
        `WebGPU: the learner needs ${(bytes / 2 ** 20).toFixed(0)} MiB in one buffer, this device allows ${max / 2 ** 20} MiB`,
      );
    this.arenaBuf = this.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  /** The read-only buffer kernels see as R (the replay ring). */
  setReplayBuffer(buf: GPUBuffer): void {
    this.replayBuf = buf;
    this.bindGroup = null;
  }

  pipeline(key: string, code: () => string): GPUComputePipeline {
    let p = this.pipes.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: code(), label: key });
      p = this.device.createComputePipeline({ layout: this.pipeLayout, compute: { module, entryPoint: 'main' }, label: key });
      this.pipes.set(key, p);
    }
    return p;
  }

  /** Records an op; its parameter block is fixed from now on. */
  op(pipeline: GPUComputePipeline, words: Word[], groups: [number, number, number]): Op {
    if (words.length > PARAM_WORDS) throw new Error('op: too many parameter words');
    if (this.paramBuf) this.paramBuf = (this.paramBuf.destroy(), null);
    this.paramWords.push(words.map((w) => (w instanceof F ? f32bits(w.v) : w >>> 0)));
    return { pipeline, paramOffset: (this.paramWords.length - 1) * this.align, groups };
  }

  private ensureParams(): void {
    if (this.paramBuf) return;
    const n = Math.max(1, this.paramWords.length);
    const data = new Uint32Array((n * this.align) / 4);
    this.paramWords.forEach((w, i) => data.set(w, (i * this.align) / 4));
    this.paramBuf = this.device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(this.paramBuf, 0, data);
    this.bindGroup = null;
  }

  private group(): GPUBindGroup {
    this.ensureParams();
    this.bindGroup ??= this.device.createBindGroup({
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: this.arena } },
        { binding: 1, resource: { buffer: this.paramBuf!, size: 128 } },
        { binding: 2, resource: { buffer: this.replayBuf } },
        { binding: 3, resource: { buffer: this.updBuf, size: 128 } },
      ],
    });
    return this.bindGroup;
  }

  /** Per-update values for slot s of the next submit. */
  setSlot(s: number, u: UpdateSlot): void {
    if (s >= this.maxSlots) throw new Error(`setSlot: slot ${s} >= ${this.maxSlots}`);
    const o = s * UPD_WORDS;
    this.updU32[o] = u.ctr >>> 0;
    this.updU32[o + 1] = u.slot >>> 0;
    this.updF32[o + UP_C1] = u.c1;
    this.updF32[o + UP_C2] = u.c2;
    this.updF32[o + UP_C1A] = u.c1a ?? u.c1;
    this.updF32[o + UP_C2A] = u.c2a ?? u.c2;
    this.updU32[o + 4] = u.count >>> 0;
  }

  /**
   * Encodes `program` once per slot 0..slots-1 into one compute pass and submits it. Optional
   * copies (arena float ranges → mapped readback buffers) are appended to the same command buffer.
   */
  submit(program: readonly Op[], slots: number, copies: readonly { src: number; len: number; dst: GPUBuffer }[] = []): void {
    const dev = this.device;
    dev.queue.writeBuffer(this.updBuf, 0, this.updData, 0, slots * UPD_WORDS * 4);
    const bg = this.group();
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    const offs = this.offsets;
    let last: GPUComputePipeline | null = null;
    for (let s = 0; s < slots; s++) {
      offs[1] = s * UPD_WORDS * 4;
      for (let i = 0; i < program.length; i++) {
        const op = program[i]!;
        if (op.pipeline !== last) pass.setPipeline((last = op.pipeline));
        offs[0] = op.paramOffset;
        pass.setBindGroup(0, bg, offs);
        pass.dispatchWorkgroups(op.groups[0], op.groups[1], op.groups[2]);
      }
    }
    pass.end();
    for (const c of copies) enc.copyBufferToBuffer(this.arena, c.src * 4, c.dst, 0, c.len * 4);
    dev.queue.submit([enc.finish()]);
  }

  /** A MAP_READ buffer for len floats (cached per length: readbacks on a hot path allocate once). */
  readBuffer(len: number): GPUBuffer {
    let b = this.readBufs.get(len);
    if (!b) {
      b = this.device.createBuffer({ size: Math.max(4, len * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      this.readBufs.set(len, b);
    }
    return b;
  }

  /** Maps a readback buffer filled by submit() and copies it into out (or a new array). */
  async readInto(buf: GPUBuffer, len: number, out?: Float32Array): Promise<Float32Array> {
    await buf.mapAsync(GPUMapMode.READ, 0, len * 4);
    const dst = out ?? new Float32Array(len);
    dst.set(new Float32Array(buf.getMappedRange(0, len * 4)));
    buf.unmap();
    return dst;
  }

  /** Reads arena floats [off, off+len) (not for hot paths: one small submit of its own). */
  async read(off: number, len: number): Promise<Float32Array> {
    const buf = this.readBuffer(len);
    this.submit([], 0, [{ src: off, len, dst: buf }]);
    return this.readInto(buf, len);
  }

  write(off: number, data: Float32Array): void {
    this.device.queue.writeBuffer(this.arena, off * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Throws the first validation error of what was created or submitted since the last check. */
  async check<T>(fn: () => T | Promise<T>): Promise<T> {
    this.device.pushErrorScope('validation');
    const r = await fn();
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`WebGPU: ${err.message}`);
    return r;
  }

  // ---- kernels (recorded as ops) ----

  gemm(s: GemmSpec): Op {
    const ta = !!s.transA,
      tb = !!s.transB;
    const z = s.batch ?? 1;
    const rows = s.M + (s.biasGradOut !== undefined ? 1 : 0);
    const big = Math.ceil(rows / 64) * Math.ceil(s.N / 64) * z >= this.bigTileMinGroups;
    const T = big ? 4 : 2;
    const form = `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`;
    const pipe = this.simpleGemm
      ? this.pipeline(`gemmSimple${form}`, () => gemmSimpleWgsl(ta, tb))
      : this.pipeline(`gemm${T}${form}`, () => gemmWgsl(T, ta, tb));
    const flags =
      (s.bias !== undefined ? 1 : 0) |
      (s.relu ? 2 : 0) |
      (s.accumulate ? 4 : 0) |
      (s.mask !== undefined ? 8 : 0) |
      (s.biasGradOut !== undefined ? 16 : 0);
    const bm = 16 * T;
    const groups: [number, number, number] = this.simpleGemm
      ? [Math.ceil(s.N / 64), rows, z]
      : [Math.ceil(s.N / bm), Math.ceil(rows / bm), z];
    return this.op(
      pipe,
      [
        s.a,
        s.b,
        s.c,
        s.bias ?? s.biasGradOut ?? 0,
        s.mask ?? 0,
        s.M,
        s.N,
        s.K,
        s.lda,
        s.ldb,
        s.ldc,
        flags,
        s.zA ?? 0,
        s.zB ?? 0,
        s.zC ?? 0,
        s.zBias ?? 0,
        s.zMask ?? 0,
      ],
      groups,
    );
  }

  /** Y[m×n] = X[m×k]·W[k×n] + b, ReLU if relu (Kernels.linear). */
  linear(x: number, w: number, b: number, y: number, m: number, k: number, n: number, relu: boolean): Op {
    return this.gemm({ a: x, b: w, c: y, M: m, N: n, K: k, lda: k, ldb: n, ldc: n, bias: b, relu });
  }

  /** dX[m×k] (+)= dY[m×n]·W[k×n]ᵀ (Kernels.gemmNT). */
  gemmNT(dy: number, w: number, dx: number, m: number, n: number, k: number, accumulate: boolean): Op {
    return this.gemm({ a: dy, b: w, c: dx, M: m, N: k, K: n, lda: n, ldb: n, ldc: k, transB: true, accumulate });
  }

  /** dW[k×n] (+)= X[m×k]ᵀ·dY[m×n] (Kernels.gemmTN). */
  gemmTN(x: number, dy: number, dw: number, m: number, k: number, n: number, accumulate: boolean): Op {
    return this.gemm({ a: x, b: dy, c: dw, M: k, N: n, K: m, lda: k, ldb: n, ldc: n, transA: true, accumulate });
  }

  biasGrad(dy: number, db: number, m: number, n: number, accumulate: boolean): Op {
    return this.op(
      this.pipeline('biasGrad', () => BIAS_GRAD),
      [dy, db, m, n, accumulate ? 1 : 0],
      [Math.ceil(n / 256), 1, 1],
    );
  }

  reluMask(dy: number, y: number, len: number): Op {
    return this.op(
      this.pipeline('reluMask', () => RELU_MASK),
      [dy, y, len],
      [groups1d(len), 1, 1],
    );
  }

  /** Adam over len floats; the bias corrections c1, c2 come from the update slot (see adamCorrections). */
  adam(p: number, g: number, m: number, v: number, len: number, lr: number, b1: number, b2: number, eps: number): Op {
    return this.op(
      this.pipeline('adam', () => ADAM),
      [p, g, m, v, len, new F(lr), new F(b1), new F(b2), new F(eps), new F(1 - b1), new F(1 - b2)],
      [groups1d(len), 1, 1],
    );
  }

  polyak(target: number, src: number, len: number, tau: number): Op {
    return this.op(
      this.pipeline('polyak', () => POLYAK),
      [target, src, len, new F(tau), new F(1 - tau)],
      [groups1d(len), 1, 1],
    );
  }

  copy(dst: number, src: number, len: number): Op {
    return this.op(
      this.pipeline('copy', () => COPY),
      [dst, src, len],
      [groups1d(len), 1, 1],
    );
  }

  destroy(): void {
    for (const b of this.readBufs.values()) b.destroy();
    this.readBufs.clear();
    this.arenaBuf?.destroy();
    this.paramBuf?.destroy();
    this.updBuf.destroy();
    this.dummy.destroy();
  }
}

/** Adam's bias corrections for step t, in float64 (float32 pow(0.999, t) is off by 1e-5 at t = 1). */
export function adamCorrections(t: number, b1: number, b2: number): { c1: number; c2: number } {
  return { c1: 1 / (1 - Math.pow(b1, t)), c2: 1 / (1 - Math.pow(b2, t)) };
}

/** Workgroups for a grid-stride 1-D kernel: enough to fill a large GPU, never over the limit. */
export function groups1d(len: number): number {
  return Math.max(1, Math.min(4096, Math.ceil(len / 256)));
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
function f32bits(v: number): number {
  f32buf[0] = v;
  return u32buf[0]!;
}
