// Keeps the envs of one shared Rapier world apart (PhysicsVecEnv). Collision groups stop
// robot–robot contacts, but each env's scenery (walls, table, variant obstacles, anywhere
// within ±100 m) and free objects are world members that every robot hits: an ant that walks
// 20 m, or an obstacle placed there, met another env's boxes. There are 16 membership bits and
// up to 4096 envs, so groups cannot give each env its own; a contact-pair filter hook can.
//
// The hook is a JS call per candidate pair and substep (~15% of the arm's step time if every
// table and block had it; Rapier's bridge also allocates a bound function per call, though
// nothing here does), so only colliders another env could reach carry its flag
// (crossEnvReach): everything of a robot that travels (ant hallway walls, obstacles), and a fixed
// robot's boxes that leave its own grid cell. The arm and its block stay within a few metres of
// its base, so its table, wall and nearby obstacles need none and step exactly as before. Any hook
// flag changes Rapier's arithmetic for the pair, so single envs set the same flags (world.ts,
// robot-instance.ts): env 0 of a VecEnv replays a single env bit for bit. The shared ground
// plane belongs to no env.
import type RAPIER_NS from '@dimforge/rapier3d-simd-compat';
import type { Obstacle } from '../variant.ts';
import type { RobotInstance } from './robot-instance.ts';
import { rapier } from './rapier.ts';

/** Grid pitch of a VecEnv's env origins (m). */
export const SPACING = 20;

/**
 * Whether robots or objects of another env could meet this box of an env (frame: env origin):
 * always when the robot travels; for a fixed robot, when the box leaves its grid cell (the arm and
 * its block stay well within SPACING / 2 of the base).
 */
export function crossEnvReach(travels: boolean, box: Obstacle): boolean {
  if (travels) return true;
  const [x, , z] = box.position,
    [hx, , hz] = box.halfExtents;
  return Math.abs(x) + hx > SPACING / 2 || Math.abs(z) + hz > SPACING / 2;
}

export class EnvFilter {
  /** Scenery collider handle → env (parentless static boxes; never rebuilt, so handles hold). */
  private readonly scenery = new Map<number, number>();
  /** Rigid-body handle → env: robot links and objects (their colliders may be rebuilt; bodies are not). */
  private readonly bodies = new Map<number, number>();
  /** Scenery colliders and object bodies built with the hook flag. */
  private readonly flaggedScenery: number[] = [];
  private readonly flaggedObjects: number[] = [];
  private readonly computeImpulse: number;
  private readonly flag: number;
  /** Rapier calls hooks only from a step with an event queue; nothing emits events, so it stays empty. */
  readonly events: RAPIER_NS.EventQueue;

  constructor() {
    const R = rapier();
    this.computeImpulse = R.SolverFlags.COMPUTE_IMPULSE;
    this.flag = R.ActiveHooks.FILTER_CONTACT_PAIRS;
    this.events = new R.EventQueue(true);
  }

  /** Whether any collider has the flag (else the world steps without the hook, as before). */
  get active(): boolean {
    return this.flaggedScenery.length > 0 || this.flaggedObjects.length > 0;
  }

  addScenery(world: RAPIER_NS.World, handles: readonly number[], env: number): void {
    for (const h of handles) {
      this.scenery.set(h, env);
      if (world.getCollider(h).activeHooks() & this.flag) this.flaggedScenery.push(h);
    }
  }

  addRobot(robot: RobotInstance, env: number): void {
    robot.bodies.forEach((b, i) => {
      this.bodies.set(b.handle, env);
      if (i >= robot.nTree && b.numColliders() > 0 && b.collider(0).activeHooks() & this.flag) this.flaggedObjects.push(b.handle);
    });
  }

  /** After restore(): flags what was built flagged, in a snapshot taken before colliders had the flag. */
  arm(world: RAPIER_NS.World): void {
    const set = (c: RAPIER_NS.Collider): void => {
      if (!(c.activeHooks() & this.flag)) c.setActiveHooks(this.flag); // only where missing: no change otherwise
    };
    for (const h of this.flaggedScenery) set(world.getCollider(h));
    for (const h of this.flaggedObjects) {
      const b = world.getRigidBody(h);
      for (let i = 0; i < b.numColliders(); i++) set(b.collider(i));
    }
  }

  /** env of a collider, or −1 for shared ones (the ground). Parentless colliders get body null. */
  private envOf(collider: number, body: number | null): number {
    const s = this.scenery.get(collider);
    if (s !== undefined) return s;
    return body === null ? -1 : (this.bodies.get(body) ?? -1);
  }

  // Arrow properties: Rapier may call them without `this`. No allocation here.
  readonly filterContactPair = (c1: number, c2: number, b1: number | null, b2: number | null): number | null => {
    const e1 = this.envOf(c1, b1),
      e2 = this.envOf(c2, b2);
    return e1 < 0 || e2 < 0 || e1 === e2 ? this.computeImpulse : null;
  };

  readonly filterIntersectionPair = (): boolean => true;

  /** One physics step of `world`, filtered when needed. */
  step(world: RAPIER_NS.World): void {
    if (this.active) world.step(this.events, this);
    else world.step();
  }

  dispose(): void {
    this.events.free();
  }
}
