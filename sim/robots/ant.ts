// The ant, after Gymnasium's Ant-v4 (same lengths, radii and density 5), rotated to
// y-up. MuJoCo's separate "aux" leg segments carry no joint, so they are welded into
// the torso as extra capsules: 9 bodies, 8 actuated revolute joints.
// Plane coordinates (u, v) = (x, −z): leg k points at heading 45° + 90°·k.
//
// Gear: MuJoCo uses 150 with armature 1 and joint damping 1; Rapier has no armature,
// so the same torque would whip the 30 g legs around. 20 N·m with damping 1
// (τ = 20·a − q̇, i.e. q̇ → 20·a rad/s in ~10 ms) walks well and stays stable
// (WORKPLACE.md measured the same).
// Armature: MuJoCo's ant has joint armature 1; Rapier has none, and a 20 N·m motor on a
// 40 g leg then outruns the limit constraint (random actions, 4 solver iterations, internal
// PGS 8: limits gave way 11.5°). ARMATURE kg·m² of extra isotropic inertia on each leg body
// (~5× a thigh's own) holds them to < 5° at internal PGS 2, half the solver work; the motor
// still reaches 20 rad/s in ~6 ms, well inside a 50 ms control step.
import type { BodyDef, JointDef, RobotDef, Vec3 } from './types.ts';

const DENSITY = 5;
const R = 0.08; // leg capsule radius
const SEG = 0.2 * Math.SQRT2; // aux and thigh length (MuJoCo: 0.2·√2)
const SHIN = 0.4 * Math.SQRT2;
const GEAR = 20;
const ARMATURE = 0.005;
const DAMPING = 1;
const HIP_LIMIT = (30 * Math.PI) / 180;
const KNEE_LIMITS: [number, number] = [(30 * Math.PI) / 180, (70 * Math.PI) / 180];

const LEGS = ['front_left', 'back_left', 'back_right', 'front_right'] as const;
const COLORS = { torso: '#d9a441', thigh: '#c98f2f', shin: '#a8741f' };

function scale(v: Vec3, s: number): Vec3 {
  return [v[0] * s, v[1] * s, v[2] * s];
}

function build(): RobotDef {
  const torso: BodyDef = {
    name: 'torso',
    origin: [0, 0, 0],
    geoms: [{ shape: 'sphere', radius: 0.25, center: [0, 0, 0], density: DENSITY, color: COLORS.torso }],
  };
  const bodies: BodyDef[] = [torso];
  const joints: JointDef[] = [];
  LEGS.forEach((leg, k) => {
    const heading = Math.PI / 4 + (k * Math.PI) / 2;
    const d: Vec3 = [Math.cos(heading), 0, -Math.sin(heading)];
    const hip = scale(d, SEG);
    const knee = scale(d, 2 * SEG);
    torso.geoms.push({ shape: 'capsule', radius: R, from: [0, 0, 0], to: hip, density: DENSITY, color: COLORS.torso });
    bodies.push({
      name: `${leg}_thigh`,
      origin: hip,
      armature: ARMATURE,
      geoms: [{ shape: 'capsule', radius: R, from: [0, 0, 0], to: scale(d, SEG), density: DENSITY, color: COLORS.thigh }],
    });
    bodies.push({
      name: `${leg}_shin`,
      origin: knee,
      armature: ARMATURE,
      geoms: [{ shape: 'capsule', radius: R, from: [0, 0, 0], to: scale(d, SHIN), density: DENSITY, color: COLORS.shin }],
    });
    const act = { mode: 'torque' as const, gear: GEAR, damping: DAMPING, maxTorque: 2 * GEAR };
    joints.push({
      name: `${leg}_hip`,
      parent: 'torso',
      child: `${leg}_thigh`,
      anchor: hip,
      axis: [0, 1, 0],
      limits: [-HIP_LIMIT, HIP_LIMIT],
      actuator: act,
    });
    // Knee axis = up × d, so a positive angle bends the shin down toward the ground.
    joints.push({
      name: `${leg}_knee`,
      parent: `${leg}_thigh`,
      child: `${leg}_shin`,
      anchor: knee,
      axis: [d[2], 0, -d[0]],
      limits: KNEE_LIMITS,
      actuator: act,
      init: (KNEE_LIMITS[0] + KNEE_LIMITS[1]) / 2,
    });
  });
  return { id: 'ant', bodies, joints, root: 'free', rootHeight: 0.6 };
}

export const ANT: RobotDef = build();
