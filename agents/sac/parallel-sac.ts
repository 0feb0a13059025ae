// Data-parallel SAC on CPU threads: the batch is split into one shard per thread, each thread
// computes its shard's gradients with its own kernels and copy of the networks, and all of them
// apply the same shard-size-weighted average (shard-participant.ts). The owning thread is
// participant 0 and keeps the agent that acts, exports and checkpoints; shard workers follow it
// through shared memory. The result is the single-threaded update up to float summation order
// and the noise stream: each shard draws its own ε from its own RNG (seeded from the run's seed
// and the shard index), so a run is reproducible for a given thread count.
//
// Used when a start-up measurement shows a gain (studio/backend.ts): on this project's 2-vCPU dev
// machine the two cores run two update loops at ~82 % of one each.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Agent, Batch, Checkpoint, UpdateMetrics } from '../agent.ts';
import { validateBatch } from '../agent-buffers.ts';
import type { Kernels } from '../nn/kernels.ts';
import { createRng } from '../rng.ts';
import { createSacAgent, type SacAgent, type SacConfig } from './sac.ts';
import {
  CMD_CHECKSUM,
  CMD_QUIT,
  CMD_RNG,
  CMD_SET_RNG,
  CMD_SYNC,
  CMD_UPDATE,
  CTL_CMD,
  CTL_ROWS,
  S_LOGP,
  S_PLOSS,
  S_QLOSS,
  S_QMEAN,
  S_RNG,
  ShardFailure,
  barrier,
  mapShardMemory,
  markFailed,
  writeBatch,
  type ShardMemory,
} from './shard-memory.ts';
import { ShardParticipant } from './shard-participant.ts';
import type { ShardWorkerInit } from './shard-worker.ts';

/** Fewer rows than this per shard and the update runs on the owner alone (then re-syncs). */
const MIN_SHARD_ROWS = 8;

export interface ParallelSacAgent extends SacAgent {
  readonly threads: number;
  /** Checksums of every participant's networks (owner first): all equal while in sync. Tests. */
  checksums(): number[];
  /** Stops the shard workers. The agent must not be updated afterwards. */
  dispose(): void;
}

export function isParallelSacAgent(a: Agent): a is ParallelSacAgent {
  return typeof (a as Partial<ParallelSacAgent>).checksums === 'function';
}

/** Where the shard worker lives: a bundled build ships shard-worker.cjs beside its bundle. */
function workerEntry(): URL {
  const bundled = new URL('./shard-worker.cjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./shard-bootstrap.mjs', import.meta.url);
}

/** Each shard's update-noise seed: distinct per shard, fixed by the run's seed. */
function shardSeed(seed: number, index: number): number {
  return (seed * 1_000_003 + index * 7_919) % 2_147_483_647;
}

function takeMessages(port: MessagePort): string[] {
  const out: string[] = [];
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const msg = m.message as { type?: string; message?: string };
    if (msg.type === 'error') out.push(String(msg.message));
  }
  return out;
}

