/// <reference types="@webgpu/types" />
// SAC on WebGPU: the whole update of agents/sac/sac.ts (same math, same order: critics, then actor
// and α on the freshly updated critics, then Polyak) as one static program of ~40 dispatches,
// encoded `updatesPerSubmit` times into ONE command buffer. The replay ring lives on the GPU and
// batches are sampled there with a counter-based RNG, so only new transitions cross the bus.
//
// A CPU SacAgent (the mirror) holds the same state in the CPU layout. It acts, and it is what
// save()/load() read and write, so checkpoints are the CPU agent's safetensors, byte-compatible
// both ways. The mirror's policy weights are refreshed after every submit (acting lags the learner
// by at most one submit of updates); the rest of the state is copied back only by sync().
//
// Gaussian policy head only (the mixture head and SQL stay on the CPU backends).

import type { ActOptions, Agent, Batch, Checkpoint, PolicySnapshot, UpdateMetrics } from '../agent.ts';
import type { Kernels } from '../nn/kernels.ts';
import { mlpLayout, type MlpLayout } from '../nn/mlp.ts';
import { createSacAgent, resolveSacConfig, type ResolvedSacConfig, type SacAgent, type SacConfig } from '../sac/sac.ts';
import type { ReplayState } from '../replay.ts';
import { packTransitionRows, transitionRowFloats, validateBatch } from '../agent-buffers.ts';
import type { GpuAdapterInfo, GpuContext } from './device.ts';
import { F, GpuEngine, adamCorrections, type Op } from './engine.ts';
import { ACTOR_LOSS, ALPHA_STATS, CRITIC_LOSS, GATHER, HEAD_BACKWARD, HEAD_SAMPLE } from './wgsl.ts';

const B1 = 0.9,
  B2 = 0.999,
  ADAM_EPS = 1e-8;

export interface GpuSacOptions {
  /** Transitions the GPU replay ring holds (0: no ring; only updateWithBatch). Default 1e6. */
  replayCapacity?: number;
  /** Updates encoded into one command buffer. Default 32. */
  updatesPerSubmit?: number;
  /** Untiled GEMMs (fast on software adapters, slow on GPUs). Default: the adapter is software. */
  simpleGemm?: boolean;
  /** Kernels of the CPU mirror (acting, checkpoints). Default: plain TS. */
  mirrorKernels?: Kernels;
}

export interface TrainResult {
  /** Updates run by this call. */
  count: number;
  /** Metrics averaged over them. */
  mean: UpdateMetrics;
}

export interface GpuSacAgent extends Agent {
  readonly backend: 'webgpu';
  readonly gpu: GpuAdapterInfo;
  readonly config: ResolvedSacConfig;
  readonly updatesPerSubmit: number;
  /** The CPU copy: acts, saves, loads. */
  readonly mirror: SacAgent;
  /** Transitions in the GPU replay ring. */
  readonly replaySize: number;
  /** Appends n transitions (rows of obs, actions, nextObs) to the GPU replay ring. */
  addTransitions(
    obs: Float32Array,
    actions: Float32Array,
    rewards: ArrayLike<number>,
    nextObs: Float32Array,
    dones: ArrayLike<number | boolean>,
    n: number,
  ): void;
  /** Replaces the GPU ring's content (resume from a checkpoint that carried the CPU replay). */
  loadReplay(s: ReplayState): void;
  /** count updates from the GPU replay, in submits of updatesPerSubmit; refreshes the acting policy. */
  train(count: number): Promise<TrainResult>;
  /** One update from this batch (and, for parity tests, this noise instead of the GPU RNG). */
  updateWithBatch(b: Batch, noise?: { critic: Float32Array; actor: Float32Array }): Promise<UpdateMetrics>;
  /** Copies the full learner state back into the mirror; save() needs it after any update. */
  sync(): Promise<void>;
  dispose(): void;
}

interface Net {
  layout: MlpLayout;
  /** Per layer: outputs y and their gradients dy (z-pairs for the twin critics). */
  y: number[];
  dy: number[];
}

