// World settings shared by every Rapier env: 0.01 s physics step, y-up gravity, one
// half-space ground, and solver iterations that keep joint limits. Measured on the ant under
// random actions: without leg armature, 4 solver iterations × internal PGS 4 → limits give
// way up to ~25°, × PGS 8 → ~12° (11.5° over 10,000 steps). With the ant's armature
// (sim/robots/ant.ts), 16 ants × 1000 steps, worst violation (solver × PGS), uniform random
// actions: 4×1 14°, 4×2 7.3°, 2×2 9.8°, 2×4 6.7°, 2×8 5.9°; bang-bang (±1) actions: 4×2 9.9°
// (3 samples > 8°), 2×4 11.2° (56 > 8°). 2×4 runs ~28% more env-steps per CPU second than
// 4×2 (interleaved A/B, 16 ants) but lets limits go under aggressive actions, so 4×2 it is.
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import type { Obstacle } from '../variant.ts';
import { crossEnvReach } from './env-filter.ts';
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

/**
 * A world from Rapier's serialised bytes (World.takeSnapshot), or null when they are corrupt.
 * Deserialised by hand with the caller's one pipeline: World.restoreSnapshot() builds a fresh
 * SerializationPipeline per call and never frees it, and the raw shell is freed now, not at GC.
 */
export function worldFromSnapshot(serializer: RAPIER_NS.SerializationPipeline, bytes: Uint8Array): RAPIER_NS.World | null {
  const raw = serializer.raw!.deserializeAll(bytes);
  if (!raw) return null;
  const world = rapier().World.fromRaw(raw);
  raw.free();
  configureWorld(world);
  return world;
}

export function createWorld(groundFriction: number): RAPIER_NS.World {
  const R = rapier();
  const world = new R.World({ x: 0, y: -9.81, z: 0 });
  configureWorld(world);
  const ground = new R.ColliderDesc(new R.HalfSpace({ x: 0, y: 1, z: 0 })).setFriction(groundFriction).setCollisionGroups(GROUP_WORLD);
  world.createCollider(ground);
  return world;
}

/**
 * Static boxes (walls, obstacles) at an env origin; returns their collider handles. Boxes other
 * envs could reach (crossEnvReach: `travels` = the robot's root moves) carry the contact-filter
 * hook flag, in single envs too, so that env 0 of a VecEnv replays a single env bit for bit.
 */
export function addStaticBoxes(
  world: RAPIER_NS.World,
  boxes: Obstacle[],
  origin: [number, number, number],
  friction: number,
  travels: boolean,
): number[] {
  const R = rapier();
  const handles: number[] = [];
  for (const b of boxes) {
    const d = R.ColliderDesc.cuboid(b.halfExtents[0], b.halfExtents[1], b.halfExtents[2])
      .setTranslation(origin[0] + b.position[0], origin[1] + b.position[1], origin[2] + b.position[2])
      .setFriction(friction)
      .setCollisionGroups(GROUP_WORLD);
    if (crossEnvReach(travels, b)) d.setActiveHooks(R.ActiveHooks.FILTER_CONTACT_PAIRS);
    handles.push(world.createCollider(d).handle);
  }
  return handles;
}
