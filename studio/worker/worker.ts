// worker_threads entry: runs one training job and reports to the host through postMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { runTraining } from './train-loop.ts';
import type { WorkerInit, WorkerMessage } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('studio/worker/worker.ts must run inside a worker thread');
const init = workerData as WorkerInit;
const post = (m: WorkerMessage): void => port.postMessage(m);

runTraining(init.job, {
  control: new Int32Array(init.control),
  onMetrics: (row) => post({ type: 'metrics', row }),
  onSnapshot: (snap) => post({ type: 'snapshot', snap }),
  onCheckpoint: (step) => post({ type: 'checkpoint', step }),
  onStatus: (status, step) => post({ type: 'status', status, step }),
  onLog: (level, message) => post({ type: 'log', level, message }),
})
  .then((result) => post({ type: 'done', result }))
  .catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
