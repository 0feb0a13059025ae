// One robot built into a Rapier world from its RobotDef: reads its state into a flat
// Float32Array (13 floats per body: position, quaternion xyzw, linear velocity of the
// centre of mass, angular velocity), applies actions to its joint motors, and teleports
// it to a given state. Nothing here allocates per step.
// A task's objects (a free block, a target marker) are built after the tree and appended
// to the same state/visuals, so reads, resets, poses and snapshots cover them unchanged.
// Sensor boxes report whether the robot touches them (touching()), e.g. an obstacle's cost.
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import type { BodyVisual } from '../env.ts';
import { travels, type BodyDef, type ObjectDef, type RobotDef, type Vec3 } from '../robots/types.ts';
import type { Obstacle, Variant } from '../variant.ts';
import { GROUP_OBJECT, GROUP_ROBOT, GROUP_WORLD } from './groups.ts';
import { qaxisAngle, qfromY, qmul, qrel, qrot, twistAngle } from './math3.ts';
import { rapier } from './rapier.ts';

type World = RAPIER_NS.World;
type RigidBody = RAPIER_NS.RigidBody;
type RevoluteJoint = RAPIER_NS.RevoluteImpulseJoint;

export const STRIDE = 13;

/** Sensors are world members that only look for robot colliders (not the block, not the ground). */
const GROUP_SENSOR = (GROUP_WORLD & 0xffff0000) | (GROUP_ROBOT >>> 16);

/** What a task adds around the robot; both optional. */
export interface RobotExtras {
  objects?: ObjectDef[];
  /** Boxes (env frame) whose overlap with any robot collider touching() reports. */
  sensors?: Obstacle[];
}

export class RobotInstance {
  readonly def: RobotDef;
  /** Bodies with state rows: the tree's, then the task's objects. */
  readonly nb: number;
  /** Bodies of the joint tree (def.bodies); objects follow at [nTree, nb). */
  readonly nTree: number;
  readonly objects: ObjectDef[];
  readonly nj: number;
  readonly origin: Vec3;
  bodies: RigidBody[] = [];
  joints: RevoluteJoint[] = [];
  /** Last read state, STRIDE floats per body. */
  readonly state: Float32Array;
  /** Joint angles and velocities from the last read. */
  readonly q: Float64Array;
  readonly qd: Float64Array;
  /** Per geom: body index and local pose (xyz + quat), for poses(). */
  readonly visuals: BodyVisual[] = [];
  private readonly geomBody: Int32Array;

  /** First visual (pose index) of the robot's trace body (RobotDef.trace), else 0. */
  traceVisual(): number {
    const b = this.def.trace ? this.def.bodies.findIndex((d) => d.name === this.def.trace) : 0;
    const g = b < 0 ? -1 : this.geomBody.indexOf(b);
    return g < 0 ? 0 : g;
  }
  private readonly geomLocal: Float64Array;

  private world: World;
  private raw: RAPIER_NS.RigidBodySet['raw'];
  private readonly handles: Float64Array;
  private readonly views: Float32Array[] = []; // 4 per body: pos, rot, lin, ang
  private readonly jParent: Int32Array;
  private readonly jChild: Int32Array;
  private readonly axis: Float64Array; // robot/reference frame = both bodies' local frames
  private readonly anchorP: Float64Array; // anchor in parent's local frame
  private readonly anchorC: Float64Array; // anchor in child's local frame
  private readonly localCom: Float64Array;
  private readonly gear: Float64Array;
  private readonly damping: Float64Array;
  private readonly stiffness: Float64Array;
  private readonly velocityMode: Uint8Array;
  private readonly tmp = new Float64Array(16);
  /** Colliders of the tree's bodies and the sensor colliders (handles survive snapshots). */
  private readonly robotColliders: number[] = [];
  private readonly sensorColliders: number[] = [];
  /** Per object body index (nTree…), its collider descs, to rebuild them (renewObjectContacts). */
  private readonly objectDescs: RAPIER_NS.ColliderDesc[][] = [];

