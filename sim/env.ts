// The Env contract (Gymnasium semantics). sim/ never imports agents/ or studio/;
// agents/ only ever sees the Float32Arrays and dims described here.

/** How a body is drawn; the renderer builds meshes from this, the physics from the robot data. */
export interface BodyVisual {
  name: string;
  shape: 'box' | 'sphere' | 'capsule' | 'cylinder';
  /** box: half-extents [x, y, z]; sphere: [radius]; capsule/cylinder: [halfHeight, radius] (along local y). */
  size: number[];
  /** CSS hex colour, e.g. '#d9a441'. */
  color: string;
}

/** Static scene decoration: goals, targets, obstacles, walls (drawn, never simulated by the renderer). */
export interface Marker {
  kind: 'goal' | 'target' | 'obstacle' | 'wall';
  shape: 'box' | 'sphere' | 'cylinder';
  position: [number, number, number];
  size: number[];
  color: string;
}

export interface EnvSpec {
  id: string; // task id, e.g. 'point/multigoal'
  robot: string; // robot id, e.g. 'point'
  obsDim: number;
  actDim: number;
  actLow: number;
  actHigh: number;
  /** Control step in seconds (physics step × frame skip). */
  dt: number;
  maxEpisodeSteps: number;
  bodies: BodyVisual[];
  markers: Marker[];
  /** Names of the action dimensions (actuators), for the action-cloud axis labels. */
  actionNames: string[];
  /** Index into bodies (and poses) of the body ghost trails follow; 0 when absent. */
  traceBody?: number;
  /** The root moves freely (walkers): the robot goes far from where it starts, so views follow it by default. */
  travels?: boolean;
}

export interface StepResult {
  obs: Float32Array;
  reward: number;
  /** A real end (fell over, reached the goal): do not bootstrap. */
  terminated: boolean;
  /** Time limit: bootstrap from the final observation. */
  truncated: boolean;
  info: Record<string, number>;
}

export interface Env {
  readonly spec: EnvSpec;
  /** Starts an episode. With a seed the episode's initial-state noise is reproducible. */
  reset(seed?: number): Float32Array;
  /** Clips actions to [actLow, actHigh]; throws EnvError on NaN/Infinity. */
  step(action: Float32Array): StepResult;
  /** Exact copy of the full state (incl. RNG and step counter), for ghost rollouts. */
  snapshot(): Uint8Array;
  restore(state: Uint8Array): void;
  /** 7 floats per body: position xyz + quaternion xyzw, in spec.bodies order. */
  poses(out?: Float32Array): Float32Array;
  dispose(): void;
}

/** n envs stepped together; batched row-major Float32Arrays; auto-reset on episode end. */
export interface VecEnvStep {
  /** n × obsDim; for an env that just ended this is already the first obs of its next episode. */
  obs: Float32Array;
  /** n × obsDim: the true last observation of each env (equal to obs where not done). */
  finalObs: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
}

export interface VecEnv {
  readonly spec: EnvSpec;
  readonly n: number;
  reset(seed?: number): Float32Array;
  /** actions: n × actDim. The returned arrays are reused between calls. */
  step(actions: Float32Array): VecEnvStep;
  /** Per-env return and length of episodes that finished in the last step (NaN where not). */
  readonly episodeReturns: Float32Array;
  readonly episodeLengths: Float32Array;
  /**
   * Exact copy of every env's state, the running episode returns and lengths and the current
   * observations: after restore() the same actions give bit-identical steps (training resume).
   */
  snapshot(): Uint8Array;
  restore(state: Uint8Array): void;
  dispose(): void;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Throws a clear error naming the first non-finite action component. */
export function assertFiniteAction(envId: string, action: Float32Array, actDim: number): void {
  if (action.length < actDim) {
    throw new EnvError(`${envId}: action has ${action.length} components, expected ${actDim}`);
  }
  for (let i = 0; i < actDim; i++) {
    if (!Number.isFinite(action[i])) {
      throw new EnvError(`${envId}: action[${i}] is ${action[i]}; actions must be finite numbers`);
    }
  }
}

/**
 * A VecEnv's check of all n × actDim actions before any env steps (a bad action leaves every
 * env as it was); the error names the env and its action component.
 */
export function assertFiniteActions(envId: string, actions: Float32Array, n: number, actDim: number): void {
  if (actions.length < n * actDim) {
    throw new EnvError(`${envId}: actions has ${actions.length} components, expected ${n * actDim} (${n} envs × ${actDim})`);
  }
  for (let i = 0; i < n * actDim; i++) {
    if (!Number.isFinite(actions[i])) {
      const env = Math.floor(i / actDim);
      throw new EnvError(`${envId}: env ${env}'s action[${i - env * actDim}] is ${actions[i]}; actions must be finite numbers`);
    }
  }
}
