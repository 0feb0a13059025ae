// Checkpoints in the safetensors format (https://github.com/huggingface/safetensors):
//   [u64 LE header length N][N bytes JSON header, space-padded to 8][raw little-endian tensor data]
// Header: { "__metadata__": { "format": "maxent-checkpoint", "maxent": "<CheckpointMeta JSON>" },
//           "<name>": { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] }, ... }
// Offsets are relative to the data section. safetensors metadata values must be strings, so the
// CheckpointMeta travels as one JSON string. Any other safetensors reader can open these files.

import type { Checkpoint, CheckpointMeta } from '../agent.ts';

const MAX_HEADER = 100 * 1024 * 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const names = Object.keys(c.tensors).sort();
  const header: Record<string, unknown> = {
    __metadata__: { format: c.meta.format, maxent: JSON.stringify(c.meta) },
  };
  let off = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error("checkpoint: '__metadata__' is not a valid tensor name");
    const t = c.tensors[name]!;
    if (!(t instanceof Float32Array)) throw new Error(`checkpoint: tensor '${name}' is not a Float32Array`);
    const shape = c.shapes?.[name] ?? [t.length];
    if (shape.reduce((a, b) => a * b, 1) !== t.length) {
      throw new Error(`checkpoint: tensor '${name}' shape [${shape.join(', ')}] does not match its ${t.length} floats`);
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [off, off + t.byteLength] };
    off += t.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = (json.length + 7) & ~7; // keep the data section 8-byte aligned
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true);
  dv.setUint32(4, 0, true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const name of names) {
    const t = c.tensors[name]!;
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), p);
    else for (let i = 0; i < t.length; i++) dv.setFloat32(p + 4 * i, t[i]!, true);
    p += t.byteLength;
  }
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array)) throw new Error('checkpoint: expected bytes (Uint8Array)');
  if (bytes.length < 8) throw new Error(`checkpoint: truncated file (${bytes.length} bytes, the 8-byte header length is missing)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true),
    hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (hi !== 0 || n > MAX_HEADER) throw new Error(`checkpoint: bad header length ${n} (not a safetensors file?)`);
  if (n < 2) throw new Error(`checkpoint: bad header length ${n}`);
  if (8 + n > bytes.length)
    throw new Error(`checkpoint: truncated file: header length ${n} exceeds the ${bytes.length - 8} bytes after it`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`checkpoint: header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new Error('checkpoint: header is not a JSON object');
  const h = header as Record<string, unknown>;
  const md = h['__metadata__'] as Record<string, unknown> | undefined;
  if (!md || typeof md !== 'object')
    throw new Error('checkpoint: no __metadata__ in the header (a plain safetensors file, not a maxent checkpoint)');
  if (md['format'] !== 'maxent-checkpoint')
    throw new Error(`checkpoint: wrong format tag ${JSON.stringify(md['format'])}, expected "maxent-checkpoint"`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(String(md['maxent'])) as CheckpointMeta;
  } catch (e) {
    throw new Error(`checkpoint: __metadata__.maxent is not valid JSON (${(e as Error).message})`);
  }
  if (!meta || meta.format !== 'maxent-checkpoint') throw new Error('checkpoint: __metadata__.maxent is not a CheckpointMeta');
  if (meta.version !== 1) throw new Error(`checkpoint: unsupported version ${JSON.stringify(meta.version)} (this build reads version 1)`);

  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const tensors: Record<string, Float32Array> = {};
  const shapes: Record<string, number[]> = {};
  const spans: [number, number, string][] = [];
  for (const [name, v] of Object.entries(h)) {
    if (name === '__metadata__') continue;
    const info = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!info || typeof info !== 'object') throw new Error(`checkpoint: tensor '${name}' entry is not an object`);
    if (info.dtype !== 'F32')
      throw new Error(`checkpoint: tensor '${name}' has dtype ${JSON.stringify(info.dtype)}; only F32 is supported`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new Error(`checkpoint: tensor '${name}' has a bad shape ${JSON.stringify(shape)}`);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) {
      throw new Error(`checkpoint: tensor '${name}' has bad data_offsets ${JSON.stringify(offs)}`);
    }
    const [b, e] = offs as [number, number];
    if (e < b || e > dataLen)
      throw new Error(
        `checkpoint: tensor '${name}' data_offsets [${b}, ${e}] out of range (data section is ${dataLen} bytes; truncated file?)`,
      );
    const count = (shape as number[]).reduce((a, d) => a * d, 1);
    if (e - b !== count * 4)
      throw new Error(`checkpoint: tensor '${name}' has ${e - b} bytes, shape [${shape.join(', ')}] needs ${count * 4}`);
    const t = new Float32Array(count);
    if (LITTLE_ENDIAN) new Uint8Array(t.buffer).set(bytes.subarray(dataStart + b, dataStart + e));
    else for (let i = 0; i < count; i++) t[i] = dv.getFloat32(dataStart + b + 4 * i, true);
    tensors[name] = t;
    shapes[name] = shape as number[];
    spans.push([b, e, name]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) throw new Error(`checkpoint: tensors '${spans[i - 1]![2]}' and '${spans[i]![2]}' overlap`);
  }
  return { meta, tensors, shapes };
}
