// Robots are data: a body tree of rigid bodies with geoms, revolute joints with
// limits and actuators. All positions are in the robot frame at the reference
// configuration (every joint at 0, every body unrotated); world y is up.

export type Vec3 = [number, number, number];

export interface GeomDef {
  shape: 'sphere' | 'capsule' | 'box' | 'cylinder';
  /** sphere / capsule / cylinder radius. */
  radius?: number;
  /** capsule / cylinder segment endpoints, body frame. */
  from?: Vec3;
  to?: Vec3;
  /** sphere / box centre, body frame. */
  center?: Vec3;
  /** box half-extents (axis-aligned in the body frame). */
  halfExtents?: Vec3;
  /** kg/m³; mass and inertia follow from the shape. */
  density: number;
  friction?: number;
  color: string;
}

export interface BodyDef {
  name: string;
  /** Body origin in the robot frame at the reference configuration. */
  origin: Vec3;
  geoms: GeomDef[];
  /** 0 for gravity-compensated links (the arm). Default 1. */
  gravityScale?: number;
  /**
   * Extra rotational inertia (kg·m², isotropic, about the body's centre of mass, no mass):
   * stands in for MuJoCo's joint armature, which Rapier lacks. Without it a 20 N·m motor on
   * a 40 g leg outruns the joint-limit constraint (measured: limits give way > 10°).
   */
  armature?: number;
}

/**
 * A body outside the joint tree, owned by a task (sim/tasks/physics-task.ts objects()):
 * `dynamic` is a free rigid body that collides with the world, the robot and other objects
 * (the arm's block); `marker` is drawn and placed by the task each episode but never
 * collides (a per-episode target: static Markers cannot move, poses can).
 */
export interface ObjectDef {
  name: string;
  kind: 'dynamic' | 'marker';
  /** Default position (env frame) before the task places it at reset. */
  origin: Vec3;
  geoms: GeomDef[];
}

export interface ActuatorDef {
  /**
   * torque: τ = gear·a − damping·q̇ − stiffness·q (a Rapier ForceBased motor with target
   * velocity gear·a/damping, which makes the damping implicit and stable).
   * velocity: motor drives q̇ toward gear·a (rad/s) with gain `damping`, torque ≤ maxTorque.
   */
  mode: 'torque' | 'velocity';
  gear: number;
  damping: number;
  stiffness?: number;
  maxTorque: number;
}

export interface JointDef {
  name: string;
  parent: string;
  child: string;
  /** Joint anchor, robot frame. */
  anchor: Vec3;
  /** Unit rotation axis, robot frame. */
  axis: Vec3;
  /** Joint limits, radians. */
  limits: [number, number];
  actuator: ActuatorDef;
  /** Initial angle before noise (default 0); must lie inside the limits. */
  init?: number;
}

export interface RobotDef {
  id: string;
  /** bodies[0] is the root. */
  bodies: BodyDef[];
  /** Parents before children. */
  joints: JointDef[];
  /** free: 6-DoF root; planar: x–y translation + z rotation only; fixed: welded base. */
  root: 'free' | 'planar' | 'fixed';
  /** Robot-frame origin placed at this world height at reset (before noise). */
  rootHeight: number;
  /** Body whose path ghost trails follow (the arm's hand, not its fixed base); default the root. */
  trace?: string;
}

/** Whether the robot's root moves (the walkers): it goes far from where it starts, so views follow
 * it, and it can reach other envs' scenery in a shared world. */
export function travels(def: Pick<RobotDef, 'root'>): boolean {
  return def.root !== 'fixed';
}