  constructor(world: World, def: RobotDef, variant: Variant, origin: Vec3, extras: RobotExtras = {}) {
    const R = rapier();
    this.world = world;
    this.def = def;
    this.origin = origin;
    this.objects = extras.objects ?? [];
    this.nTree = def.bodies.length;
    this.nb = this.nTree + this.objects.length;
    this.nj = def.joints.length;
    this.state = new Float32Array(this.nb * STRIDE);
    this.q = new Float64Array(this.nj);
    this.qd = new Float64Array(this.nj);
    this.raw = world.bodies.raw;
    this.handles = new Float64Array(this.nb);
    this.localCom = new Float64Array(this.nb * 3);
    const index = new Map(def.bodies.map((b, i) => [b.name, i]));

    const all: BodyDef[] = [...def.bodies, ...this.objects];
    let nGeoms = 0;
    for (const b of all) nGeoms += b.geoms.length;
    this.geomBody = new Int32Array(nGeoms);
    this.geomLocal = new Float64Array(nGeoms * 7);
    let g = 0;
    const friction = variant.friction;

    all.forEach((b, i) => {
      const obj = i >= this.nTree ? this.objects[i - this.nTree]! : null;
      let desc: RAPIER_NS.RigidBodyDesc;
      if ((i === 0 && def.root === 'fixed') || obj?.kind === 'marker') desc = R.RigidBodyDesc.fixed();
      else desc = R.RigidBodyDesc.dynamic().setCanSleep(false);
      // Planar: lock only the root; the revolute joints keep the children in the plane
      // (locking children too leaves the joint rows with zero effective mass and it explodes).
      if (def.root === 'planar' && i === 0) desc = desc.enabledTranslations(true, true, false).enabledRotations(false, false, true);
      if (b.gravityScale !== undefined) desc = desc.setGravityScale(b.gravityScale);
      if (b.armature) {
        const a = b.armature * (variant.massScale[b.name] ?? 1);
        desc = desc.setAdditionalMassProperties(0, { x: 0, y: 0, z: 0 }, { x: a, y: a, z: a }, { x: 0, y: 0, z: 0, w: 1 });
      }
      const lift = obj ? 0 : def.rootHeight;
      desc = desc.setTranslation(origin[0] + b.origin[0], origin[1] + b.origin[1] + lift, origin[2] + b.origin[2]);
      const body = world.createRigidBody(desc);
      this.bodies.push(body);
      this.handles[i] = body.handle;
      const massScale = variant.massScale[b.name] ?? 1;
      for (const geom of b.geoms) {
        const L = this.geomLocal;
        let cd: RAPIER_NS.ColliderDesc;
        let visual: BodyVisual;
        const name = b.geoms.length > 1 ? `${b.name}:${g}` : b.name;
        L[g * 7 + 6] = 1;
        if (geom.shape === 'capsule' || geom.shape === 'cylinder') {
          const f = geom.from!,
            t = geom.to!;
          const dx = t[0] - f[0],
            dy = t[1] - f[1],
            dz = t[2] - f[2];
          const len = Math.hypot(dx, dy, dz);
          const half = len / 2;
          L[g * 7] = (f[0] + t[0]) / 2;
          L[g * 7 + 1] = (f[1] + t[1]) / 2;
          L[g * 7 + 2] = (f[2] + t[2]) / 2;
          qfromY(dx / len, dy / len, dz / len, L, g * 7 + 3);
          cd = geom.shape === 'capsule' ? R.ColliderDesc.capsule(half, geom.radius!) : R.ColliderDesc.cylinder(half, geom.radius!);
          visual = { name, shape: geom.shape, size: [half, geom.radius!], color: geom.color };
        } else if (geom.shape === 'sphere') {
          const c = geom.center ?? [0, 0, 0];
          L.set(c, g * 7);
          cd = R.ColliderDesc.ball(geom.radius!);
          visual = { name, shape: 'sphere', size: [geom.radius!], color: geom.color };
        } else {
          const c = geom.center ?? [0, 0, 0];
          const h = geom.halfExtents!;
          L.set(c, g * 7);
          cd = R.ColliderDesc.cuboid(h[0], h[1], h[2]);
          visual = { name, shape: 'box', size: [...h], color: geom.color };
        }
        cd.setTranslation(L[g * 7]!, L[g * 7 + 1]!, L[g * 7 + 2]!)
          .setRotation({ x: L[g * 7 + 3]!, y: L[g * 7 + 4]!, z: L[g * 7 + 5]!, w: L[g * 7 + 6]! })
          .setDensity(geom.density * massScale)
          .setFriction((geom.friction ?? 1) * friction)
          .setCollisionGroups(obj ? GROUP_OBJECT : GROUP_ROBOT);
        // A travelling robot's objects can meet other envs' (physics/env-filter.ts); a fixed arm's block stays home.
        if (obj && travels(def)) cd.setActiveHooks(R.ActiveHooks.FILTER_CONTACT_PAIRS);
        // Markers are drawn only: no collider, so they never touch anything.
        if (obj?.kind !== 'marker') {
          const c = world.createCollider(cd, body);
          if (!obj) this.robotColliders.push(c.handle);
          else (this.objectDescs[i - this.nTree] ??= []).push(cd);
        }
        this.visuals.push(visual);
        this.geomBody[g] = i;
        g++;
      }
      const com = body.localCom();
      this.localCom[i * 3] = com.x;
      this.localCom[i * 3 + 1] = com.y;
      this.localCom[i * 3 + 2] = com.z;
      for (let k = 0; k < 4; k++) {
        const off = i * STRIDE + [0, 3, 7, 10][k]!;
        this.views.push(this.state.subarray(off, off + (k === 1 ? 4 : 3)));
      }
    });

    const nj = this.nj;
    this.jParent = new Int32Array(nj);
    this.jChild = new Int32Array(nj);
    this.axis = new Float64Array(nj * 3);
    this.anchorP = new Float64Array(nj * 3);
    this.anchorC = new Float64Array(nj * 3);
    this.gear = new Float64Array(nj);
    this.damping = new Float64Array(nj);
    this.stiffness = new Float64Array(nj);
    this.velocityMode = new Uint8Array(nj);
    def.joints.forEach((j, k) => {
      const p = index.get(j.parent),
        c = index.get(j.child);
      if (p === undefined || c === undefined || p >= c) throw new Error(`${def.id}: joint ${j.name} has a bad parent/child`);
      this.jParent[k] = p;
      this.jChild[k] = c;
      const pb = def.bodies[p]!.origin,
        cb = def.bodies[c]!.origin;
      for (let d = 0; d < 3; d++) {
        this.axis[k * 3 + d] = j.axis[d]!;
        this.anchorP[k * 3 + d] = j.anchor[d]! - pb[d]!;
        this.anchorC[k * 3 + d] = j.anchor[d]! - cb[d]!;
      }
      const ax = { x: j.axis[0], y: j.axis[1], z: j.axis[2] };
      const data = R.JointData.revolute(
        { x: this.anchorP[k * 3]!, y: this.anchorP[k * 3 + 1]!, z: this.anchorP[k * 3 + 2]! },
        { x: this.anchorC[k * 3]!, y: this.anchorC[k * 3 + 1]!, z: this.anchorC[k * 3 + 2]! },
        ax,
      );
      const joint = world.createImpulseJoint(data, this.bodies[p]!, this.bodies[c]!, true) as RevoluteJoint;
      joint.setLimits(j.limits[0], j.limits[1]); // JointData.limits is ignored for revolute joints
      joint.setContactsEnabled(false);
      const a = j.actuator;
      const s = variant.actuators[j.name] ?? 1;
      joint.configureMotorModel(R.MotorModel.ForceBased);
      joint.setMotorMaxForce(a.maxTorque * (a.mode === 'velocity' ? s : 1));
      this.gear[k] = a.gear * s;
      this.damping[k] = a.damping;
      this.stiffness[k] = a.stiffness ?? 0;
      this.velocityMode[k] = a.mode === 'velocity' ? 1 : 0;
      this.joints.push(joint);
    });
    this.applyAction(new Float32Array(nj), 0);

    for (const box of extras.sensors ?? []) {
      const h = box.halfExtents,
        p = box.position;
      const cd = R.ColliderDesc.cuboid(h[0], h[1], h[2])
        .setTranslation(origin[0] + p[0], origin[1] + p[1], origin[2] + p[2])
        .setSensor(true)
        .setCollisionGroups(GROUP_SENSOR);
      this.sensorColliders.push(world.createCollider(cd).handle);
    }
  }

