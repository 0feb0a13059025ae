// The half-cheetah, after Gymnasium's HalfCheetah-v4 (same segment poses, radius 0.046,
// density 1000, friction 0.4, joint ranges, spring stiffness, damping and gears), moved to
// y-up: MuJoCo's x–z plane becomes our x–y plane and its hinge axis +y becomes our −z,
// so joint signs and ranges read as in the MuJoCo model. Planar: every body may only
// translate in x–y and rotate about z (Rapier's enabled translations/rotations).
import type { BodyDef, GeomDef, JointDef, RobotDef, Vec3 } from './types.ts';

const R = 0.046;
const DENSITY = 1000;
const FRICTION = 0.4;
/**
 * MuJoCo's cheetah has joint armature 0.1; Rapier has none, so each link gets 0.1 kg·m² of
 * extra inertia instead. Without it the 120 N·m hips outrun the limit constraint under random
 * actions (measured, 16 cheetahs × 400 steps: p99.9 12°, max 16–29° with slippery).
 */
const ARMATURE = 0.1;
const COLORS = { torso: '#d9a441', back: '#c98f2f', front: '#a8741f' };

/** A MuJoCo capsule (pos, axisangle about y, half-length) in our frame, relative to a body origin. */
function cap(px: number, pz: number, theta: number, half: number, color: string): GeomDef {
  const dx = Math.sin(theta) * half,
    dy = Math.cos(theta) * half;
  return {
    shape: 'capsule',
    radius: R,
    from: [px - dx, pz - dy, 0],
    to: [px + dx, pz + dy, 0],
    density: DENSITY,
    friction: FRICTION,
    color,
  };
}

interface Seg {
  name: string;
  parent: string;
  /** Joint/body origin relative to the parent's origin (MuJoCo x, z). */
  pos: [number, number];
  range: [number, number];
  stiffness: number;
  damping: number;
  gear: number;
  geom: [number, number, number, number]; // pos x, pos z, axis angle, half-length
}

const SEGS: Seg[] = [
  {
    name: 'bthigh',
    parent: 'torso',
    pos: [-0.5, 0],
    range: [-0.52, 1.05],
    stiffness: 240,
    damping: 6,
    gear: 120,
    geom: [0.1, -0.13, -3.8, 0.145],
  },
  {
    name: 'bshin',
    parent: 'bthigh',
    pos: [0.16, -0.25],
    range: [-0.785, 0.785],
    stiffness: 180,
    damping: 4.5,
    gear: 90,
    geom: [-0.14, -0.07, -2.03, 0.15],
  },
  {
    name: 'bfoot',
    parent: 'bshin',
    pos: [-0.28, -0.14],
    range: [-0.4, 0.785],
    stiffness: 120,
    damping: 3,
    gear: 60,
    geom: [0.03, -0.097, -0.27, 0.094],
  },
  {
    name: 'fthigh',
    parent: 'torso',
    pos: [0.5, 0],
    range: [-1, 0.7],
    stiffness: 180,
    damping: 4.5,
    gear: 120,
    geom: [-0.07, -0.12, 0.52, 0.133],
  },
  {
    name: 'fshin',
    parent: 'fthigh',
    pos: [-0.14, -0.24],
    range: [-1.2, 0.87],
    stiffness: 120,
    damping: 3,
    gear: 60,
    geom: [0.065, -0.09, -0.6, 0.106],
  },
  {
    name: 'ffoot',
    parent: 'fshin',
    pos: [0.13, -0.18],
    range: [-0.5, 0.5],
    stiffness: 60,
    damping: 1.5,
    gear: 30,
    geom: [0.045, -0.07, -0.6, 0.07],
  },
];

function build(): RobotDef {
  const torso: BodyDef = {
    name: 'torso',
    origin: [0, 0, 0],
    geoms: [
      { shape: 'capsule', radius: R, from: [-0.5, 0, 0], to: [0.5, 0, 0], density: DENSITY, friction: FRICTION, color: COLORS.torso },
      cap(0.6, 0.1, 0.87, 0.15, COLORS.torso), // head
    ],
  };
  const bodies: BodyDef[] = [torso];
  const joints: JointDef[] = [];
  const origin = new Map<string, Vec3>([['torso', [0, 0, 0]]]);
  for (const s of SEGS) {
    const p = origin.get(s.parent)!;
    const o: Vec3 = [p[0] + s.pos[0], p[1] + s.pos[1], 0];
    origin.set(s.name, o);
    const color = s.name.startsWith('b') ? COLORS.back : COLORS.front;
    bodies.push({ name: s.name, origin: o, armature: ARMATURE, geoms: [cap(s.geom[0], s.geom[1], s.geom[2], s.geom[3], color)] });
    joints.push({
      name: s.name,
      parent: s.parent,
      child: s.name,
      anchor: o,
      axis: [0, 0, -1],
      limits: s.range,
      actuator: { mode: 'torque', gear: s.gear, damping: s.damping, stiffness: s.stiffness, maxTorque: 2 * s.gear },
    });
  }
  return { id: 'cheetah', bodies, joints, root: 'planar', rootHeight: 0.7 };
}

export const CHEETAH: RobotDef = build();
