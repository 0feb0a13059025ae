// A shard worker of the data-parallel SAC learner: its own kernels and full copy of the agent,
// driven through the shared memory by commands from the owning thread (parallel-sac.ts).
// Errors go to the owner over `port` (read synchronously there: the owner may be blocked in a
// barrier), and the failed flag makes every barrier throw instead of waiting for this worker.
import { workerData, type MessagePort } from 'node:worker_threads';
import { createTsKernels } from '../nn/ts-kernels.ts';
import { createWasmKernels } from '../nn/wasm/wasm-kernels.ts';
import { createSacAgent, type SacConfig } from './sac.ts';
import {
  CMD_CHECKSUM,
  CMD_QUIT,
  CMD_RNG,
  CMD_SET_RNG,
  CMD_SYNC,
  CMD_UPDATE,
  CTL_CMD,
  barrier,
  mapShardMemory,
  markFailed,
  type ShardDims,
} from './shard-memory.ts';
import { ShardParticipant } from './shard-participant.ts';

export interface ShardWorkerInit {
  config: SacConfig;
  kernels: 'wasm' | 'ts';
  dims: ShardDims;
  sab: SharedArrayBuffer;
  index: number;
  port: MessagePort;
}

const init = workerData as ShardWorkerInit;

// No top-level await: the Electron build bundles this file as CommonJS.
async function main(): Promise<void> {
  const mem = mapShardMemory(init.dims, init.sab);
  try {
    const kernels = init.kernels === 'wasm' ? await createWasmKernels() : createTsKernels();
    const me = new ShardParticipant(createSacAgent(init.config, kernels), mem, init.index);
    const T = init.dims.threads;
    init.port.postMessage({ type: 'ready', kernels: kernels.detail ?? kernels.name });
    for (let running = true; running;) {
      barrier(mem.ctl, T); // the owner posted a command
      switch (mem.ctl[CTL_CMD]) {
        case CMD_UPDATE:
          me.update();
          break;
        case CMD_SYNC:
          me.unpackState();
          barrier(mem.ctl, T);
          break;
        case CMD_SET_RNG:
          me.setRngFromSlot();
          barrier(mem.ctl, T);
          break;
        case CMD_RNG:
          me.writeRng();
          barrier(mem.ctl, T);
          break;
        case CMD_CHECKSUM:
          mem.f64[mem.scalarBase(init.index)] = me.checksum();
          barrier(mem.ctl, T);
          break;
        case CMD_QUIT:
          running = false;
          break;
      }
    }
  } catch (e) {
    init.port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    markFailed(mem.ctl, init.index);
  }
  init.port.close();
}

void main();
