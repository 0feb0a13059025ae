// Messages a training worker posts to its host. The host checks each one's shape before use.
import type { PolicySnapshot } from '../../agents/agent.ts';
import type { MetricRow } from '../api.ts';
import type { TrainJob, TrainResult } from './train-loop.ts';

export interface WorkerInit {
  job: TrainJob;
  control: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'metrics'; row: MetricRow }
  | { type: 'snapshot'; snap: PolicySnapshot }
  | { type: 'status'; status: 'running' | 'paused' | 'stopped' | 'finished'; step: number }
  | { type: 'checkpoint'; step: number }
  | { type: 'done'; result: TrainResult }
  | { type: 'error'; message: string }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

const TYPES = new Set(['metrics', 'snapshot', 'status', 'checkpoint', 'done', 'error', 'log']);

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (typeof t !== 'string' || !TYPES.has(t)) return false;
  const o = m as Record<string, unknown>;
  switch (t) {
    case 'metrics':
      return typeof o.row === 'object' && o.row !== null && typeof (o.row as MetricRow).step === 'number';
    case 'snapshot':
      return typeof o.snap === 'object' && o.snap !== null && (o.snap as PolicySnapshot).params instanceof Float32Array;
    case 'status':
    case 'checkpoint':
      return typeof o.step === 'number';
    case 'done':
      return typeof o.result === 'object' && o.result !== null;
    case 'error':
      return typeof o.message === 'string';
    case 'log':
      return (o.level === 'info' || o.level === 'warn') && typeof o.message === 'string';
  }
  return false;
}
