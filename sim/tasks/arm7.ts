// arm7 tasks (SCENARIOS.md): reach a target anywhere / behind an obstacle, push the block
// anywhere / to a goal. 200 control steps of 0.05 s; never terminated (time limit only, or
// info.unstable). Positions in observations, rewards and params are in the env frame (the
// arm's base on the floor at the origin, x toward the table, y up), so a VecEnv's grid offset
// never shows.
//
// Observation, reach (27): sin q (7), cos q (7), q̇ (7), TCP position (3), target (3).
// Observation, push (30): sin q, cos q, q̇, TCP, block position (3), goal (3); push-any has no
// goal and puts the block's start position there, so both push tasks share one layout (and a
// pretrained policy's input) and the displacement reward is a function of the observation.
// "Block displacement" in push-any is the block's distance from its start in the table plane
// (x, z), paid only while the block rests on the table: rewarding the per-step movement instead
// would pay for shaking the block in place, and the 3-D distance paid most for knocking the
// block onto the floor (1.3 m), which is what a 100k pretrain learned to do in every episode.
import type { Marker } from '../env.ts';
import type { RobotInstance } from '../physics/robot-instance.ts';
import { STRIDE } from '../physics/robot-instance.ts';
import { qrot } from '../physics/math3.ts';
import { ARM7, ARM7_HAND, ARM7_REACH, ARM7_SHOULDER, ARM7_TABLE, ARM7_TCP, TABLE_TOP } from '../robots/arm7.ts';
import type { ObjectDef } from '../robots/types.ts';
import { checkInside, VariantError, type Obstacle, type ParamSpec, type Variant } from '../variant.ts';
import { physicsEntry } from './physics-entry.ts';
import type { PhysicsTask, ResetContext, StepContext } from './physics-task.ts';

const NJ = 7;
/** The robot touches an obstacle when a link comes within this distance of it (m). */
export const CONTACT_MARGIN = 0.01;
/** Obstacle half-thickness along x (a wall between the arm and the targets). */
const OBSTACLE_HALF_THICKNESS = 0.02;
const COLORS = { table: '#8b6b4a', obstacle: '#8a8f98', target: '#46b37a', goal: '#46b37a', block: '#d0523a' };

const scratch = new Float64Array(4);

/** TCP position (env frame) into out[o..o+3], from the last read; allocation-free. */
export function tcpPosition(r: RobotInstance, out: Float64Array | Float32Array, o: number): void {
  const s = r.state,
    b = ARM7_HAND * STRIDE;
  qrot(s, b + 3, ARM7_TCP, 0, scratch, 0);
  for (let d = 0; d < 3; d++) out[o + d] = s[b + d]! + scratch[d]! - r.origin[d]!;
}

/** The 24 robot floats every arm7 observation starts with. */
function observeArm(r: RobotInstance, out: Float32Array, off: number): void {
  for (let k = 0; k < NJ; k++) {
    const q = r.q[k]!;
    out[off + k] = Math.sin(q);
    out[off + NJ + k] = Math.cos(q);
    out[off + 2 * NJ + k] = r.qd[k]!;
  }
  tcpPosition(r, out, off + 3 * NJ);
}

const tcp = new Float64Array(3);

function ctrl(ctx: StepContext): number {
  let c = 0;
  for (let k = 0; k < NJ; k++) c += ctx.action[ctx.actOff + k]! ** 2;
  return c;
}

function dist(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  return Math.hypot(a[ao]! - b[bo]!, a[ao + 1]! - b[bo + 1]!, a[ao + 2]! - b[bo + 2]!);
}

/** Writes an object's position (env frame, rounded to float32 as Rapier stores it) into the reset state. */
function place(ctx: ResetContext, name: string, x: number, y: number, z: number): void {
  const o = ctx.robot.objectIndex(name) * STRIDE,
    org = ctx.robot.origin;
  ctx.ref[o] = Math.fround(org[0] + x);
  ctx.ref[o + 1] = Math.fround(org[1] + y);
  ctx.ref[o + 2] = Math.fround(org[2] + z);
}

/** Reused result: the env reads it before the next call, so the hot path allocates nothing. */
const RESULT = { reward: 0, terminated: false };

// ---------------------------------------------------------------- reach

