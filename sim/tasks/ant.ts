// Ant tasks (SCENARIOS.md). Velocities for rewards are finite differences of the torso
// (root body origin = its COM: a sphere plus four symmetric capsules) position over the control step, in plane coordinates (u, v) = (x, −z), so θ = 0 is +x
// and θ = π/2 is −z (a counter-clockwise turn seen from above).
import type { Marker } from '../env.ts';
import type { RobotInstance } from '../physics/robot-instance.ts';
import { ANT } from '../robots/ant.ts';
import { fail, type ParamSpec, type Variant } from '../variant.ts';
import { physicsEntry } from './physics-entry.ts';
import type { PhysicsTask, StepContext } from './physics-task.ts';

const COMMON: ParamSpec[] = [
  { name: 'ctrlCost', default: 0.5, range: [0, 5], doc: 'weight of ‖a‖²' },
  { name: 'aliveBonus', default: 1, range: [0, 5], doc: 'reward per step while the torso height is healthy' },
  { name: 'minHeight', default: 0.2, range: [0, 1], doc: 'episode ends when the torso centre falls below this (m)' },
  { name: 'maxHeight', default: 1.0, range: [0.5, 5], doc: 'episode ends when the torso centre rises above this (m)' },
];

/** 27 floats: torso height, quaternion (w, x, y, z), 8 joint angles, torso linear and angular velocity (world), 8 joint velocities. */
export function observeAnt(r: RobotInstance, out: Float32Array, off: number): void {
  const s = r.state;
  out[off] = s[1]!;
  out[off + 1] = s[6]!;
  out[off + 2] = s[3]!;
  out[off + 3] = s[4]!;
  out[off + 4] = s[5]!;
  for (let k = 0; k < 8; k++) out[off + 5 + k] = r.q[k]!;
  for (let d = 0; d < 6; d++) out[off + 13 + d] = s[7 + d]!;
  for (let k = 0; k < 8; k++) out[off + 19 + k] = r.qd[k]!;
}

function ctrl(ctx: StepContext): number {
  let c = 0;
  for (let k = 0; k < 8; k++) c += ctx.action[ctx.actOff + k]! ** 2;
  return c;
}

type Progress = (vu: number, vv: number, ctx: StepContext) => number;
const heading: Progress = (vu, vv, ctx) => vu * Math.cos(ctx.params.theta!) + vv * Math.sin(ctx.params.theta!);
const alongX: Progress = (vu) => vu;
/**
 * run-any's term. Speed ‖v_xy‖ over each 0.05 s step pays as much for moving back and forth in
 * place as for travel (BENCHMARKS.md: a 200k run earned most of its return that way), so the
 * `radial` variant pays the growth of the distance from the spawn point instead: it telescopes to
 * the net distance travelled over an episode and stays direction-free. Measured on seed 1 it is
 * too sparse: SAC settles on standing still, while ‖v_xy‖'s dense pay for leg motion escapes that
 * plateau and makes the better pretrain (BENCHMARKS.md). So the default stays ‖v_xy‖.
 */
const anySpeed: Progress = (vu, vv, ctx) => {
  if (!ctx.params.radial) return Math.hypot(vu, vv);
  const s = ctx.robot.state,
    o = ctx.robot.origin;
  const now = Math.hypot(s[0]! - o[0], s[2]! - o[2]);
  const before = Math.hypot(ctx.prev[0]! - o[0], ctx.prev[2]! - o[2]);
  return (now - before) / ctx.dt;
};
/** Reused result: the env reads it before the next call, so the hot path allocates nothing. */
const RESULT = { reward: 0, terminated: false };

/** Shared: planar velocity into info, health check, action cost. `progress` maps (vu, vv) to the task's speed term. */
function antReward(ctx: StepContext, progress: Progress): { reward: number; terminated: boolean } {
  const s = ctx.robot.state;
  const vu = (s[0]! - ctx.prev[0]!) / ctx.dt;
  const vv = -(s[2]! - ctx.prev[2]!) / ctx.dt;
  const p = ctx.params;
  const h = s[1]!;
  const forward = progress(vu, vv, ctx);
  const cost = p.ctrlCost! * ctrl(ctx);
  ctx.info.x_velocity = vu;
  ctx.info.y_velocity = vv;
  ctx.info.forward_reward = forward;
  ctx.info.ctrl_cost = cost;
  ctx.info.healthy_reward = p.aliveBonus!;
  RESULT.terminated = h < p.minHeight! || h > p.maxHeight!;
  RESULT.reward = forward + p.aliveBonus! - cost;
  return RESULT;
}

