import { expect, it } from 'vitest';
import { hashForRun, runFromHash } from './run-link.ts';

it('reads back the run it writes, and nothing from other or malformed hashes', () => {
  const id = '20261124-205754-ant-run-any-e57eb8';
  expect(runFromHash(hashForRun(id))).toBe(id);
  expect(hashForRun(null)).toBe('');
  for (const h of ['', '#', '#runs', '#run=', '#run=..%2Fetc', '#run=%E0%A4%A', '#other=1', '#run=a&b=c', '#run=.hidden'])
    expect(runFromHash(h), h).toBeNull();
});