function reachParams(t: { x: number; y: number; z: number; sx: number; sy: number; sz: number }, contactCost: number): ParamSpec[] {
  return [
    { name: 'targetX', default: t.x, range: [0, 1.2], doc: 'centre of the target box, x (m, toward the table)' },
    { name: 'targetY', default: t.y, range: [0, 1.6], doc: 'centre of the target box, y (m, up; the table top is at 0.4)' },
    { name: 'targetZ', default: t.z, range: [-1, 1], doc: 'centre of the target box, z (m)' },
    { name: 'targetSpreadX', default: t.sx, range: [0, 0.6], doc: 'targets are uniform within ± this of the centre in x (0: fixed)' },
    { name: 'targetSpreadY', default: t.sy, range: [0, 0.6], doc: 'half-height of the target box (m)' },
    { name: 'targetSpreadZ', default: t.sz, range: [0, 1], doc: 'half-width of the target box (m)' },
    { name: 'successRadius', default: 0.05, range: [0.01, 0.3], doc: 'info.success when ‖TCP − target‖ is below this (m)' },
    { name: 'ctrlCost', default: 0.01, range: [0, 5], doc: 'weight of ‖a‖²' },
    { name: 'contactCost', default: contactCost, range: [0, 10], doc: 'cost per step while the arm touches an obstacle' },
  ];
}

/** The default workspace: a box over the table, every point within the arm's reach (≤ 0.84 m from the shoulder). */
const REACH_ANY = { x: 0.475, y: 0.675, z: 0, sx: 0.225, sy: 0.225, sz: 0.35 };
/** Behind the wall: low over the table's far side, so the arm has to come over the top. */
const REACH_BEHIND = { x: 0.62, y: 0.5, z: 0, sx: 0.05, sy: 0.05, sz: 0.12 };

function resetReach(ctx: ResetContext): void {
  const p = ctx.params,
    rng = ctx.rng,
    s = ctx.taskState;
  s[0] = Math.fround(p.targetX! + rng.uniform(-p.targetSpreadX!, p.targetSpreadX!));
  s[1] = Math.fround(p.targetY! + rng.uniform(-p.targetSpreadY!, p.targetSpreadY!));
  s[2] = Math.fround(p.targetZ! + rng.uniform(-p.targetSpreadZ!, p.targetSpreadZ!));
  place(ctx, 'target', s[0], s[1], s[2]);
}

function observeReach(r: RobotInstance, out: Float32Array, off: number, s: Float64Array): void {
  observeArm(r, out, off);
  for (let d = 0; d < 3; d++) out[off + 24 + d] = s[d]!;
}

function reachReward(ctx: StepContext): { reward: number; terminated: boolean } {
  const p = ctx.params;
  tcpPosition(ctx.robot, tcp, 0);
  const d = dist(tcp, 0, ctx.taskState, 0);
  const cost = p.ctrlCost! * ctrl(ctx);
  const contact = ctx.robot.touching() ? 1 : 0;
  ctx.info.distance = d;
  ctx.info.ctrl_cost = cost;
  ctx.info.contact = contact;
  ctx.info.success = d < p.successRadius! ? 1 : 0;
  RESULT.reward = -d - cost - p.contactCost! * contact;
  RESULT.terminated = false;
  return RESULT;
}

/** The reach-obstacle wall (env frame), from its params. */
function wall(p: Record<string, number>): Obstacle {
  const h = p.obstacleHeight! / 2;
  return {
    position: [p.obstacleX!, TABLE_TOP + h, 0],
    halfExtents: [OBSTACLE_HALF_THICKNESS, h, p.obstacleHalfWidth!],
  };
}

function inflate(o: Obstacle): Obstacle {
  const [x, y, z] = o.halfExtents;
  return { position: o.position, halfExtents: [x + CONTACT_MARGIN, y + CONTACT_MARGIN, z + CONTACT_MARGIN] };
}

function boxMarker(o: Obstacle, color: string): Marker {
  return { kind: 'obstacle', shape: 'box', position: o.position, size: o.halfExtents, color };
}

function commonMarkers(v: Variant): Marker[] {
  return [boxMarker(ARM7_TABLE, COLORS.table), ...v.obstacles.map((o) => boxMarker(o, COLORS.obstacle))];
}

function base(): Omit<
  PhysicsTask,
  'id' | 'description' | 'params' | 'variants' | 'reward' | 'observe' | 'obsDim' | 'resetTask' | 'stateSize'
> {
  return {
    robot: ARM7,
    maxEpisodeSteps: 200,
    frameSkip: 5,
    obstacles: true,
    posNoise: 0.1, // rad, on every joint around the start pose
    velNoise: 0.05,
    infoKeys: [],
    scenery: () => [ARM7_TABLE],
    sensors: (v) => v.obstacles.map(inflate),
    markers: commonMarkers,
  };
}

