// Host side of a training worker: spawns it, relays its validated messages, and controls it
// (pause/resume/stop) through a shared control word so the loop never waits on the host.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { PolicySnapshot } from '../../agents/agent.ts';
import type { MetricRow } from '../api.ts';
import { CONTROL, type TrainJob, type TrainResult } from './train-loop.ts';
import { isWorkerMessage, type WorkerInit } from './protocol.ts';

/** Where the worker entry lives; the Electron build points this at its bundled worker. */
export let workerEntry: URL = new URL('./bootstrap.mjs', import.meta.url);
export function setWorkerEntry(url: URL): void {
  workerEntry = url;
}

export interface TrainingEvents {
  metrics: [MetricRow];
  snapshot: [PolicySnapshot];
  status: ['running' | 'paused' | 'stopped' | 'finished', number];
  checkpoint: [number];
  log: ['info' | 'warn', string];
}

export class TrainingHandle extends EventEmitter<TrainingEvents> {
  readonly done: Promise<TrainResult>;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;

  constructor(readonly job: TrainJob) {
    super();
    const init: WorkerInit = { job, control: this.control.buffer as SharedArrayBuffer };
    this.worker = new Worker(workerEntry, { workerData: init });
    this.done = new Promise<TrainResult>((resolve, reject) => {
      let settled = false;
      this.worker.on('message', (m: unknown) => {
        if (!isWorkerMessage(m)) {
          // A worker that breaks the protocol is not trusted to go on training (or to hold a slot).
          settled = true;
          reject(new Error(`training worker for ${job.runId} sent an invalid message`));
          void this.worker.terminate();
          return;
        }
        switch (m.type) {
          case 'metrics':
            this.emit('metrics', m.row);
            break;
          case 'snapshot':
            this.emit('snapshot', m.snap);
            break;
          case 'status':
            this.emit('status', m.status, m.step);
            break;
          case 'checkpoint':
            this.emit('checkpoint', m.step);
            break;
          case 'log':
            this.emit('log', m.level, m.message);
            break;
          case 'done':
            settled = true;
            resolve(m.result);
            void this.worker.terminate();
            break;
          case 'error':
            settled = true;
            reject(new Error(m.message));
            void this.worker.terminate();
            break;
        }
      });
      this.worker.on('error', (e) => {
        settled = true;
        reject(e);
      });
      this.worker.on('exit', (code) => {
        if (!settled) reject(new Error(`training worker for ${job.runId} exited with code ${code}`));
      });
    });
    // A rejection is handled by whoever awaits `done`; avoid an unhandled-rejection crash meanwhile.
    this.done.catch(() => undefined);
  }

  pause(): void {
    Atomics.store(this.control, 0, CONTROL.pause);
  }

  resume(): void {
    Atomics.store(this.control, 0, CONTROL.run);
    Atomics.notify(this.control, 0);
  }

  /** Asks the loop to checkpoint and stop; resolves when it has. */
  stop(): Promise<TrainResult> {
    Atomics.store(this.control, 0, CONTROL.stop);
    Atomics.notify(this.control, 0);
    return this.done;
  }
}