  /** State row of the task object called `name` (throws when there is none). */
  objectIndex(name: string): number {
    const k = this.objects.findIndex((o) => o.name === name);
    if (k < 0) throw new Error(`${this.def.id}: no object "${name}"`);
    return this.nTree + k;
  }

  /**
   * Whether any robot collider overlaps any sensor box, as of the last physics substep's
   * collision detection (Rapier updates sensor pairs at the start of each world.step()).
   */
  touching(): boolean {
    const np = this.world.narrowPhase,
      sensors = this.sensorColliders,
      cs = this.robotColliders;
    for (let i = 0; i < sensors.length; i++) {
      for (let j = 0; j < cs.length; j++) if (np.intersectionPair(cs[j]!, sensors[i]!)) return true;
    }
    return false;
  }

  /**
   * Rebuilds the free objects' colliders, which drops their contact pairs: a block teleported
   * back onto the table otherwise keeps the old episode's block–table contact and its
   * warm-start impulses, so reset(seed) on a used env did not replay a fresh one. Bodies and
   * the robot's links keep their handles; only these colliders get new ones (nothing stores
   * them). Reset-time only (allocates).
   */
  renewObjectContacts(): void {
    for (let k = 0; k < this.objectDescs.length; k++) {
      const descs = this.objectDescs[k];
      if (!descs) continue; // a marker: no collider
      const body = this.bodies[this.nTree + k]!;
      for (let i = body.numColliders() - 1; i >= 0; i--) this.world.removeCollider(body.collider(i), false);
      for (const d of descs) this.world.createCollider(d, body);
    }
  }

