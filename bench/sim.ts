// `maxent bench sim`: ant and arm7 env-steps/s for 1 env and for 16 envs in one Rapier world
// (random actions, auto-reset), and the raw physics rate (world.step() alone, the same
// number of substeps on the same world) measured in the same run.
//
// The two are timed in interleaved chunks so that load from other processes (this is a
// shared 2-core machine) hits both alike; the overhead ratio is env time / physics time.
// Rates are given per wall second and per CPU second of this process (process.cpuUsage):
// the CPU figure is the "per core" rate, and stays meaningful when other work competes.
// `anatomy` (bench/sim-anatomy.ts) splits Rapier's own step cost into bodies, joints and contacts.
import { createEnv, createVecEnv } from '../sim/index.ts';
import { PhysicsEnv } from '../sim/envs/physics-env.ts';
import { PhysicsVecEnv } from '../sim/envs/physics-vec-env.ts';
import { INTERNAL_PGS_ITERATIONS, PHYSICS_DT, SOLVER_ITERATIONS } from '../sim/physics/world.ts';
import { Rng } from '../sim/rng.ts';

const TASK = 'ant/run-any';
/** The arm, pushing (its block makes contacts); velocity motors, 7 joints, 200-step episodes. */
const ARM_TASK = 'arm7/push-any';
const CHUNK = 20; // control steps per timed chunk

interface Timer {
  wall: number;
  cpu: number;
}

function now(): Timer {
  const c = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (c.user + c.system) / 1e6 };
}

function since(t0: Timer, acc: Timer): void {
  const t = now();
  acc.wall += t.wall - t0.wall;
  acc.cpu += t.cpu - t0.cpu;
}

async function benchOne(task: string, n: number, seconds: number): Promise<Record<string, number>> {
  const rng = new Rng(n);
  let acts = new Float32Array(0);
  let actDim = 0;
  let envStep: () => void;
  let physStep: () => void;
  let frameSkip = 5;
  let dispose: () => void;
  if (n === 1) {
    const env = await createEnv(task, { seed: 1 });
    if (!(env instanceof PhysicsEnv)) throw new Error('bench/sim: expected a PhysicsEnv');
    actDim = env.spec.actDim;
    acts = new Float32Array(actDim);
    frameSkip = Math.round(env.spec.dt / PHYSICS_DT);
    env.reset(1);
    envStep = () => {
      for (let k = 0; k < actDim; k++) acts[k] = rng.uniform(-1, 1);
      const r = env.step(acts);
      if (r.terminated || r.truncated) env.reset();
    };
    physStep = () => {
      const w = env.physicsWorld;
      for (let f = 0; f < frameSkip; f++) w.step();
    };
    dispose = () => env.dispose();
  } else {
    const venv = await createVecEnv(task, n, { seed: 1 });
    if (!(venv instanceof PhysicsVecEnv)) throw new Error('bench/sim: expected a PhysicsVecEnv');
    acts = new Float32Array(n * venv.spec.actDim);
    frameSkip = Math.round(venv.spec.dt / PHYSICS_DT);
    venv.reset(1);
    envStep = () => {
      for (let k = 0; k < acts.length; k++) acts[k] = rng.uniform(-1, 1);
      venv.step(acts);
    };
    physStep = () => {
      for (let f = 0; f < frameSkip; f++) venv.world.step();
    };
    dispose = () => venv.dispose();
  }
  // Warm-up (JIT, wasm tier-up, contacts settled).
  for (let i = 0; i < 2 * CHUNK; i++) envStep();
  for (let i = 0; i < CHUNK; i++) physStep();
  const envT: Timer = { wall: 0, cpu: 0 };
  const physT: Timer = { wall: 0, cpu: 0 };
  let envSteps = 0;
  let physSteps = 0;
  const end = performance.now() / 1000 + seconds;
  while (performance.now() / 1000 < end) {
    let t0 = now();
    for (let i = 0; i < CHUNK; i++) envStep();
    since(t0, envT);
    envSteps += CHUNK;
    // Physics alone on the same world: the robots keep moving under their last actions.
    t0 = now();
    for (let i = 0; i < CHUNK; i++) physStep();
    since(t0, physT);
    physSteps += CHUNK;
  }
  dispose();
  const r = (x: number): number => Math.round(x);
  return {
    envs: n,
    frameSkip,
    envStepsPerSec: r((envSteps * n) / envT.wall),
    envStepsPerCpuSec: r((envSteps * n) / envT.cpu),
    physicsOnlyEnvStepsPerSec: r((physSteps * n) / physT.wall),
    physicsOnlyEnvStepsPerCpuSec: r((physSteps * n) / physT.cpu),
    worldStepsPerSec: r((physSteps * frameSkip) / physT.wall),
    overheadWall: Math.round((envT.wall / envSteps / (physT.wall / physSteps)) * 1000) / 1000,
    overheadCpu: Math.round((envT.cpu / envSteps / (physT.cpu / physSteps)) * 1000) / 1000,
  };
}

export async function benchSim(opts: { seconds?: number } = {}): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? 5;
  const one = await benchOne(TASK, 1, seconds);
  const sixteen = await benchOne(TASK, 16, seconds);
  const arm1 = await benchOne(ARM_TASK, 1, seconds);
  const arm16 = await benchOne(ARM_TASK, 16, seconds);
  // Where the 16-ant world's step time goes inside Rapier (bodies, joints, contacts).
  const anatomy = await (await import('./sim-anatomy.ts')).benchSimAnatomy({ seconds: Math.min(seconds, 2) });
  return {
    task: TASK,
    controlStep: PHYSICS_DT * (one.frameSkip ?? 5),
    solver: { dt: PHYSICS_DT, solverIterations: SOLVER_ITERATIONS, internalPgsIterations: INTERNAL_PGS_ITERATIONS },
    ant1: one,
    ant16: sixteen,
    armTask: ARM_TASK,
    arm1,
    arm16,
    anatomy,
    targets: { envStepsPerCorePer16AntWorld: 5000, maxOverhead: 1.25 },
  };
}
