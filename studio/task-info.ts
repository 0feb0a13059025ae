// A task as the studio describes it to the UI: sizes, training defaults, and what a variant of it
// may change (for the variant editor).
import { ACTUATOR_RANGE, FRICTION_RANGE, MASS_SCALE_RANGE, type TaskDescription } from '../sim/index.ts';
import type { TaskInfo } from './api.ts';
import { resolveConfig, settingsOf } from './config.ts';

export function taskInfo(t: TaskDescription): TaskInfo {
  const defaults = resolveConfig(t.id, {});
  return {
    id: t.id,
    robot: t.robot,
    obsDim: t.obsDim,
    actDim: t.actDim,
    maxEpisodeSteps: t.maxEpisodeSteps,
    description: t.description,
    defaults: { steps: defaults.steps, settings: settingsOf(defaults), sqlAlpha: resolveConfig(t.id, {}, { algo: 'sql' }).initAlpha },
    variantSchema: {
      params: t.parameters.map((p) => ({ name: p.name, default: p.default, range: p.range, doc: p.doc })),
      bodies: t.dynamics.bodies,
      actuators: t.dynamics.actuators,
      obstacles: t.dynamics.obstacles,
      goals: t.dynamics.goals,
      massScale: MASS_SCALE_RANGE,
      friction: FRICTION_RANGE,
      actuator: ACTUATOR_RANGE,
      named: t.variants.map((v) => ({ name: v.name, description: v.description, json: v.json })),
    },
  };
}
