// The frame of a VecEnv snapshot: magic, task tag, env count and observation size, then the
// running episode returns and the current observations (what a resumed training loop needs to
// continue bit-identically), then the implementation's own part. Restoring into a VecEnv of
// another task or size fails loudly.
import { EnvError, type VecEnvStep } from '../env.ts';
import { tagOf } from '../snapshot-codec.ts';

const MAGIC = 0x4d585645; // 'MXVE'

/** The parts of a VecEnv the frame reads and writes. */
export interface VecFrame {
  id: string;
  n: number;
  obsDim: number;
  /** running (unfinished) episode return per env */
  ret: Float64Array;
  /** out.obs: the observations the next step's actions answer (n × obsDim) */
  out: VecEnvStep;
  episodeReturns: Float32Array;
  episodeLengths: Float32Array;
}

/** Bytes of the frame before the implementation's part. */
export function frameBytes(f: VecFrame): number {
  return 16 + f.n * 8 + f.n * f.obsDim * 4;
}

export function writeFrame(f: VecFrame, out: Uint8Array): DataView {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, tagOf(f.id), true);
  dv.setUint32(8, f.n, true);
  dv.setUint32(12, f.obsDim, true);
  let o = 16;
  for (let i = 0; i < f.n; i++, o += 8) dv.setFloat64(o, f.ret[i]!, true);
  for (let i = 0; i < f.n * f.obsDim; i++, o += 4) dv.setFloat32(o, f.out.obs[i]!, true);
  return dv;
}

/**
 * Checks and reads the frame without touching the VecEnv: `commit()` applies it, once the caller
 * has checked and restored its own part too, so a bad snapshot leaves the VecEnv as it was.
 */
export function readFrame(f: VecFrame, state: Uint8Array): { dv: DataView; commit(): void } {
  const dv = new DataView(state.buffer, state.byteOffset, state.byteLength);
  if (state.byteLength < 16 || dv.getUint32(0, true) !== MAGIC || dv.getUint32(4, true) !== tagOf(f.id))
    throw new EnvError(`${f.id}: snapshot was not taken from a VecEnv of this task`);
  const n = dv.getUint32(8, true),
    d = dv.getUint32(12, true);
  if (n !== f.n || d !== f.obsDim) throw new EnvError(`${f.id}: snapshot is of ${n} envs × obs ${d}, this VecEnv has ${f.n} × ${f.obsDim}`);
  if (state.byteLength < frameBytes(f)) throw new EnvError(`${f.id}: truncated VecEnv snapshot`);
  const ret = new Float64Array(n),
    obs = new Float32Array(n * d);
  let o = 16;
  for (let i = 0; i < n; i++, o += 8) ret[i] = dv.getFloat64(o, true);
  for (let i = 0; i < n * d; i++, o += 4) obs[i] = dv.getFloat32(o, true);
  return {
    dv,
    commit() {
      f.ret.set(ret);
      f.out.obs.set(obs);
      f.out.finalObs.set(obs);
      f.episodeReturns.fill(NaN);
      f.episodeLengths.fill(NaN);
    },
  };
}
