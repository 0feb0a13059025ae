// What a run can be fine-tuned on: its scenario's variants, then the other tasks of its robot that
// no variant names. The studio loads the parent's full agent state, so only tasks of the same robot
// with the same observation and action sizes can follow it (arm7's reach tasks observe no block,
// its push tasks do); the service refuses the rest.
import type { RunInfo, ScenarioInfo, TaskInfo } from '../studio/api.ts';

export interface FineTuneTargets {
  robot: string;
  variants: ScenarioInfo['finetunes'];
  tasks: TaskInfo[];
}

export function fineTuneTargets(run: Pick<RunInfo, 'task'>, scenario: ScenarioInfo | undefined, tasks: TaskInfo[]): FineTuneTargets {
  const variants = scenario?.finetunes ?? [];
  const own = tasks.find((t) => t.id === run.task);
  const robot = own?.robot ?? run.task.split('/')[0]!;
  const fits = (t: TaskInfo) => own !== undefined && t.robot === robot && t.obsDim === own.obsDim && t.actDim === own.actDim;
  const others = tasks.filter((t) => fits(t) && t.id !== run.task && !variants.some((f) => f.task === t.id));
  return { robot, variants, tasks: others };
}
