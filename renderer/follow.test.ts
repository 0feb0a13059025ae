import { expect, it } from 'vitest';
import { createEnv } from '../sim/index.ts';
import { followsByDefault, robotOf } from './follow.ts';

it('follows the walkers and not the fixed robots, unless the user chose otherwise for that robot', async () => {
  const spec = async (task: string) => {
    const env = await createEnv(task);
    try {
      return { id: env.spec.id, travels: env.spec.travels ?? false };
    } finally {
      env.dispose();
    }
  };
  const [ant, cheetah, arm, point] = await Promise.all(['ant/run-any', 'cheetah/run', 'arm7/reach-any', 'point/multigoal'].map(spec));
  expect([ant, cheetah, arm, point].map((s) => followsByDefault(s, {}))).toEqual([true, true, false, false]);
  // A choice is per robot: turning it off for the ant leaves the cheetah following.
  expect(followsByDefault({ ...ant, id: 'ant/hallway' }, { ant: false })).toBe(false);
  expect(followsByDefault(cheetah, { ant: false })).toBe(true);
  expect(followsByDefault(arm, { arm7: true })).toBe(true);
  expect(robotOf('arm7/push-goal')).toBe('arm7');
});
