// The host trusts no worker message before its shape is checked.
import { expect, it } from 'vitest';
import { isWorkerMessage } from './protocol.ts';

it('accepts well-formed worker messages and rejects malformed ones', () => {
  expect(isWorkerMessage({ type: 'log', level: 'info', message: 'training on cpu-wasm-simd: …' })).toBe(true);
  expect(isWorkerMessage({ type: 'log', level: 'warn', message: 'x' })).toBe(true);
  expect(isWorkerMessage({ type: 'log', level: 'debug', message: 'x' })).toBe(false);
  expect(isWorkerMessage({ type: 'log', level: 'info', message: 3 })).toBe(false);
  expect(isWorkerMessage({ type: 'metrics', row: { step: 10 } })).toBe(true);
  expect(isWorkerMessage({ type: 'metrics', row: { step: '10' } })).toBe(false);
  expect(isWorkerMessage({ type: 'status', status: 'running', step: 0 })).toBe(true);
  expect(isWorkerMessage({ type: 'error' })).toBe(false);
  expect(isWorkerMessage({ type: 'unknown' })).toBe(false);
  expect(isWorkerMessage(null)).toBe(false);
});
