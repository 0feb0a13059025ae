import { describe, expect, it } from 'vitest';
import { listTasks, parseVariant } from '../sim/index.ts';
import { taskInfo } from '../studio/task-info.ts';
import { fieldsFromVariant, startingVariant, usedVariants, variantFields, variantFromFields } from './variant-form.ts';

const schema = (id: string) => taskInfo(listTasks().find((t) => t.id === id)!).variantSchema;

describe('the variant editor’s fields', () => {
  it('offers what the task lets a variant change, each with its range', () => {
    const keys = variantFields(schema('cheetah/run')).map((f) => f.key);
    expect(keys).toContain('param.direction');
    expect(keys).toContain('friction');
    expect(keys).toContain('mass.torso');
    expect(keys.some((k) => k.startsWith('actuator.'))).toBe(true);
    expect(keys).not.toContain('goals');
    expect(variantFields(schema('point/one-goal')).map((f) => f.key)).toContain('goals');
    expect(variantFields(schema('ant/hallway')).map((f) => f.key)).toContain('obstacles');
  });

  it('builds variant JSON the simulator accepts, from the fields given only', () => {
    const s = schema('cheetah/run');
    const actuator = variantFields(s)
      .find((f) => f.key.startsWith('actuator.'))!
      .key.slice('actuator.'.length);
    const json = variantFromFields(s, 'weak leg', {
      'mass.torso': '3',
      friction: ' 0.5 ',
      [`actuator.${actuator}`]: '0',
      'param.direction': '',
    });
    expect(json).toEqual({ name: 'weak leg', friction: 0.5, massScale: { torso: 3 }, actuators: { [actuator]: 0 } });
    const v = parseVariant(json, 'cheetah/run');
    expect(v.massScale.torso).toBe(3);
    expect(v.actuators[actuator]).toBe(0);
    expect(variantFromFields(s, '', {})).toEqual({ name: 'custom' });
    const goals = variantFromFields(schema('point/one-goal'), 'far', { goals: '[[6, 1]]' });
    expect(parseVariant(goals, 'point/one-goal').goals).toEqual([[6, 1]]);
  });

  it('names the field of a bad entry', () => {
    const s = schema('cheetah/run');
    expect(() => variantFromFields(s, 'x', { 'mass.torso': '30' })).toThrow('torso mass ×: a number from 0.1 to 10, got "30"');
    expect(() => variantFromFields(s, 'x', { friction: 'icy' })).toThrow('friction ×: a number from 0.05 to 5, got "icy"');
    expect(() => variantFromFields(schema('point/one-goal'), 'x', { goals: '[[1, 2]' })).toThrow(/^goals: not valid JSON/);
  });

  it('fills the fields from a built-in variant, and round-trips', () => {
    const s = schema('cheetah/run');
    const heavy = s.named.find((n) => n.name === 'heavy')!;
    const fields = fieldsFromVariant(s, heavy.json);
    expect(fields['mass.torso']).toBe('2');
    expect(fields.friction).toBe('');
    expect(variantFromFields(s, 'heavy', fields)).toEqual({ name: 'heavy', ...(heavy.json as object) });
    expect(Object.values(fieldsFromVariant(s, undefined)).every((v) => v === '')).toBe(true);
  });
});

it("offers the users' variants that runs of the task trained on, each once, newest first", () => {
  const south = { name: 'south', goals: [[0, -5]] };
  const runs = [
    { task: 'point/one-goal', variant: 'south', variantSpec: south, createdAt: '2026-11-24T10:00:00Z' },
    { task: 'point/one-goal', variant: null, variantSpec: null, createdAt: '2026-11-24T11:00:00Z' },
    { task: 'point/one-goal', variant: 'far', variantSpec: { name: 'far', goals: [[6, 0]] }, createdAt: '2026-11-24T11:30:00Z' },
    { task: 'point/one-goal', variant: 'south', variantSpec: { ...south }, createdAt: '2026-11-24T12:00:00Z' },
    { task: 'point/multigoal', variant: 'x', variantSpec: { name: 'x' }, createdAt: '2026-11-24T13:00:00Z' },
    { task: 'cheetah/run', variant: 'heavy', variantSpec: 'heavy', createdAt: '2026-11-24T13:00:00Z' }, // a built-in, by name
  ];
  expect(usedVariants(runs, 'point/one-goal')).toEqual([
    { name: 'south', json: south },
    { name: 'far', json: { name: 'far', goals: [[6, 0]] } },
  ]);
  expect(usedVariants(runs, 'cheetah/run')).toEqual([]);
});

it('starts from a variant as a run or scenario holds it: a built-in by name, JSON as is, nothing for the task as is', () => {
  const s = schema('cheetah/run');
  expect(startingVariant(s, 'heavy')).toMatchObject({ name: 'heavy', json: { massScale: { torso: 2 } } });
  expect(startingVariant(s, 'nope')).toBeUndefined();
  expect(startingVariant(s, null)).toBeUndefined();
  const ant = schema('ant/run-direction');
  const start = startingVariant(ant, { params: { theta: 0 } })!;
  expect(start.name).toBe('custom');
  expect(fieldsFromVariant(ant, start.json)['param.theta']).toBe('0');
  expect(startingVariant(s, { name: 'weak', friction: 0.5 })).toEqual({ name: 'weak', json: { name: 'weak', friction: 0.5 } });
});