const targetObject = (v: Variant): ObjectDef[] => [
  {
    name: 'target',
    kind: 'marker',
    origin: [v.params.targetX!, v.params.targetY!, v.params.targetZ!],
    geoms: [{ shape: 'sphere', radius: v.params.successRadius!, center: [0, 0, 0], density: 1, color: COLORS.target }],
  },
];

const REACH_INFO = ['distance', 'ctrl_cost', 'contact', 'success'];

const reachAny: PhysicsTask = {
  ...base(),
  id: 'arm7/reach-any',
  description:
    'arm7 pretraining: reach a target drawn uniformly from the workspace over the table each episode; reward −‖tcp − target‖ − 0.01‖a‖²; info.success within 5 cm.',
  obsDim: 27,
  params: reachParams(REACH_ANY, 0),
  variants: [
    {
      name: 'fixed-target',
      description: 'always the same target, left of centre',
      json: { params: { targetX: 0.55, targetY: 0.6, targetZ: 0.2, targetSpreadX: 0, targetSpreadY: 0, targetSpreadZ: 0 } },
    },
    { name: 'weak-shoulder', description: 'shoulder lift at 30 % speed and torque', json: { actuators: { shoulder_lift: 0.3 } } },
  ],
  infoKeys: REACH_INFO,
  objects: targetObject,
  stateSize: 3,
  resetTask: resetReach,
  observe: observeReach,
  reward: reachReward,
};

const reachObstacle: PhysicsTask = {
  ...base(),
  id: 'arm7/reach-obstacle',
  description:
    'arm7: reach targets low behind a wall on the table; reward −‖tcp − target‖ − 0.01‖a‖² − 1 per step touching the wall (or any variant obstacle).',
  obsDim: 27,
  params: [
    ...reachParams(REACH_BEHIND, 1),
    { name: 'obstacleX', default: 0.45, range: [0.25, 0.95], doc: 'x of the wall between the arm and the targets (m)' },
    { name: 'obstacleHeight', default: 0.2, range: [0.02, 0.8], doc: 'height of the wall above the table (m)' },
    { name: 'obstacleHalfWidth', default: 0.2, range: [0.02, 0.6], doc: 'half-width of the wall along z (m)' },
  ],
  variants: [
    { name: 'tall-wall', description: 'a 30 cm wall', json: { params: { obstacleHeight: 0.3 } } },
    { name: 'elbow-disabled', description: 'the elbow motor off (the joint swings freely)', json: { actuators: { elbow: 0 } } },
  ],
  infoKeys: REACH_INFO,
  scenery: (v) => [ARM7_TABLE, wall(v.params)],
  sensors: (v) => [wall(v.params), ...v.obstacles].map(inflate),
  markers: (v) => [...commonMarkers(v), boxMarker(wall(v.params), COLORS.obstacle)],
  objects: targetObject,
  stateSize: 3,
  resetTask: resetReach,
  observe: observeReach,
  reward: reachReward,
};

// ---------------------------------------------------------------- push

const blockParams = (spread: number): ParamSpec[] => [
  { name: 'blockX', default: 0.5, range: [0.2, 1], doc: 'centre of the block start region, x (m)' },
  { name: 'blockZ', default: 0, range: [-0.6, 0.6], doc: 'centre of the block start region, z (m)' },
  { name: 'blockSpread', default: spread, range: [0, 0.3], doc: 'block starts uniform within ± this in x and z (m)' },
  { name: 'blockHalfSize', default: 0.03, range: [0.01, 0.08], doc: 'half the block edge (m); mass scales with volume' },
  { name: 'blockFriction', default: 0.5, range: [0.05, 2], doc: "block surface friction (Rapier averages it with the table's 1)" },
];
const BLOCK_DENSITY = 925; // kg/m³: a 6 cm cube weighs 0.2 kg

/** The table top's extent (env frame), from its box. */
const TABLE_X: [number, number] = [ARM7_TABLE.position[0] - ARM7_TABLE.halfExtents[0], ARM7_TABLE.position[0] + ARM7_TABLE.halfExtents[0]];
const TABLE_Z: [number, number] = [ARM7_TABLE.position[2] - ARM7_TABLE.halfExtents[2], ARM7_TABLE.position[2] + ARM7_TABLE.halfExtents[2]];

/** Every start the block can draw (± blockSpread, plus its half-edge) rests wholly on the table top. */
function checkBlock(v: Variant): void {
  const m = v.params.blockSpread! + v.params.blockHalfSize!;
  checkInside(v, 'blockX', TABLE_X, m, 'the table top spans x ∈', 'blockSpread + blockHalfSize');
  checkInside(v, 'blockZ', TABLE_Z, m, 'the table top spans z ∈', 'blockSpread + blockHalfSize');
}

