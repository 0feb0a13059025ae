// arm7: a 7-DoF serial arm proportioned after the Franka Emika Panda (link lengths 0.333 /
// 0.316 / 0.384 / 0.107 + a 0.103 hand, link masses, joint ranges, speed and torque limits
// from Franka's datasheet), y-up, facing +x, on a fixed pedestal beside a table whose top is
// level with the arm's base. Simplified: the Panda's small lateral offsets (a4, a5, a7 ≈ 8 cm)
// are left out, so every joint axis meets the arm's centre line and the reference pose (all
// joints 0) is the arm standing straight up. Links never collide with each other (robot
// collision group), only with the table, the floor, obstacles and the block.
//
// Control is by joint velocity, as on the real arm: a Rapier velocity motor drives q̇ toward
// a·vmax with at most the joint's torque limit. The links are gravity-compensated
// (gravityScale 0), as the Panda's controller does; the block still falls.
import type { BodyDef, GeomDef, JointDef, RobotDef, Vec3 } from './types.ts';

/** Table top height = pedestal height (m). */
export const TABLE_TOP = 0.4;
/** The table: a solid box to the floor, x ∈ [0.2, 1.0], z ∈ [−0.6, 0.6] (env frame). */
export const ARM7_TABLE = { position: [0.6, TABLE_TOP / 2, 0] as Vec3, halfExtents: [0.4, TABLE_TOP / 2, 0.6] as Vec3 };

const J1 = TABLE_TOP + 0.14; // Panda: the first moving link starts ~14 cm above the base
const SHOULDER = TABLE_TOP + 0.333;
const J3 = SHOULDER + 0.12;
const ELBOW = SHOULDER + 0.316;
const J5 = ELBOW + 0.1;
const WRIST = ELBOW + 0.384;
const J7 = WRIST + 0.06;
/** Tool centre point (between the fingertips) in the hand's body frame: flange 0.107 + hand 0.1034 past the wrist. */
export const ARM7_TCP: Vec3 = [0, WRIST + 0.107 + 0.1034 - J7, 0];
/** Index of the hand body (the TCP's body) in ARM7.bodies. */
export const ARM7_HAND = 7;
/** Shoulder (joint 2) position, env frame: the centre of the reachable sphere. */
export const ARM7_SHOULDER: Vec3 = [0, SHOULDER, 0];
/** Distance from the shoulder to the TCP with the arm straight (m). */
export const ARM7_REACH = WRIST + 0.107 + 0.1034 - SHOULDER;

const WHITE = '#e6e8eb';
const DARK = '#3b3f46';
const PI_LIM = 2.8973; // Panda's ±166° roll/pan joints
/** Panda: joints 1–4 2.175 rad/s and 87 N·m, joints 5–7 2.61 rad/s and 12 N·m. */
const BIG = { vmax: 2.175, torque: 87, gain: 200 };
const SMALL = { vmax: 2.61, torque: 12, gain: 20 };
/**
 * Rotor inertia stand-in, 0.1 kg·m² per link as MuJoCo Menagerie's Panda uses for every joint.
 * Without it the impulse-joint chain is soft: shoulder_lift reached 0.40 of a commanded 1.09
 * rad/s after 0.15 s and random actions (16 arms × 625 steps) pushed joints 9.6–12° past their
 * limits; with it 1.06 rad/s and < 1° (gains 200 / 20 N·m·s/rad; 50 / 5 tracked worse).
 */
const ARMATURE = 0.1;

function volume(g: GeomDef): number {
  if (g.shape === 'sphere') return (4 / 3) * Math.PI * g.radius! ** 3;
  if (g.shape === 'box') return 8 * g.halfExtents![0] * g.halfExtents![1] * g.halfExtents![2];
  const f = g.from!,
    t = g.to!;
  const len = Math.hypot(t[0] - f[0], t[1] - f[1], t[2] - f[2]);
  const cyl = Math.PI * g.radius! ** 2 * len;
  return g.shape === 'capsule' ? cyl + (4 / 3) * Math.PI * g.radius! ** 3 : cyl;
}

/** Gives the geoms one density so that together they weigh `mass` kg (Panda link masses). */
function withMass(mass: number, geoms: Omit<GeomDef, 'density'>[]): GeomDef[] {
  let v = 0;
  for (const g of geoms) v += volume({ ...g, density: 0 });
  return geoms.map((g) => ({ ...g, density: mass / v }));
}

const up = (y0: number, y1: number): { from: Vec3; to: Vec3 } => ({ from: [0, y0, 0], to: [0, y1, 0] });

