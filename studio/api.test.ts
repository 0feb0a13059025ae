import { describe, expect, it } from 'vitest';
import { runScenario, validateRequest, variantLabel } from './api.ts';
import { SCENARIOS, scenarioInfo } from './scenarios.ts';

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
    // Names every object has (inherited) are unknown fields too.
    expect(() => validateRequest({ id: 1, method: 'startRun', params: ['multigoal', { constructor: 5 }] })).toThrow(
      /constructor: unknown field/,
    );
    expect(() => validateRequest({ id: 1, method: 'startRun', params: ['multigoal', { learningStarts: 1e300 }] })).toThrow(
      /learningStarts: expected an integer >= 0 <= 100000000/,
    );
    expect(() => validateRequest({ id: 1, method: 'viewer.ghosts', params: [1000, 10] })).toThrow(
      /viewer\.ghosts\[0\]: expected an integer >= 1 <= 64, got 1000/,
    );
    expect(() => validateRequest({ id: 1, method: 'getRun', params: ['../../etc'] })).toThrow(/getRun\[0\]: expected a string matching/);
    expect(() => validateRequest({ id: 1, method: 'deleteRun', params: ['..'] })).toThrow(/deleteRun\[0\]: expected a string matching/);
    expect(() => validateRequest({ id: 1, method: 'deleteRun', params: ['.'] })).toThrow(/deleteRun\[0\]: expected a string matching/);
    expect(() => validateRequest({ id: 1, method: 'evaluate', params: ['r1', { episodes: 0 }] })).toThrow(
      /evaluate\[1\]\.episodes: expected an integer >= 1 <= 200, got 0/,
    );
    expect(() => validateRequest({ id: 1, method: 'evaluate', params: ['r1', { on: '' }] })).toThrow(/evaluate\[1\]\.on/);
    expect(validateRequest({ id: 1, method: 'evaluate', params: ['r1', { episodes: 5, stochastic: true, on: 'heavy' }] }).params).toEqual([
      'r1',
      { episodes: 5, stochastic: true, on: 'heavy' },
    ]);
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

describe('runScenario and variantLabel', () => {
  const scenarios = SCENARIOS.map(scenarioInfo);
  it("finds a run's own scenario, else the one scenario that pretrains on its task", () => {
    expect(runScenario({ scenarioId: 'ant-anywhere', task: 'ant/run-direction' }, scenarios)?.id).toBe('ant-anywhere');
    // A CLI run of cheetah/run gets the cheetah scenario (its fine-tunes are variants of the task).
    const sc = runScenario({ scenarioId: null, task: 'cheetah/run' }, scenarios);
    expect(sc?.id).toBe('cheetah-adapt');
    expect(sc?.finetunes.map((f) => [f.id, f.variant])).toEqual([
      ['heavy', 'heavy'],
      ['slippery', 'slippery'],
      ['backward', 'backward'],
    ]);
    // A task no scenario pretrains on has none; an unknown scenario id is not guessed.
    expect(runScenario({ scenarioId: null, task: 'ant/run-direction' }, scenarios)).toBeUndefined();
    expect(runScenario({ scenarioId: 'gone', task: 'cheetah/run' }, scenarios)).toBeUndefined();
  });
  it('labels built-in names, named JSON variants and unnamed JSON', () => {
    expect(variantLabel(null)).toBeNull();
    expect(variantLabel('heavy')).toBe('heavy');
    expect(variantLabel({ name: 'big bonus', params: { goalBonus: 20 } })).toBe('big bonus');
    expect(variantLabel({ params: { theta: 0 } })).toBe('{"params":{"theta":0}}');
    const long = variantLabel({ params: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10 } })!;
    expect(long.length).toBe(60);
    expect(long.endsWith('…')).toBe(true);
  });
});
