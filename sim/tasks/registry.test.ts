// Every registered task describes the info fields its steps report, so callers (evaluation, the
// studio) pick fields from the description instead of from task ids.
import { expect, it } from 'vitest';
import { createEnv, listTasks } from '../index.ts';

it("each task's description lists exactly the info fields a step reports (besides unstable)", async () => {
  const tasks = listTasks();
  expect(tasks.length).toBeGreaterThan(5);
  for (const t of tasks) {
    const env = await createEnv(t.id, { seed: 1 });
    env.reset(1);
    const info = env.step(new Float32Array(t.actDim)).info;
    expect(
      Object.keys(info)
        .filter((k) => k !== 'unstable')
        .sort(),
      t.id,
    ).toEqual([...t.info].sort());
    env.dispose();
  }
});