function build(): RobotDef {
  const bodies: BodyDef[] = [
    {
      name: 'base',
      origin: [0, 0, 0],
      geoms: [
        { shape: 'box', center: [0, TABLE_TOP / 2, 0], halfExtents: [0.14, TABLE_TOP / 2, 0.14], density: 1000, color: DARK },
        { shape: 'cylinder', radius: 0.07, ...up(TABLE_TOP, J1), density: 1000, color: WHITE },
      ],
    },
    {
      name: 'link1',
      origin: [0, J1, 0],
      geoms: withMass(4.97, [{ shape: 'capsule', radius: 0.065, ...up(0, SHOULDER - J1), color: WHITE }]),
    },
    {
      name: 'link2',
      origin: [0, SHOULDER, 0],
      geoms: withMass(0.646, [{ shape: 'capsule', radius: 0.06, ...up(0, J3 - SHOULDER), color: DARK }]),
    },
    {
      name: 'link3',
      origin: [0, J3, 0],
      geoms: withMass(3.23, [{ shape: 'capsule', radius: 0.055, ...up(0, ELBOW - J3), color: WHITE }]),
    },
    {
      name: 'link4',
      origin: [0, ELBOW, 0],
      geoms: withMass(3.59, [{ shape: 'capsule', radius: 0.06, ...up(0, J5 - ELBOW), color: DARK }]),
    },
    {
      name: 'link5',
      origin: [0, J5, 0],
      geoms: withMass(1.23, [{ shape: 'capsule', radius: 0.05, ...up(0, WRIST - J5), color: WHITE }]),
    },
    {
      name: 'link6',
      origin: [0, WRIST, 0],
      geoms: withMass(1.67, [{ shape: 'capsule', radius: 0.045, ...up(0, J7 - WRIST), color: DARK }]),
    },
    {
      // Link 7 (flange) and the gripper as one body: 0.735 + 0.73 kg.
      name: 'hand',
      origin: [0, J7, 0],
      geoms: withMass(1.465, [
        { shape: 'cylinder', radius: 0.04, ...up(0, 0.047), color: WHITE },
        { shape: 'box', center: [0, 0.075, 0], halfExtents: [0.025, 0.028, 0.08], color: WHITE },
        { shape: 'box', center: [0, ARM7_TCP[1] - 0.02, 0.03], halfExtents: [0.01, 0.025, 0.01], color: DARK },
        { shape: 'box', center: [0, ARM7_TCP[1] - 0.02, -0.03], halfExtents: [0.01, 0.025, 0.01], color: DARK },
      ]),
    },
  ];
  for (const b of bodies.slice(1)) {
    b.gravityScale = 0;
    b.armature = ARMATURE;
  }

  const Y: Vec3 = [0, 1, 0];
  const PITCH: Vec3 = [0, 0, -1]; // positive angle tips the arm toward +x (the table)
  const joint = (name: string, k: number, axis: Vec3, limits: [number, number], m: typeof BIG, init?: number): JointDef => ({
    name,
    parent: bodies[k - 1]!.name,
    child: bodies[k]!.name,
    anchor: bodies[k]!.origin,
    axis,
    limits,
    actuator: { mode: 'velocity', gear: m.vmax, damping: m.gain, maxTorque: m.torque },
    ...(init === undefined ? {} : { init }),
  });
  // Ranges are the Panda's, with its elbow and wrist flipped to positive = bending toward the
  // table, except that every limit stays ≤ 2.9 rad from 0: Rapier (and RobotInstance) measure a
  // revolute angle in (−π, π], so a joint pushed a few degrees past a limit near π would read
  // as near −π and be driven the wrong way. Elbow: Panda 0.07…3.07 → 0.07…2.9; wrist: Panda
  // −0.02…3.75 (more than π) → −0.6…2.9, the same span shifted. The start pose holds the hand
  // over the table, fingers down.
  const joints: JointDef[] = [
    joint('shoulder_pan', 1, Y, [-PI_LIM, PI_LIM], BIG),
    joint('shoulder_lift', 2, PITCH, [-1.7628, 1.7628], BIG, 0.2),
    joint('upper_arm_roll', 3, Y, [-PI_LIM, PI_LIM], BIG),
    joint('elbow', 4, PITCH, [0.0698, 2.9], BIG, 1.9),
    joint('forearm_roll', 5, Y, [-PI_LIM, PI_LIM], SMALL),
    joint('wrist_flex', 6, PITCH, [-0.6, 2.9], SMALL, 1.04),
    joint('wrist_roll', 7, Y, [-PI_LIM, PI_LIM], SMALL),
  ];
  return { id: 'arm7', bodies, joints, root: 'fixed', rootHeight: 0, trace: 'hand' };
}

export const ARM7: RobotDef = build();
