// What the training loop itself holds beyond the agent and the replay buffer: its RNG (replay
// sampling, warm-up actions), the envs (physics, episode RNGs, running returns), the current
// observations, fractional update debt and the open metrics interval. Saved with each checkpoint
// so that a resumed run continues exactly as if it had never stopped.
import type { Checkpoint } from '../../agents/agent.ts';
import { createRng } from '../../agents/index.ts';

export interface MetricsInterval {
  ret: number;
  len: number;
  eps: number;
  q: number;
  pi: number;
  alpha: number;
  ent: number;
  upd: number;
}

export interface LoopState {
  rng: number[];
  /** VecEnv.snapshot() */
  env: Uint8Array;
  obs: Float32Array;
  updateDebt: number;
  lastReturn: number | null;
  acc: MetricsInterval;
}

const OBS = 'loop.obs';

export function addLoopState(c: Checkpoint, s: LoopState): void {
  c.tensors[OBS] = s.obs.slice();
  c.meta.extra['loop'] = {
    rng: s.rng,
    env: Buffer.from(s.env.buffer, s.env.byteOffset, s.env.byteLength).toString('base64'),
    updateDebt: s.updateDebt,
    lastReturn: s.lastReturn,
    acc: { ...s.acc },
  };
}

/** Removes what addLoopState added (a kept policy holds no loop state). */
export function stripLoopState(c: Checkpoint): void {
  delete c.tensors[OBS];
  if (c.shapes) delete c.shapes[OBS];
  delete c.meta.extra['loop'];
}

/** The saved loop state; null for checkpoints written before it existed. Throws when malformed. */
export function readLoopState(c: Checkpoint, obsLength: number): LoopState | null {
  const l = c.meta.extra['loop'] as Record<string, unknown> | undefined;
  if (l === undefined) return null;
  const bad = (what: string): never => {
    throw new Error(`the checkpoint's training-loop state is malformed: ${what}`);
  };
  if (typeof l !== 'object' || l === null) bad('not an object');
  const rng = l.rng as number[];
  if (!Array.isArray(rng)) bad('rng');
  try {
    createRng().setState(rng); // the RNG's own check of a state
  } catch (e) {
    bad(`rng (${(e as Error).message})`);
  }
  if (typeof l.env !== 'string' || l.env.length === 0) bad('env');
  if (typeof l.updateDebt !== 'number' || !(l.updateDebt >= 0)) bad('updateDebt');
  if (l.lastReturn !== null && typeof l.lastReturn !== 'number') bad('lastReturn');
  const acc = l.acc as Record<string, unknown> | undefined;
  const keys: (keyof MetricsInterval)[] = ['ret', 'len', 'eps', 'q', 'pi', 'alpha', 'ent', 'upd'];
  if (typeof acc !== 'object' || acc === null || keys.some((k) => typeof acc[k] !== 'number')) bad('acc');
  const obs = c.tensors[OBS];
  if (!obs || obs.length !== obsLength) bad(`${OBS} has ${obs?.length ?? 0} floats, expected ${obsLength}`);
  return {
    rng,
    env: new Uint8Array(Buffer.from(l.env as string, 'base64')),
    obs: obs!,
    updateDebt: l.updateDebt as number,
    lastReturn: l.lastReturn as number | null,
    acc: acc as unknown as MetricsInterval,
  };
}