  /** Points this instance at an identical world (one restored from a Rapier snapshot). */
  rebind(world: World): void {
    this.world = world;
    this.raw = world.bodies.raw;
    this.bodies = this.bodies.map((b) => world.getRigidBody(b.handle));
    this.joints = this.joints.map((j) => world.getImpulseJoint(j.handle) as RevoluteJoint);
  }

  /** Drives the motors with a (already clipped to [−1, 1]) starting at a[off]. */
  applyAction(a: Float32Array, off: number): void {
    for (let k = 0; k < this.nj; k++) {
      const u = a[off + k]!;
      const c = this.damping[k]!;
      if (this.velocityMode[k]) this.joints[k]!.configureMotorVelocity(this.gear[k]! * u, c);
      else this.joints[k]!.configureMotor(0, (this.gear[k]! * u) / c, this.stiffness[k]!, c);
    }
  }

  /** Reads every body's state, then joint angles/velocities. Returns false on NaN. */
  read(): boolean {
    const raw = this.raw,
      v = this.views;
    for (let i = 0; i < this.nb; i++) {
      const h = this.handles[i]!;
      raw.rbTranslation(h, v[i * 4]!);
      raw.rbRotation(h, v[i * 4 + 1]!);
      raw.rbLinvel(h, v[i * 4 + 2]!);
      raw.rbAngvel(h, v[i * 4 + 3]!);
    }
    const s = this.state,
      t = this.tmp;
    for (let k = 0; k < this.nj; k++) {
      const p = this.jParent[k]! * STRIDE,
        c = this.jChild[k]! * STRIDE;
      qrel(s, p + 3, s, c + 3, t, 0);
      this.q[k] = twistAngle(t, 0, this.axis[k * 3]!, this.axis[k * 3 + 1]!, this.axis[k * 3 + 2]!);
      qrot(s, p + 3, this.axis, k * 3, t, 4); // axis in world
      this.qd[k] = (s[c + 10]! - s[p + 10]!) * t[4]! + (s[c + 11]! - s[p + 11]!) * t[5]! + (s[c + 12]! - s[p + 12]!) * t[6]!;
    }
    for (let i = 0; i < s.length; i++) if (s[i] !== s[i]) return false;
    return true;
  }

  /** Teleports every body to `st` (STRIDE floats per body, from `at`). */
  write(st: ArrayLike<number>, at = 0): void {
    const R = rapier();
    for (let i = 0; i < this.nb; i++) {
      const b = this.bodies[i]!;
      const o = at + i * STRIDE;
      b.setTranslation({ x: st[o]!, y: st[o + 1]!, z: st[o + 2]! }, false);
      b.setRotation({ x: st[o + 3]!, y: st[o + 4]!, z: st[o + 5]!, w: st[o + 6]! }, false);
      if (!b.isFixed()) {
        b.setLinvel(new R.Vector3(st[o + 7]!, st[o + 8]!, st[o + 9]!), false);
        b.setAngvel(new R.Vector3(st[o + 10]!, st[o + 11]!, st[o + 12]!), false);
      }
    }
  }

