// World settings shared by every Rapier env: 0.01 s physics step, y-up gravity, one
// half-space ground, and solver iterations that keep joint limits. Measured on the ant under
// random actions (4 solver iterations): without leg armature, internal PGS 4 → limits give
// way up to ~25°, PGS 8 → ~12° (test: 11.5° over 10,000 steps). With the ant's armature
// (sim/robots/ant.ts): PGS 1 → 10.5°, PGS 2 → 4.9°, PGS 4 → 3.4°; solver 2 × PGS 2 → 9.8°.
// PGS 2 keeps a 2× margin under the 10° bound at about half the solver work of PGS 4.
import type RAPIER_NS from '@dimforge/rapier3d-compat';
import type { Obstacle } from '../variant.ts';
import { GROUP_WORLD } from './groups.ts';
import { rapier } from './rapier.ts';

export const PHYSICS_DT = 0.01;
export const SOLVER_ITERATIONS = 4;
export const INTERNAL_PGS_ITERATIONS = 2;

export function configureWorld(world: RAPIER_NS.World): void {
  world.timestep = PHYSICS_DT;
  world.numSolverIterations = SOLVER_ITERATIONS;
  world.numInternalPgsIterations = INTERNAL_PGS_ITERATIONS;
}

export function createWorld(groundFriction: number): RAPIER_NS.World {
  const R = rapier();
  const world = new R.World({ x: 0, y: -9.81, z: 0 });
  configureWorld(world);
  const ground = new R.ColliderDesc(new R.HalfSpace({ x: 0, y: 1, z: 0 }))
    .setFriction(groundFriction)
    .setCollisionGroups(GROUP_WORLD);
  world.createCollider(ground);
  return world;
}

/** Static boxes (walls, obstacles) at an env origin. */
export function addStaticBoxes(world: RAPIER_NS.World, boxes: Obstacle[], origin: [number, number, number], friction: number): void {
  const R = rapier();
  for (const b of boxes) {
    const d = R.ColliderDesc.cuboid(b.halfExtents[0], b.halfExtents[1], b.halfExtents[2])
      .setTranslation(origin[0] + b.position[0], origin[1] + b.position[1], origin[2] + b.position[2])
      .setFriction(friction)
      .setCollisionGroups(GROUP_WORLD);
    world.createCollider(d);
  }
}