/** push-goal: the block can rest on the goal (on the table) and the hand can get there. */
function checkGoal(v: Variant): void {
  checkBlock(v);
  const p = v.params,
    h = p.blockHalfSize!;
  checkInside(v, 'goalX', TABLE_X, h, 'the block rests on the table top, x ∈', 'blockHalfSize');
  checkInside(v, 'goalZ', TABLE_Z, h, 'the block rests on the table top, z ∈', 'blockHalfSize');
  const s = ARM7_SHOULDER;
  const d = Math.hypot(p.goalX! - s[0], TABLE_TOP + h - s[1], p.goalZ! - s[2]);
  if (d > ARM7_REACH) {
    const at = s.map((x) => +x.toFixed(3)).join(', ');
    throw new VariantError(
      `variant.params.goalX, goalZ: expected a goal within the arm's reach (≤ ${ARM7_REACH.toFixed(3)} m from the shoulder at [${at}]), got [${p.goalX}, ${p.goalZ}], ${d.toFixed(3)} m away`,
    );
  }
}

const blockObject = (v: Variant): ObjectDef[] => {
  const h = v.params.blockHalfSize!;
  return [
    {
      name: 'block',
      kind: 'dynamic',
      origin: [v.params.blockX!, TABLE_TOP + h, v.params.blockZ!],
      geoms: [
        {
          shape: 'box',
          center: [0, 0, 0],
          halfExtents: [h, h, h],
          density: BLOCK_DENSITY,
          friction: v.params.blockFriction!,
          color: COLORS.block,
        },
      ],
    },
  ];
};

/** Task state, push: block start (0..2), goal (3..5), env frame. */
function resetPush(ctx: ResetContext): void {
  const p = ctx.params,
    rng = ctx.rng,
    s = ctx.taskState;
  s[0] = Math.fround(p.blockX! + rng.uniform(-p.blockSpread!, p.blockSpread!));
  s[1] = Math.fround(TABLE_TOP + p.blockHalfSize!);
  s[2] = Math.fround(p.blockZ! + rng.uniform(-p.blockSpread!, p.blockSpread!));
  place(ctx, 'block', s[0], s[1], s[2]);
  if (p.goalX === undefined) {
    s[3] = s[0];
    s[4] = s[1];
    s[5] = s[2];
  } else {
    s[3] = Math.fround(p.goalX);
    s[4] = s[1];
    s[5] = Math.fround(p.goalZ!);
  }
}

const block = new Float64Array(3);

/** Block centre (env frame) into `block`, from the last read. */
function readBlock(r: RobotInstance): void {
  const b = r.nTree * STRIDE; // the block is the only object of the push tasks
  for (let d = 0; d < 3; d++) block[d] = r.state[b + d]! - r.origin[d]!;
}

function observePush(r: RobotInstance, out: Float32Array, off: number, s: Float64Array): void {
  observeArm(r, out, off);
  readBlock(r);
  for (let d = 0; d < 3; d++) {
    out[off + 24 + d] = block[d]!;
    out[off + 27 + d] = s[3 + d]!;
  }
}

const PUSH_INFO = ['tcp_block', 'displacement', 'block_dx', 'block_dz', 'on_table', 'block_goal', 'ctrl_cost', 'contact', 'success'];

/**
 * The block rests on the table while its centre is within one half-edge of its resting height
 * (a tilted cube's centre rises by at most 0.73 half-edges) and over the table top.
 */
function onTable(h: number): boolean {
  const t = ARM7_TABLE;
  return (
    Math.abs(block[1]! - (TABLE_TOP + h)) < h &&
    Math.abs(block[0]! - t.position[0]) < t.halfExtents[0] &&
    Math.abs(block[2]! - t.position[2]) < t.halfExtents[2]
  );
}

/** Shared: TCP–block and block–start/goal distances into info; the task combines them. */
function pushTerms(ctx: StepContext): void {
  tcpPosition(ctx.robot, tcp, 0);
  readBlock(ctx.robot);
  const s = ctx.taskState;
  const dx = block[0]! - s[0]!,
    dz = block[2]! - s[2]!;
  ctx.info.tcp_block = dist(tcp, 0, block, 0);
  ctx.info.block_dx = dx;
  ctx.info.block_dz = dz;
  ctx.info.displacement = Math.hypot(dx, dz);
  ctx.info.on_table = onTable(ctx.params.blockHalfSize!) ? 1 : 0;
  ctx.info.block_goal = dist(block, 0, s, 3);
  ctx.info.ctrl_cost = ctx.params.ctrlCost! * ctrl(ctx);
  ctx.info.contact = ctx.robot.touching() ? 1 : 0;
}