export async function createGpuSacAgent(config: SacConfig, ctx: GpuContext, opts: GpuSacOptions = {}): Promise<GpuSacAgent> {
  const cfg = resolveSacConfig(config);
  if (cfg.policy !== 'gaussian')
    throw new Error(`WebGPU backend: only the Gaussian policy head runs on the GPU (got '${cfg.policy}'); use --device cpu`);
  const U = opts.updatesPerSubmit ?? 32;
  if (!Number.isInteger(U) || U < 1 || U > 256) throw new Error(`updatesPerSubmit must be an integer in [1, 256], got ${U}`);
  const mirror = createSacAgent(cfg, opts.mirrorKernels);
  const dev = ctx.device;
  let lost: string | null = null;
  void dev.lost.then((i) => {
    lost = `WebGPU device lost: ${i.message || i.reason}`;
  });
  // A validation/out-of-memory error in a submit would otherwise leave silently stale results.
  const onError = (e: Event): void => {
    lost ??= `WebGPU error: ${(e as GPUUncapturedErrorEvent).error?.message ?? 'unknown'}`;
  };
  dev.addEventListener('uncapturederror', onError);
  const eng = new GpuEngine(dev, U);
  eng.simpleGemm = opts.simpleGemm ?? ctx.info.software;

  const O = cfg.obsDim,
    A = cfg.actDim,
    W = O + A,
    m = cfg.batchSize;
  const aLayout = mlpLayout([O, ...cfg.hidden, 2 * A]);
  const qLayout = mlpLayout([W, ...cfg.hidden, 1]);
  const qSize = qLayout.size;
  const mi = mirror.internals;
  if (mi.actor.size !== aLayout.size || mi.critics.size !== 2 * qSize) throw new Error('WebGPU learner: layout differs from the CPU agent');

  // ---- arena: same per-network layout as the CPU agent, so state copies are plain ranges ----
  const actor = { params: eng.alloc(aLayout.size), grads: eng.alloc(aLayout.size), m: eng.alloc(aLayout.size), v: eng.alloc(aLayout.size) };
  const critics = {
    params: eng.alloc(2 * qSize),
    grads: eng.alloc(2 * qSize),
    m: eng.alloc(2 * qSize),
    v: eng.alloc(2 * qSize),
    target: eng.alloc(2 * qSize),
  };
  const alphaOff = eng.alloc(4);
  const xq = eng.alloc(m * W), // [obs | act], then [obs | ã] in the actor phase
    xt = eng.alloc(m * W), // [nextObs | a']
    rew = eng.alloc(m),
    done = eng.alloc(m);
  const epsT = eng.alloc(m * A),
    uT = eng.alloc(m * A),
    logpT = eng.alloc(m),
    epsA = eng.alloc(m * A),
    uA = eng.alloc(m * A),
    logpA = eng.alloc(m);
  const rowLoss = eng.alloc(m),
    rowQ = eng.alloc(m),
    rowPi = eng.alloc(m);
  const stats = eng.alloc(U * 8);
  const acts = (layout: MlpLayout, z: number, grads: boolean): Net => ({
    layout,
    y: layout.layers.map((L) => eng.alloc(z * m * L.out)),
    dy: grads ? layout.layers.map((L) => eng.alloc(z * m * L.out)) : [],
  });
  const pol = acts(aLayout, 1, true); // shared by the s' and s passes (used one after the other)
  const tq = acts(qLayout, 2, false);
  const qq = acts(qLayout, 2, true);
  const dxq = eng.alloc(2 * m * W);

  // GPU replay ring: rows [obs | act | reward | nextObs | done].
  const S = transitionRowFloats(O, A);
  const capacity = opts.replayCapacity ?? 1_000_000;
  let ring: GPUBuffer | null = null;
  if (capacity > 0) {
    const bytes = capacity * S * 4;
    if (bytes > dev.limits.maxStorageBufferBindingSize)
      throw new Error(
        `WebGPU: a replay of ${capacity} transitions needs ${(bytes / 2 ** 20).toFixed(0)} MiB, over this device's ${dev.limits.maxStorageBufferBindingSize / 2 ** 20} MiB per buffer; lower the replay size`,
      );
    ring = dev.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    eng.setReplayBuffer(ring);
  }
  eng.build();

  // ---- the update program ----
  const seed = gpuSeed(cfg.seed);
  const lastL = aLayout.layers.length - 1;

  /** Forward of one network (z = 1 or the critic pair) from input x (row stride ldx, z-stride zx). */
  function forward(net: Net, params: number, zParams: number, x: number, ldx: number, zx: number, z: number): Op[] {
    return net.layout.layers.map((L, l) =>
      eng.gemm({
        a: l === 0 ? x : net.y[l - 1]!,
        lda: l === 0 ? ldx : L.in,
        zA: l === 0 ? zx : m * L.in,
        b: params + L.w,
        zB: zParams,
        bias: params + L.b,
        zBias: zParams,
        c: net.y[l]!,
        zC: m * L.out,
        M: m,
        N: L.out,
        K: L.in,
        ldb: L.out,
        ldc: L.out,
        relu: l < net.layout.layers.length - 1,
        batch: z,
      }),
    );
  }

  /** Parameter gradients (dW with the bias gradient fused) of the last forward, and dY of hidden layers. */
  function backwardParams(net: Net, params: number, grads: number, zP: number, x: number, ldx: number, zx: number, z: number): Op[] {
    const ops: Op[] = [];
    for (let l = net.layout.layers.length - 1; l >= 0; l--) {
      const L = net.layout.layers[l]!;
      ops.push(
        eng.gemm({
          a: l === 0 ? x : net.y[l - 1]!,
          lda: l === 0 ? ldx : L.in,
          zA: l === 0 ? zx : m * L.in,
          transA: true,
          b: net.dy[l]!,
          zB: m * L.out,
          ldb: L.out,
          c: grads + L.w,
          zC: zP,
          biasGradOut: grads + L.b,
          zBias: zP,
          M: L.in,
          N: L.out,
          K: m,
          ldc: L.out,
          batch: z,
        }),
      );
      if (l > 0) ops.push(hiddenGrad(net, params, zP, l, z));
    }
    return ops;
  }

  /** dY[l−1] = dY[l]·W[l]ᵀ masked by ReLU(y[l−1]) > 0. */
  function hiddenGrad(net: Net, params: number, zP: number, l: number, z: number): Op {
    const L = net.layout.layers[l]!;
    return eng.gemm({
      a: net.dy[l]!,
      zA: m * L.out,
      lda: L.out,
      b: params + L.w,
      zB: zP,
      ldb: L.out,
      transB: true,
      c: net.dy[l - 1]!,
      zC: m * L.in,
      mask: net.y[l - 1]!,
      zMask: m * L.in,
      M: m,
      N: L.in,
      K: L.out,
      ldc: L.in,
      batch: z,
    });
  }

  const head = eng.pipeline('headSample', () => HEAD_SAMPLE);
  const groupsRows: [number, number, number] = [Math.ceil(m / 64), 1, 1];
  const sample = (x: number, eps: number, u: number, logp: number, stream: number, drawNoise: boolean): Op =>
    eng.op(head, [pol.y[lastL]!, x, eps, u, logp, m, A, W, O, drawNoise ? 1 : 0, seed, stream], groupsRows);

  function program(fromReplay: boolean, drawNoise: boolean): Op[] {
    const ops: Op[] = [];
    const qLast = qLayout.layers.length - 1;
    const L0 = qLayout.layers[0]!;
    if (fromReplay)
      ops.push(
        eng.op(
          eng.pipeline('gather', () => GATHER),
          [xq, xt, rew, done, m, O, A, seed],
          [Math.min(4096, Math.ceil((m * S) / 256)), 1, 1],
        ),
      );
    // critic phase: a' ~ π(·|s'), targets, twin critic losses and gradients, Adam
    ops.push(...forward(pol, actor.params, 0, xt, W, 0, 1));
    ops.push(sample(xt, epsT, uT, logpT, 0, drawNoise));
    ops.push(...forward(tq, critics.target, qSize, xt, W, 0, 2));
    ops.push(...forward(qq, critics.params, qSize, xq, W, 0, 2));
    ops.push(
      eng.op(
        eng.pipeline('criticLoss', () => CRITIC_LOSS),
        [
          tq.y[qLast]!,
          tq.y[qLast]! + m,
          logpT,
          rew,
          done,
          qq.y[qLast]!,
          qq.y[qLast]! + m,
          qq.dy[qLast]!,
          qq.dy[qLast]! + m,
          rowLoss,
          rowQ,
          m,
          alphaOff,
          new F(cfg.gamma),
          new F(1 / m),
        ],
        groupsRows,
      ),
    );
    ops.push(...backwardParams(qq, critics.params, critics.grads, qSize, xq, W, 0, 2));
    ops.push(eng.adam(critics.params, critics.grads, critics.m, critics.v, 2 * qSize, cfg.criticLr, B1, B2, ADAM_EPS));
    // actor phase: ã = tanh(mu + σε) on s, through the updated critics
    ops.push(...forward(pol, actor.params, 0, xq, W, 0, 1));
    ops.push(sample(xq, epsA, uA, logpA, 1, drawNoise));
    ops.push(...forward(qq, critics.params, qSize, xq, W, 0, 2));
    ops.push(
      eng.op(
        eng.pipeline('actorLoss', () => ACTOR_LOSS),
        [qq.y[qLast]!, qq.y[qLast]! + m, logpA, qq.dy[qLast]!, qq.dy[qLast]! + m, rowPi, m, alphaOff, new F(1 / m)],
        groupsRows,
      ),
    );
    for (let l = qLast; l > 0; l--) ops.push(hiddenGrad(qq, critics.params, qSize, l, 2));
    // dJ/dã: only the action columns of the critics' input gradient are needed
    ops.push(
      eng.gemm({
        a: qq.dy[0]!,
        zA: m * L0.out,
        lda: L0.out,
        b: critics.params + L0.w + O * L0.out,
        zB: qSize,
        ldb: L0.out,
        transB: true,
        c: dxq + O,
        zC: m * W,
        ldc: W,
        M: m,
        N: A,
        K: L0.out,
        batch: 2,
      }),
    );
    ops.push(
      eng.op(
        eng.pipeline('headBackward', () => HEAD_BACKWARD),
        [pol.y[lastL]!, epsA, uA, dxq, dxq + m * W, pol.dy[lastL]!, m, A, W, O, alphaOff, new F(1 / m)],
        groupsRows,
      ),
    );
    ops.push(...backwardParams(pol, actor.params, actor.grads, 0, xq, W, 0, 1));
    ops.push(eng.adam(actor.params, actor.grads, actor.m, actor.v, aLayout.size, cfg.actorLr, B1, B2, ADAM_EPS));
    ops.push(
      eng.op(
        eng.pipeline('alphaStats', () => ALPHA_STATS),
        [
          rowLoss,
          rowQ,
          rowPi,
          logpA,
          m,
          alphaOff,
          stats,
          cfg.autoAlpha ? 1 : 0,
          new F(cfg.targetEntropy),
          new F(cfg.alphaLr),
          new F(B1),
          new F(B2),
          new F(ADAM_EPS),
          new F(1 - B1),
          new F(1 - B2),
          new F(1 / m),
        ],
        [1, 1, 1],
      ),
    );
    ops.push(eng.polyak(critics.target, critics.params, 2 * qSize, cfg.tau));
    return ops;
  }

  const progReplay = ring ? program(true, true) : [];
  const progBatch = program(false, true);
  const progBatchNoise = program(false, false);
  await eng.check(() => eng.submit([], 0)); // surfaces shader/pipeline errors here, with their message

  // ---- state transfer ----
  const cf = () => mirror.kernels.f32;
  const ranges = (): [number, number, number][] => [
    [mi.actor.params, actor.params, aLayout.size],
    [mi.actor.m, actor.m, aLayout.size],
    [mi.actor.v, actor.v, aLayout.size],
    [mi.critics.params, critics.params, 2 * qSize],
    [mi.critics.m, critics.m, 2 * qSize],
    [mi.critics.v, critics.v, 2 * qSize],
    [mi.critics.target, critics.target, 2 * qSize],
    [mi.alphaOff, alphaOff, 4],
  ];
  const upload = (): void => {
    for (const [c, g, n] of ranges()) eng.write(g, cf().subarray(c, c + n));
  };
  upload();

  let updates = mirror.updates;
  let adamStep = updates;
  let alphaStep = mirror.internals.phases.counters().alphaStep;
  let dirty = false;
  let busy = false;
  let lastAlpha = mirror.alpha ?? cfg.initAlpha;

  // readbacks of every submit: the stats slots and the policy weights (refreshes acting)
  const statsBuf = eng.readBuffer(U * 8);
  const polBuf = dev.createBuffer({ size: aLayout.size * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const statsOut = new Float32Array(U * 8);
  const copies = [
    { src: stats, len: U * 8, dst: statsBuf },
    { src: actor.params, len: aLayout.size, dst: polBuf },
  ];
  const mean: UpdateMetrics = { qLoss: 0, policyLoss: 0, alpha: 0, alphaLoss: 0, entropy: 0, qMean: 0 };
  const result: TrainResult = { count: 0, mean };

  // replay ring bookkeeping (host side) and a reused staging array for new rows
  let ringPtr = 0,
    ringCount = 0;
  let staging = new Float32Array(0);

  function setSlots(n: number): void {
    for (let s = 0; s < n; s++) {
      const { c1, c2 } = adamCorrections(adamStep + s + 1, B1, B2);
      const a = adamCorrections(alphaStep + s + 1, B1, B2);
      eng.setSlot(s, { ctr: updates + s, slot: s, c1, c2, c1a: a.c1, c2a: a.c2, count: ringCount });
    }
  }

  async function run(prog: Op[], n: number): Promise<void> {
    if (lost) throw new Error(lost);
    setSlots(n);
    eng.submit(prog, n, copies);
    await Promise.all([eng.readInto(statsBuf, n * 8, statsOut), polBuf.mapAsync(GPUMapMode.READ)]);
    cf().set(new Float32Array(polBuf.getMappedRange()), mi.actor.params);
    polBuf.unmap();
    if (lost) throw new Error(lost);
    updates += n;
    adamStep += n;
    if (cfg.autoAlpha) alphaStep += n;
    dirty = true;
  }

  function accumulate(n: number): void {
    for (let s = 0; s < n; s++) {
      const o = s * 8;
      mean.qLoss += statsOut[o]!;
      mean.policyLoss += statsOut[o + 1]!;
      mean.alpha += statsOut[o + 2]!;
      mean.alphaLoss += statsOut[o + 3]!;
      mean.entropy += statsOut[o + 4]!;
      mean.qMean += statsOut[o + 5]!;
    }
    lastAlpha = statsOut[(n - 1) * 8 + 2]!;
  }

  function guard(): void {
    if (busy) throw new Error('WebGPU learner: a previous train()/sync() has not finished (await it first)');
  }

  function writeRows(first: number, rows: Float32Array, n: number): void {
    // a ring write that wraps is two writes
    const k = Math.min(n, capacity - first);
    dev.queue.writeBuffer(ring!, first * S * 4, rows.buffer, rows.byteOffset, k * S * 4);
    if (k < n) dev.queue.writeBuffer(ring!, 0, rows.buffer, rows.byteOffset + k * S * 4, (n - k) * S * 4);
  }

  const snapshotStep = (p: PolicySnapshot): PolicySnapshot => ({ ...p, step: updates });

  const agent: GpuSacAgent = {
    algo: 'sac',
    backend: 'webgpu',
    gpu: ctx.info,
    obsDim: O,
    actDim: A,
    config: cfg,
    updatesPerSubmit: U,
    mirror,
    get updates() {
      return updates;
    },
    get alpha() {
      return lastAlpha;
    },
    get replaySize() {
      return ringCount;
    },
    act: (obs: Float32Array, o?: ActOptions) => mirror.act(obs, o),
    actBatch: (obs: Float32Array, n: number, o?: ActOptions) => mirror.actBatch(obs, n, o),
    sampleActions: (obs: Float32Array, k: number, o?: ActOptions) => mirror.sampleActions(obs, k, o),
    // the critics of the last sync() (the energy view reads checkpoints, which are synced)
    qValues: (obs: Float32Array, actions: Float32Array, k: number) => mirror.qValues(obs, actions, k),
    update(): UpdateMetrics {
      throw new Error('WebGPU learner: update() would block on the GPU; use train(count) or updateWithBatch(batch)');
    },
    exportPolicy: () => snapshotStep(mirror.exportPolicy()),
    save(): Checkpoint {
      if (dirty) throw new Error('WebGPU learner: call sync() before save() (the GPU holds newer state)');
      const c = mirror.save();
      c.meta.step = updates;
      c.meta.extra = { ...c.meta.extra, updates, adamStep, alphaAdamStep: alphaStep };
      c.meta.versions = { ...c.meta.versions, kernels: 'webgpu' };
      return c;
    },
    load(c: Checkpoint): void {
      guard();
      mirror.load(c);
      upload();
      updates = mirror.updates;
      const ns = c.meta.extra?.['adamStep'];
      adamStep = typeof ns === 'number' ? ns : updates;
      alphaStep = mirror.internals.phases.counters().alphaStep;
      lastAlpha = mirror.alpha ?? lastAlpha;
      dirty = false;
    },
    addTransitions(obs, actions, rewards, nextObs, dones, n) {
      if (!ring) throw new Error('WebGPU learner: created without a replay ring');
      if (n <= 0) return;
      if (obs.length < n * O || nextObs.length < n * O || actions.length < n * A || rewards.length < n || dones.length < n)
        throw new Error(`addTransitions: arrays too short for n=${n} (obsDim ${O}, actDim ${A})`);
      if (staging.length < n * S) staging = new Float32Array(n * S); // grows once to the env count
      packTransitionRows(staging, { obs, actions, rewards, nextObs, dones }, 0, n, O, A);
      // more rows than the ring holds: only the newest land, as in ReplayBuffer
      const skip = Math.max(0, n - capacity);
      writeRows((ringPtr + skip) % capacity, skip ? staging.subarray(skip * S) : staging, n - skip);
      ringPtr = (ringPtr + n) % capacity;
      ringCount = Math.min(capacity, ringCount + n);
    },
    loadReplay(s: ReplayState) {
      if (!ring) throw new Error('WebGPU learner: created without a replay ring');
      if (s.obsDim !== O || s.actDim !== A) throw new Error(`loadReplay: dims ${s.obsDim}/${s.actDim} do not match ${O}/${A}`);
      const n = Math.min(s.size, capacity);
      const chunk = 4096;
      const rows = new Float32Array(chunk * S);
      const t = s.tensors;
      for (let i0 = 0; i0 < n; i0 += chunk) {
        const k = Math.min(chunk, n - i0);
        packTransitionRows(rows, t, i0, k, O, A);
        dev.queue.writeBuffer(ring, i0 * S * 4, rows.buffer, 0, k * S * 4);
      }
      ringCount = n;
      ringPtr = s.size <= capacity && s.capacity === capacity ? s.ptr % capacity : n % capacity;
    },
    async train(count: number): Promise<TrainResult> {
      guard();
      if (!ring || ringCount === 0) throw new Error('WebGPU learner: the replay ring is empty');
      busy = true;
      try {
        mean.qLoss = mean.policyLoss = mean.alpha = mean.alphaLoss = mean.entropy = mean.qMean = 0;
        let ran = 0;
        while (ran < count) {
          const n = Math.min(U, count - ran);
          await run(progReplay, n);
          accumulate(n);
          ran += n;
        }
        if (ran > 0) {
          mean.qLoss /= ran;
          mean.policyLoss /= ran;
          mean.alpha /= ran;
          mean.alphaLoss /= ran;
          mean.entropy /= ran;
          mean.qMean /= ran;
        }
        result.count = ran;
        return result;
      } finally {
        busy = false;
      }
    },
    async updateWithBatch(b: Batch, noise?: { critic: Float32Array; actor: Float32Array }): Promise<UpdateMetrics> {
      guard();
      validateBatch(b, O, A);
      if (b.size !== m) throw new Error(`updateWithBatch: the WebGPU learner is built for batch ${m}, got ${b.size}`);
      busy = true;
      try {
        const x = new Float32Array(m * W),
          xn = new Float32Array(m * W);
        for (let i = 0; i < m; i++) {
          x.set(b.obs.subarray(i * O, i * O + O), i * W);
          x.set(b.actions.subarray(i * A, i * A + A), i * W + O);
          xn.set(b.nextObs.subarray(i * O, i * O + O), i * W);
        }
        eng.write(xq, x);
        eng.write(xt, xn);
        eng.write(rew, b.rewards.subarray(0, m));
        eng.write(done, b.dones.subarray(0, m));
        if (noise) {
          eng.write(epsT, noise.critic.subarray(0, m * A));
          eng.write(epsA, noise.actor.subarray(0, m * A));
        }
        await run(noise ? progBatchNoise : progBatch, 1);
        const s = statsOut;
        lastAlpha = s[2]!;
        return { qLoss: s[0]!, policyLoss: s[1]!, alpha: s[2]!, alphaLoss: s[3]!, entropy: s[4]!, qMean: s[5]! };
      } finally {
        busy = false;
      }
    },
    async sync(): Promise<void> {
      guard();
      busy = true;
      try {
        for (const [c, g, n] of ranges()) cf().set(await eng.read(g, n), c);
        dirty = false;
      } finally {
        busy = false;
      }
    },
    dispose(): void {
      dev.removeEventListener('uncapturederror', onError);
      ring?.destroy();
      polBuf.destroy();
      eng.destroy();
    },
  };
  return agent;
}

/** The RNG key of the GPU learner for a config seed (tests rebuild its batches with rndHash). */
export function gpuSeed(seed: number): number {
  return Math.imul(seed | 0, 0x9e3779b1) >>> 0;
}

/** True for the WebGPU learner (its updates are asynchronous: train(), not update()). */
export function isGpuSacAgent(a: Agent): a is GpuSacAgent {
  return (a as Partial<GpuSacAgent>).backend === 'webgpu';
}
