// Turns a PhysicsTask into a registry TaskEntry.
import { PhysicsEnv } from '../envs/physics-env.ts';
import { PhysicsVecEnv } from '../envs/physics-vec-env.ts';
import type { TaskEntry } from '../registry-types.ts';
import { PHYSICS_DT } from '../physics/world.ts';
import { defaultVariant } from '../variant.ts';
import type { PhysicsTask } from './physics-task.ts';

export function physicsEntry(task: PhysicsTask): TaskEntry {
  const actuators = task.robot.joints.map((j) => j.name);
  // massScale may name the robot's bodies and the task's free objects (e.g. the arm's block).
  const objects =
    task.objects?.(defaultVariant(task.id, { params: task.params, bodies: [], actuators, obstacles: false, goals: false })) ?? [];
  const bodies = [...task.robot.bodies.map((b) => b.name), ...objects.filter((o) => o.kind === 'dynamic').map((o) => o.name)];
  return {
    physics: true,
    schema: { params: task.params, bodies, actuators, obstacles: task.obstacles, goals: false, check: task.checkVariant },
    description: {
      id: task.id,
      robot: task.robot.id,
      description: task.description,
      obsDim: task.obsDim,
      actDim: actuators.length,
      maxEpisodeSteps: task.maxEpisodeSteps,
      dt: PHYSICS_DT * task.frameSkip,
      parameters: task.params,
      info: task.infoKeys,
      variants: task.variants,
      dynamics: { bodies, actuators, obstacles: task.obstacles, goals: false },
    },
    createEnv: (variant, seed) => new PhysicsEnv(task, variant, seed),
    createVecEnv: (variant, n, seed) => new PhysicsVecEnv(task, variant, n, seed),
  };
}
