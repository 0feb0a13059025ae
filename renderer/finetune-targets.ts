// What a run can be fine-tuned on: its scenario's variants, then the other tasks that its agent
// can load (studio's canFineTune: same robot and sizes) and that no variant already names.
import { canFineTune, type RunInfo, type ScenarioInfo, type TaskInfo } from '../studio/api.ts';

export interface FineTuneTargets {
  /** the run's robot, null when its task is not in the list */
  robot: string | null;
  variants: ScenarioInfo['finetunes'];
  tasks: TaskInfo[];
}

export function fineTuneTargets(run: Pick<RunInfo, 'task'>, scenario: ScenarioInfo | undefined, tasks: TaskInfo[]): FineTuneTargets {
  const variants = scenario?.finetunes ?? [];
  const own = tasks.find((t) => t.id === run.task);
  if (!own) return { robot: null, variants, tasks: [] };
  const others = tasks.filter((t) => t.id !== own.id && canFineTune(own, t) && !variants.some((f) => f.task === t.id));
  return { robot: own.robot, variants, tasks: others };
}
