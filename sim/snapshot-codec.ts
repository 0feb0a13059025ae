// Snapshots are Float64 state vectors behind a small header (magic + task tag), so
// restoring a snapshot into the wrong env fails loudly instead of silently.
import { EnvError } from './env.ts';

const MAGIC = 0x4d58534e; // 'MXSN'

export function tagOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export function encodeSnapshot(tag: number, state: Float64Array): Uint8Array {
  const out = new Uint8Array(8 + state.length * 8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, tag, true);
  new Float64Array(out.buffer, 8).set(state);
  return out;
}

/** Copies the payload into `into` (length must match). */
export function decodeSnapshot(envId: string, tag: number, bytes: Uint8Array, into: Float64Array): void {
  if (bytes.byteLength !== 8 + into.length * 8) {
    throw new EnvError(`${envId}: snapshot has ${bytes.byteLength} bytes, expected ${8 + into.length * 8}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint32(4, true) !== tag) {
    throw new EnvError(`${envId}: snapshot was not taken from this task`);
  }
  // Copy through a fresh aligned buffer: the caller's bytes may sit at any offset.
  const aligned = new Uint8Array(into.length * 8);
  aligned.set(bytes.subarray(8));
  into.set(new Float64Array(aligned.buffer));
}
