import { describe, expect, it } from 'vitest';
import { scenarioInfo, SCENARIOS } from '../studio/scenarios.ts';
import { listTasks } from '../sim/index.ts';
import { fineTuneTargets } from './finetune-targets.ts';
import { taskInfo } from '../studio/task-info.ts';
import type { TaskInfo } from '../studio/api.ts';

const tasks: TaskInfo[] = listTasks().map(taskInfo);
const info = (id: string) => scenarioInfo(SCENARIOS.find((s) => s.id === id)!);

describe('fine-tune targets', () => {
  it('a scenario run: its variants, then only the same robot’s tasks of the same sizes that no variant names', () => {
    const ant = fineTuneTargets({ task: 'ant/run-any' }, info('ant-anywhere'), tasks);
    expect(ant.robot).toBe('ant');
    expect(ant.variants.map((v) => v.id)).toEqual(['direction-0', 'hallway']);
    expect(ant.tasks).toEqual([]); // run-direction and hallway are the variants' tasks
    // arm7's push tasks also observe the block (30 vs 27 numbers): the reach agent cannot load there.
    expect(fineTuneTargets({ task: 'arm7/reach-any' }, info('arm-reach'), tasks).tasks).toEqual([]);
    expect(fineTuneTargets({ task: 'arm7/reach-any' }, undefined, tasks).tasks.map((t) => t.id)).toEqual(['arm7/reach-obstacle']);
  });

  it('a run with no scenario (trained from the CLI): every other task of its robot, none of another', () => {
    const t = fineTuneTargets({ task: 'ant/run-any' }, undefined, tasks);
    expect(t.variants).toEqual([]);
    expect(t.tasks.map((x) => x.id).sort()).toEqual(['ant/hallway', 'ant/run-direction']);
    expect(fineTuneTargets({ task: 'cheetah/run' }, undefined, tasks).tasks).toEqual([]);
  });
});