const HALLWAY_HALF_WIDTH = 1;
const HALLWAY_LENGTH = 300;

/** minHeight < maxHeight (else every step ends the episode); radial is a flag. */
function checkAnt(v: Variant): void {
  const p = v.params;
  if (p.minHeight! >= p.maxHeight!)
    fail('variant.params.minHeight', `a number below variant.params.maxHeight (${p.maxHeight})`, p.minHeight);
  if (p.radial !== undefined && p.radial !== 0 && p.radial !== 1) fail('variant.params.radial', '0 or 1 (off or on)', p.radial);
}

function base(): Omit<PhysicsTask, 'id' | 'description' | 'params' | 'variants' | 'reward' | 'scenery' | 'markers'> {
  return {
    robot: ANT,
    obsDim: 27,
    maxEpisodeSteps: 1000,
    frameSkip: 5,
    obstacles: true,
    posNoise: 0.1,
    velNoise: 0.1,
    observe: observeAnt,
    checkVariant: checkAnt,
    infoKeys: ['x_velocity', 'y_velocity', 'forward_reward', 'ctrl_cost', 'healthy_reward'],
  };
}

function obstacleMarkers(v: Variant): Marker[] {
  return v.obstacles.map((o) => ({ kind: 'obstacle', shape: 'box', position: o.position, size: o.halfExtents, color: '#8a8f98' }));
}

const runAny: PhysicsTask = {
  ...base(),
  id: 'ant/run-any',
  description:
    'Ant pretraining: reward ‖v_xy‖ (speed in any direction) + 1 − 0.5‖a‖² (variant radial: growth of the distance from the start instead); ends when the torso leaves [0.2, 1.0] m.',
  params: [
    ...COMMON,
    {
      name: 'radial',
      default: 0,
      range: [0, 1],
      doc: '1: the speed term is the growth of the distance from the spawn point (net travel), not ‖v_xy‖',
    },
  ],
  variants: [
    {
      name: 'radial',
      description: 'reward the growth of the distance from the start (net travel in any direction), not the speed at each step',
      json: { params: { radial: 1 } },
    },
  ],
  scenery: () => [],
  markers: obstacleMarkers,
  reward: (ctx) => antReward(ctx, anySpeed),
};

const runDirection: PhysicsTask = {
  ...base(),
  id: 'ant/run-direction',
  description: 'Ant running in heading θ: reward v_xy·(cos θ, sin θ) + 1 − 0.5‖a‖².',
  params: [{ name: 'theta', default: 0, range: [-Math.PI, Math.PI], doc: 'heading (rad); 0 = +x, π/2 = −z' }, ...COMMON],
  variants: [
    { name: 'forward', description: 'θ = 0 (+x)', json: { params: { theta: 0 } } },
    { name: 'left', description: 'θ = π/2', json: { params: { theta: Math.PI / 2 } } },
    { name: 'backward', description: 'θ = π', json: { params: { theta: Math.PI } } },
    { name: 'crippled', description: 'θ = 0 with the front-left knee disabled', json: { actuators: { front_left_knee: 0 } } },
  ],
  scenery: () => [],
  markers: (v) => {
    const th = v.params.theta!;
    return [
      { kind: 'target', shape: 'box', position: [2 * Math.cos(th), 0.01, -2 * Math.sin(th)], size: [0.1, 0.01, 0.1], color: '#46b37a' },
      ...obstacleMarkers(v),
    ];
  },
  reward: (ctx) => antReward(ctx, heading),
};

const hallwayWalls = () =>
  [-1, 1].map((side) => ({
    position: [HALLWAY_LENGTH / 2 - 10, 0.5, side * (HALLWAY_HALF_WIDTH + 0.05)] as [number, number, number],
    halfExtents: [HALLWAY_LENGTH / 2, 0.5, 0.05] as [number, number, number],
  }));

const hallway: PhysicsTask = {
  ...base(),
  id: 'ant/hallway',
  description: 'Ant running along +x between two walls 2 m apart: reward v_x + 1 − 0.5‖a‖².',
  params: COMMON,
  variants: [],
  scenery: hallwayWalls,
  markers: (v) => [
    ...hallwayWalls().map((w): Marker => ({ kind: 'wall', shape: 'box', position: w.position, size: w.halfExtents, color: '#8a8f98' })),
    ...obstacleMarkers(v),
  ],
  reward: (ctx) => antReward(ctx, alongX),
};

export const antTasks = [runAny, runDirection, hallway].map(physicsEntry);