export async function createParallelSacAgent(config: SacConfig, kernels: Kernels, opts: { threads: number }): Promise<ParallelSacAgent> {
  const T = opts.threads;
  if (!Number.isInteger(T) || T < 2 || T > 64) throw new Error(`parallel SAC: threads must be an integer in [2, 64], got ${T}`);
  const main = createSacAgent(config, kernels);
  const cfg = main.config;
  const { actor, critics } = main.internals;
  const dims = {
    obsDim: cfg.obsDim,
    actDim: cfg.actDim,
    maxRows: cfg.batchSize,
    threads: T,
    criticSize: critics.size,
    actorSize: actor.size,
  };
  const mem: ShardMemory = mapShardMemory(dims);
  const me = new ShardParticipant(main, mem, 0);

  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  const ready: Promise<void>[] = [];
  for (let s = 1; s < T; s++) {
    const { port1, port2 } = new MessageChannel();
    const init: ShardWorkerInit = {
      config: { ...config, seed: shardSeed(cfg.seed, s) },
      kernels: kernels.name === 'wasm' ? 'wasm' : 'ts', // the owner's build, chosen the same way
      dims,
      sab: mem.sab,
      index: s,
      port: port2,
    };
    const w = new Worker(workerEntry(), { workerData: init, transferList: [port2] });
    workers.push(w);
    ports.push(port1);
    ready.push(
      new Promise<void>((resolve, reject) => {
        port1.once('message', (m: { type?: string; message?: string }) =>
          m.type === 'ready' ? resolve() : reject(new Error(`parallel SAC: shard worker ${s} failed to start: ${m.message}`)),
        );
        w.once('error', (e) => reject(new Error(`parallel SAC: shard worker ${s} failed to start: ${e.message}`)));
        w.once('exit', (code) => reject(new Error(`parallel SAC: shard worker ${s} exited (code ${code}) before it was ready`)));
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (e) {
    for (const w of workers) void w.terminate();
    throw e;
  }
  for (const w of workers) {
    w.removeAllListeners('exit');
    w.removeAllListeners('error');
    w.on('error', () => {}); // reported through the port and the failed flag
    w.unref(); // idle workers never keep the process alive
  }
  for (const p of ports) p.unref();

  let broken: Error | null = null;
  let needSync = true;

  /** Posts a command and waits for the workers to take it (and, with `ack`, to finish it). */
  function command(cmd: number, ack: boolean): void {
    if (broken) throw broken;
    try {
      mem.ctl[CTL_CMD] = cmd;
      barrier(mem.ctl, T);
      if (ack) barrier(mem.ctl, T);
    } catch (e) {
      throw fail(e);
    }
  }

  function fail(e: unknown): Error {
    markFailed(mem.ctl, 0);
    const reasons = ports.flatMap(takeMessages);
    const why = e instanceof ShardFailure && reasons.length ? reasons.join('; ') : e instanceof Error ? e.message : String(e);
    broken = new Error(`data-parallel SAC (${T} threads) stopped: ${why}`);
    for (const w of workers) void w.terminate();
    return broken;
  }

  function sync(): void {
    me.packState();
    command(CMD_SYNC, true);
    needSync = false;
  }

  function update(b: Batch): UpdateMetrics {
    if (broken) throw broken;
    validateBatch(b, cfg.obsDim, cfg.actDim);
    if (b.size > cfg.batchSize || b.size < MIN_SHARD_ROWS * T) {
      // Too big for the shared batch or too small to split: the owner alone, then re-sync.
      needSync = true;
      return main.update(b);
    }
    if (needSync) sync();
    writeBatch(mem, b, b.size);
    mem.ctl[CTL_ROWS] = b.size;
    command(CMD_UPDATE, false);
    try {
      me.update();
    } catch (e) {
      throw fail(e);
    }
    return {
      qLoss: me.weighted(S_QLOSS),
      policyLoss: me.weighted(S_PLOSS),
      alpha: Math.exp(kernels.f32[main.internals.alphaOff]!),
      alphaLoss: me.lastAlphaLoss,
      entropy: -me.weighted(S_LOGP),
      qMean: me.weighted(S_QMEAN),
    };
  }

  const agent: ParallelSacAgent = {
    ...main,
    get updates() {
      return main.updates;
    },
    get alpha() {
      return main.alpha;
    },
    threads: T,
    update,
    save(): Checkpoint {
      const c = main.save();
      if (!broken) {
        command(CMD_RNG, true);
        c.meta.extra = { ...c.meta.extra, shardRng: Array.from({ length: T - 1 }, (_, i) => me.readRng(i + 1)) };
      }
      return c;
    },
    load(c: Checkpoint): void {
      main.load(c);
      needSync = true;
      const saved = c.meta.extra?.['shardRng'];
      const ok =
        Array.isArray(saved) &&
        saved.length === T - 1 &&
        saved.every((r) => Array.isArray(r) && r.length === 4 && r.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32));
      // Without saved shard RNGs (another thread count, or a single-threaded run), reseed them
      // from the run's seed and step, so the continuation is still reproducible.
      for (let s = 1; s < T; s++) {
        const state = ok ? (saved[s - 1] as number[]) : createRng(shardSeed(cfg.seed + main.updates, s)).getState();
        state.forEach((v, i) => (mem.f64[mem.scalarBase(s) + S_RNG + i] = v));
      }
      command(CMD_SET_RNG, true);
    },
    checksums(): number[] {
      if (needSync) sync();
      command(CMD_CHECKSUM, true);
      return [me.checksum(), ...Array.from({ length: T - 1 }, (_, i) => mem.f64[mem.scalarBase(i + 1)]!)];
    },
    dispose(): void {
      if (!broken) {
        try {
          command(CMD_QUIT, false);
        } catch {
          /* already reported */
        }
      }
      for (const w of workers) void w.terminate();
      broken ??= new Error('data-parallel SAC: disposed');
    },
  };
  return agent;
}
