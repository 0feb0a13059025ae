// LoopVecEnv changes every env or none: a bad action of env 1 is refused before env 0 steps, and
// a snapshot whose env 1 part is bad is refused after env 0's part restored, with env 0 put back.
import { describe, expect, it } from 'vitest';
import { EnvError } from '../env.ts';
import { createEnv, createVecEnv } from '../index.ts';

describe('LoopVecEnv', () => {
  it('refuses a non-finite action of env 1 by name before any env steps', async () => {
    const v = await createVecEnv('point/multigoal', 2, { seed: 3 });
    v.reset();
    const before = v.snapshot();
    const acts = new Float32Array([0.5, 0.5, 0, NaN]);
    expect(() => v.step(acts)).toThrow(EnvError);
    expect(() => v.step(acts)).toThrow("point/multigoal: env 1's action[1] is NaN; actions must be finite numbers");
    expect(Buffer.from(v.snapshot()).equals(Buffer.from(before))).toBe(true);
    expect(() => v.step(new Float32Array(3))).toThrow(/actions has 3 components, expected 4/);
  });

  it('a snapshot whose env 1 part is bad leaves env 0 as it was', async () => {
    const v = await createVecEnv('point/multigoal', 2, { seed: 3 });
    v.reset();
    v.step(new Float32Array([1, 0, 0, 1]));
    const good = v.snapshot();
    // Env parts close the snapshot: [episode length u32, size u32, bytes] per env; one env's size is k.
    const k = (await createEnv('point/multigoal')).snapshot().byteLength;
    const other = (await createEnv('point/one-goal')).snapshot(); // same size, another task's tag
    v.step(new Float32Array([1, 0, 0, 1])); // move on, so the bad snapshot would change env 0
    const now = v.snapshot();
    const bad = Uint8Array.from(good);
    bad.set(other, bad.byteLength - k);
    expect(() => v.restore(bad)).toThrow(/not taken from this task|snapshot/);
    expect(Buffer.from(v.snapshot()).equals(Buffer.from(now))).toBe(true);
    v.restore(good); // the good one still restores
    expect(Buffer.from(v.snapshot()).equals(Buffer.from(good))).toBe(true);
  });
});