function pushBase(): Omit<PhysicsTask, 'id' | 'description' | 'params' | 'variants' | 'reward'> {
  return {
    ...base(),
    obsDim: 30,
    infoKeys: PUSH_INFO,
    objects: blockObject,
    stateSize: 6,
    resetTask: resetPush,
    observe: observePush,
  };
}

const pushAny: PhysicsTask = {
  ...pushBase(),
  id: 'arm7/push-any',
  description:
    'arm7 pretraining: push the block anywhere on the table; reward −‖tcp − block‖ + 2·‖block − block start‖ (in the table plane, only while the block is on the table) − 0.01‖a‖².',
  params: [
    ...blockParams(0.1),
    { name: 'reachWeight', default: 1, range: [0, 5], doc: 'weight of ‖tcp − block‖' },
    {
      name: 'displacementWeight',
      default: 2,
      range: [0, 10],
      doc: "weight of the block's distance from its start in the table plane, paid while it is on the table",
    },
    { name: 'ctrlCost', default: 0.01, range: [0, 5], doc: 'weight of ‖a‖²' },
    { name: 'contactCost', default: 0, range: [0, 10], doc: 'cost per step while the arm touches a variant obstacle' },
  ],
  variants: [
    { name: 'heavy-block', description: 'block mass ×5', json: { massScale: { block: 5 } } },
    { name: 'slippery-block', description: 'block friction 0.1', json: { params: { blockFriction: 0.1 } } },
  ],
  checkVariant: checkBlock,
  reward: (ctx) => {
    pushTerms(ctx);
    const p = ctx.params,
      i = ctx.info;
    i.success = 0;
    RESULT.reward =
      -p.reachWeight! * i.tcp_block! + p.displacementWeight! * i.on_table! * i.displacement! - i.ctrl_cost! - p.contactCost! * i.contact!;
    RESULT.terminated = false;
    return RESULT;
  },
};

const pushGoal: PhysicsTask = {
  ...pushBase(),
  id: 'arm7/push-goal',
  description: 'arm7: push the block to the goal; reward −0.5‖tcp − block‖ − ‖block − goal‖ − 0.1‖a‖²; info.success within 5 cm.',
  params: [
    ...blockParams(0.05),
    { name: 'goalX', default: 0.65, range: [0.2, 1], doc: 'goal on the table, x (m)' },
    { name: 'goalZ', default: 0.15, range: [-0.6, 0.6], doc: 'goal on the table, z (m)' },
    { name: 'reachWeight', default: 0.5, range: [0, 5], doc: 'weight of ‖tcp − block‖' },
    { name: 'goalWeight', default: 1, range: [0, 10], doc: 'weight of ‖block − goal‖' },
    { name: 'successRadius', default: 0.05, range: [0.01, 0.3], doc: 'info.success when ‖block − goal‖ is below this (m)' },
    { name: 'ctrlCost', default: 0.1, range: [0, 5], doc: 'weight of ‖a‖²' },
    { name: 'contactCost', default: 0, range: [0, 10], doc: 'cost per step while the arm touches a variant obstacle' },
  ],
  variants: [
    { name: 'goal-left', description: 'goal at (0.55, −0.2)', json: { params: { goalX: 0.55, goalZ: -0.2 } } },
    { name: 'heavy-block', description: 'block mass ×5', json: { massScale: { block: 5 } } },
    { name: 'weak-wrist', description: 'wrist flex at 30 % speed and torque', json: { actuators: { wrist_flex: 0.3 } } },
  ],
  checkVariant: checkGoal,
  markers: (v) => [
    ...commonMarkers(v),
    {
      kind: 'goal',
      shape: 'cylinder',
      position: [v.params.goalX!, TABLE_TOP + 0.002, v.params.goalZ!],
      size: [0.002, v.params.successRadius!],
      color: COLORS.goal,
    },
  ],
  reward: (ctx) => {
    pushTerms(ctx);
    const p = ctx.params,
      i = ctx.info;
    i.success = i.block_goal! < p.successRadius! ? 1 : 0;
    RESULT.reward = -p.reachWeight! * i.tcp_block! - p.goalWeight! * i.block_goal! - i.ctrl_cost! - p.contactCost! * i.contact!;
    RESULT.terminated = false;
    return RESULT;
  },
};

export const arm7Tasks = [reachAny, reachObstacle, pushAny, pushGoal].map(physicsEntry);
