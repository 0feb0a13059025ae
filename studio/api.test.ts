import { describe, expect, it } from 'vitest';
import { validateRequest } from './api.ts';

describe('StudioApi message validation', () => {
  it('accepts a well-formed request', () => {
    const r = validateRequest({ id: 3, method: 'startRun', params: ['multigoal', { steps: 1000, seed: 2 }] });
    expect(r.method).toBe('startRun');
    expect(r.params[1]).toEqual({ steps: 1000, seed: 2 });
  });

  it('names the unknown method', () => {
    expect(() => validateRequest({ id: 1, method: 'rm -rf', params: [] })).toThrow(/unknown method "rm -rf"/);
  });

  it('names the bad field and the allowed range', () => {
    expect(() => validateRequest({ id: 1, method: 'startRun', params: ['multigoal', { steps: -5 }] })).toThrow(
      /startRun\[1\]\.steps: expected an integer >= 1/,
    );
    expect(() => validateRequest({ id: 1, method: 'startRun', params: ['multigoal', { stepz: 5 }] })).toThrow(/stepz: unknown field/);
    expect(() => validateRequest({ id: 1, method: 'viewer.ghosts', params: [1000, 10] })).toThrow(
      /viewer\.ghosts\[0\]: expected an integer >= 1 <= 64, got 1000/,
    );
    expect(() => validateRequest({ id: 1, method: 'getRun', params: ['../../etc'] })).toThrow(/getRun\[0\]: expected a string matching/);
    expect(() => validateRequest({ id: 1, method: 'deleteRun', params: ['..'] })).toThrow(/deleteRun\[0\]: expected a string matching/);
    expect(() => validateRequest({ id: 1, method: 'deleteRun', params: ['.'] })).toThrow(/deleteRun\[0\]: expected a string matching/);
  });

  it('rejects malformed envelopes', () => {
    expect(() => validateRequest(null)).toThrow(/request: expected an object/);
    expect(() => validateRequest({ id: 'x', method: 'listRuns', params: [] })).toThrow(/request\.id: expected an integer/);
    expect(() => validateRequest({ id: 1, method: 'listRuns', params: [1] })).toThrow(
      /listRuns: expected an array .* with at most 0 items/,
    );
    expect(() => validateRequest({ id: 1, method: 'getRun', params: ['a', 'b'] })).toThrow(/at most 1 params/);
  });

  it('rejects non-finite numbers', () => {
    expect(() => validateRequest({ id: 1, method: 'viewer.setMode', params: ['stochastic', NaN] })).toThrow(/expected a finite number/);
  });
});