  /**
   * Forward kinematics of the reference tree: fills `out` (STRIDE per body) with root at
   * rootPos/rootQuat moving with rootLin/rootAng (COM velocity of the root) and joints at
   * q, q̇; objects at their default origins, at rest. Used for exact teleport resets.
   */
  forward(
    out: Float64Array,
    rootPos: ArrayLike<number>,
    rootQuat: ArrayLike<number>,
    rootLin: ArrayLike<number>,
    rootAng: ArrayLike<number>,
    q: ArrayLike<number>,
    qd: ArrayLike<number>,
  ): void {
    const t = this.tmp;
    // Root: position/orientation; store body-origin velocity first, COM velocity at the end.
    for (let d = 0; d < 3; d++) out[d] = rootPos[d]!;
    for (let d = 0; d < 4; d++) out[3 + d] = rootQuat[d]!;
    for (let d = 0; d < 3; d++) out[10 + d] = rootAng[d]!;
    // v_origin = v_com − ω × (R·com)
    qrot(out, 3, this.localCom, 0, t, 0);
    const w0 = out[10]!,
      w1 = out[11]!,
      w2 = out[12]!;
    out[7] = rootLin[0]! - (w1 * t[2]! - w2 * t[1]!);
    out[8] = rootLin[1]! - (w2 * t[0]! - w0 * t[2]!);
    out[9] = rootLin[2]! - (w0 * t[1]! - w1 * t[0]!);
    for (let k = 0; k < this.nj; k++) {
      const p = this.jParent[k]! * STRIDE,
        c = this.jChild[k]! * STRIDE;
      qaxisAngle(this.axis[k * 3]!, this.axis[k * 3 + 1]!, this.axis[k * 3 + 2]!, q[k]!, t, 0);
      qmul(out, p + 3, t, 0, out, c + 3);
      qrot(out, p + 3, this.anchorP, k * 3, t, 4); // parent origin → anchor, world
      qrot(out, c + 3, this.anchorC, k * 3, t, 7); // child origin → anchor, world
      qrot(out, p + 3, this.axis, k * 3, t, 10); // axis, world
      for (let d = 0; d < 3; d++) out[c + d] = out[p + d]! + t[4 + d]! - t[7 + d]!;
      // ω_c = ω_p + q̇·axis; v at anchor from the parent, then v at the child's origin.
      for (let d = 0; d < 3; d++) out[c + 10 + d] = out[p + 10 + d]! + qd[k]! * t[10 + d]!;
      const pw0 = out[p + 10]!,
        pw1 = out[p + 11]!,
        pw2 = out[p + 12]!;
      const va0 = out[p + 7]! + (pw1 * t[6]! - pw2 * t[5]!);
      const va1 = out[p + 8]! + (pw2 * t[4]! - pw0 * t[6]!);
      const va2 = out[p + 9]! + (pw0 * t[5]! - pw1 * t[4]!);
      const cw0 = out[c + 10]!,
        cw1 = out[c + 11]!,
        cw2 = out[c + 12]!;
      // r = origin − anchor = −t[7..9]
      out[c + 7] = va0 - (cw1 * t[9]! - cw2 * t[8]!);
      out[c + 8] = va1 - (cw2 * t[7]! - cw0 * t[9]!);
      out[c + 9] = va2 - (cw0 * t[8]! - cw1 * t[7]!);
    }
    // Objects: at their default place, at rest (tasks move them afterwards).
    for (let i = this.nTree; i < this.nb; i++) {
      const o = i * STRIDE,
        ob = this.objects[i - this.nTree]!.origin;
      for (let d = 0; d < 3; d++) out[o + d] = this.origin[d]! + ob[d]!;
      out[o + 3] = 0;
      out[o + 4] = 0;
      out[o + 5] = 0;
      out[o + 6] = 1;
      for (let d = 7; d < STRIDE; d++) out[o + d] = 0;
    }
    // Origin velocities → COM velocities (what Rapier stores).
    for (let i = 0; i < this.nTree; i++) {
      const o = i * STRIDE;
      qrot(out, o + 3, this.localCom, i * 3, t, 0);
      const a0 = out[o + 10]!,
        a1 = out[o + 11]!,
        a2 = out[o + 12]!;
      out[o + 7] = out[o + 7]! + (a1 * t[2]! - a2 * t[1]!);
      out[o + 8] = out[o + 8]! + (a2 * t[0]! - a0 * t[2]!);
      out[o + 9] = out[o + 9]! + (a0 * t[1]! - a1 * t[0]!);
    }
  }

  /** World pose (xyz + quat) of every geom from the last read, 7 floats each. */
  poses(out: Float32Array, at: number): void {
    const s = this.state,
      L = this.geomLocal,
      t = this.tmp;
    for (let g = 0; g < this.geomBody.length; g++) {
      const b = this.geomBody[g]! * STRIDE;
      const o = at + g * 7;
      qrot(s, b + 3, L, g * 7, t, 0);
      out[o] = s[b]! + t[0]!;
      out[o + 1] = s[b + 1]! + t[1]!;
      out[o + 2] = s[b + 2]! + t[2]!;
      qmul(s, b + 3, L, g * 7 + 3, t, 4);
      out[o + 3] = t[4]!;
      out[o + 4] = t[5]!;
      out[o + 5] = t[6]!;
      out[o + 6] = t[7]!;
    }
  }

  get geomCount(): number {
    return this.geomBody.length;
  }

  dispose(): void {
    for (const j of this.joints) this.world.removeImpulseJoint(j, false);
    for (const b of this.bodies) this.world.removeRigidBody(b);
    for (const h of this.sensorColliders) this.world.removeCollider(this.world.getCollider(h), false);
  }
}
