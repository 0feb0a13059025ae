// Where a Rapier world step's time goes, for the 16-ant speed target (issue 3): the cost of one
// world.step() for an empty world, per free body, per revolute joint (limits + force-based motor,
// as the robots use, and each part of it alone) and per ant of the real 16-ant world, all with the
// project's solver settings. From these follows the fastest a 16-ant world could step at a given
// substep and iteration schedule, whatever the env code around it does.
//
// Synthetic worlds use the ant's counts (9 bodies, 8 joints per ant, 16 ants), zero gravity and
// collision groups that match nothing, so bodies and joints are timed without contacts; the ant
// world adds its ground contacts. Every world is warmed up first: Rapier's step is one ~190 KB
// wasm function that V8 runs in its baseline tier (Liftoff, ~3× slower) until the optimising
// compile finishes in the background, and a cold figure would measure that instead.
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import { createVecEnv } from '../sim/index.ts';
import { PhysicsVecEnv } from '../sim/envs/physics-vec-env.ts';
import { rapier } from '../sim/physics/rapier.ts';
import { configureWorld, INTERNAL_PGS_ITERATIONS, PHYSICS_DT, SOLVER_ITERATIONS } from '../sim/physics/world.ts';

const ANTS = 16;
const BODIES_PER_ANT = 9;
const JOINTS_PER_ANT = 8;

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/** CPU µs per world.step(), after `warm` seconds of stepping, over `seconds`. */
function timeSteps(world: RAPIER_NS.World, warm: number, seconds: number): number {
  let t = cpuSeconds();
  const warmEnd = t + warm;
  while (cpuSeconds() < warmEnd) for (let i = 0; i < 50; i++) world.step();
  t = cpuSeconds();
  const end = t + seconds;
  let steps = 0;
  while (cpuSeconds() < end) {
    for (let i = 0; i < 50; i++) world.step();
    steps += 50;
  }
  return ((cpuSeconds() - t) / steps) * 1e6;
}

type Joints = 'none' | 'plain' | 'limits' | 'limits+motor';

/** nb dynamic bodies (ball colliders that collide with nothing), in chains of revolute joints. */
function syntheticWorld(nb: number, joints: Joints): RAPIER_NS.World {
  const R = rapier();
  const world = new R.World({ x: 0, y: 0, z: 0 });
  configureWorld(world);
  const bodies: RAPIER_NS.RigidBody[] = [];
  for (let i = 0; i < nb; i++) {
    const b = world.createRigidBody(
      R.RigidBodyDesc.dynamic()
        .setCanSleep(false)
        .setTranslation(i * 3, 10, 0),
    );
    world.createCollider(R.ColliderDesc.ball(0.2).setCollisionGroups(0), b);
    bodies.push(b);
  }
  if (joints !== 'none') {
    for (let i = 0; i + 1 < nb; i++) {
      if (i % BODIES_PER_ANT === BODIES_PER_ANT - 1) continue; // JOINTS_PER_ANT per group of 9
      const data = R.JointData.revolute({ x: 1.5, y: 0, z: 0 }, { x: -1.5, y: 0, z: 0 }, { x: 0, y: 1, z: 0 });
      const j = world.createImpulseJoint(data, bodies[i]!, bodies[i + 1]!, true) as RAPIER_NS.RevoluteImpulseJoint;
      if (joints === 'plain') continue;
      j.setLimits(-0.5, 0.5);
      if (joints === 'limits') continue;
      j.configureMotorModel(R.MotorModel.ForceBased);
      j.setMotorMaxForce(40);
      j.configureMotor(0, 3, 0, 1); // keeps the joint driven into its limit, as under random actions
    }
  }
  return world;
}

export async function benchSimAnatomy(opts: { seconds?: number } = {}): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? 2;
  const warm = Math.max(1, seconds / 2);
  const venv = await createVecEnv('ant/run-any', ANTS, { seed: 1 });
  if (!(venv instanceof PhysicsVecEnv)) throw new Error('bench/sim-anatomy: expected a PhysicsVecEnv');
  // The ants first walk under random-ish motor commands so that their contacts are typical.
  venv.step(new Float32Array(ANTS * venv.spec.actDim).map((_, i) => Math.sin(i)));
  const antWorld = timeSteps(venv.world, warm, seconds);
  venv.dispose();

  const nb = ANTS * BODIES_PER_ANT;
  const timeWorld = (n: number, joints: Joints): number => {
    const w = syntheticWorld(n, joints);
    const us = timeSteps(w, warm, seconds);
    w.free();
    return us;
  };
  const emptyUs = timeWorld(0, 'none');
  const freeUs = timeWorld(nb, 'none');
  const plainUs = timeWorld(nb, 'plain');
  const limitsUs = timeWorld(nb, 'limits');
  const jointedUs = timeWorld(nb, 'limits+motor');

  const nj = ANTS * JOINTS_PER_ANT;
  const perBody = (freeUs - emptyUs) / nb;
  const perJoint = (jointedUs - freeUs) / nj;
  const perAnt = (antWorld - emptyUs) / ANTS;
  const frameSkip = 5;
  const r = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    solver: { dt: PHYSICS_DT, solverIterations: SOLVER_ITERATIONS, internalPgsIterations: INTERNAL_PGS_ITERATIONS },
    usPerWorldStep: { empty: r(emptyUs), freeBodies: r(freeUs), jointedBodies: r(jointedUs), ant16World: r(antWorld) },
    usPerBody: r(perBody),
    /** A robot joint (revolute + limits + force-based motor), and what each part of it costs. */
    usPerJoint: r(perJoint),
    usPerJointPart: { revolute: r((plainUs - freeUs) / nj), limits: r((limitsUs - plainUs) / nj), motor: r((jointedUs - limitsUs) / nj) },
    usPerAntPerWorldStep: r(perAnt),
    /** Share of an ant's step that is bodies + joints alone (the rest: contacts, collision detection). */
    bodiesAndJointsShare: r((BODIES_PER_ANT * perBody + JOINTS_PER_ANT * perJoint) / perAnt, 3),
    /** Env-steps/s per CPU second one core could reach at `frameSkip` world steps per env step. */
    ceilingEnvStepsPerCpuSec: {
      bodiesAndJointsOnly: Math.round(1e6 / (frameSkip * (BODIES_PER_ANT * perBody + JOINTS_PER_ANT * perJoint))),
      physicsOnly: Math.round(1e6 / (frameSkip * perAnt)),
    },
  };
}
