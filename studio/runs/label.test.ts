import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveConfig } from '../config.ts';
import { LABEL_FILE } from './label.ts';
import { RunStore } from './store.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-label-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('renames a run and keeps notes beside run.json, which keeps the name it was created with', () => {
  const store = new RunStore(home);
  const rec = store.create({
    scenarioId: null,
    parentRunId: null,
    parentStep: null,
    config: resolveConfig('point/one-goal', {}),
    backend: 'cpu',
    device: 't',
  });
  expect(store.info(rec)).toMatchObject({ name: 'point/one-goal seed 1', notes: '' });
  store.setLabel(rec.id, { name: '  lr 1e-3 try  ', notes: 'faster than the default?\nsee seed 2' });
  expect(store.info(store.read(rec.id))).toMatchObject({ name: 'lr 1e-3 try', notes: 'faster than the default?\nsee seed 2' });
  expect(store.read(rec.id).name).toBe('point/one-goal seed 1');
  expect(store.displayName(rec)).toBe('lr 1e-3 try');
  // A worker's update of run.json cannot undo it.
  store.update(rec.id, { step: 10 });
  expect(store.info(store.read(rec.id)).name).toBe('lr 1e-3 try');
  // A blank name: the created one again.
  store.setLabel(rec.id, { name: ' ', notes: 'kept' });
  expect(store.info(store.read(rec.id))).toMatchObject({ name: 'point/one-goal seed 1', notes: 'kept' });
  // A corrupt label is ignored, never fatal.
  fs.writeFileSync(path.join(store.dir(rec.id), LABEL_FILE), '{ torn');
  expect(store.info(store.read(rec.id))).toMatchObject({ name: 'point/one-goal seed 1', notes: '' });
  expect(() => store.setLabel('20991231-000000-nope-abcdef', { name: 'x' })).toThrow(/not found/);
});
