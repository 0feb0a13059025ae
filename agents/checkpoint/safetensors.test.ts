import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './safetensors.ts';
import type { Checkpoint } from '../agent.ts';

const ck = (): Checkpoint => ({
  meta: {
    format: 'maxent-checkpoint',
    version: 1,
    algo: 'sac',
    obsDim: 2,
    actDim: 1,
    step: 7,
    config: { hidden: [4] },
    versions: { x: '1' },
    extra: { rng: [1, 2, 3, 4] },
  },
  tensors: { 'a.weight': new Float32Array([1, 2, 3, 4, 5, 6]), b: new Float32Array([-1.5]), empty: new Float32Array(0) },
  shapes: { 'a.weight': [2, 3] },
});

function header(bytes: Uint8Array): Record<string, unknown> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
}
function withHeader(h: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(h));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors checkpoint codec', () => {
  it('round-trips tensors, shapes and metadata in the safetensors layout', () => {
    const bytes = encodeCheckpoint(ck());
    const h = header(bytes);
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    expect(h['a.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    const md = h['__metadata__'] as Record<string, unknown>;
    expect(Object.values(md).every((v) => typeof v === 'string')).toBe(true);
    const back = decodeCheckpoint(bytes);
    expect(back.meta).toEqual(ck().meta);
    expect(back.tensors['a.weight']).toEqual(ck().tensors['a.weight']);
    expect(back.tensors['b']).toEqual(new Float32Array([-1.5]));
    expect(back.shapes!['a.weight']).toEqual([2, 3]);
    expect(back.shapes!['b']).toEqual([1]);
    // decoding from an unaligned view works too
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeCheckpoint(shifted.subarray(1)).tensors['b']).toEqual(new Float32Array([-1.5]));
  });

  it('rejects corrupt files with a message saying what is wrong', () => {
    const good = encodeCheckpoint(ck());
    const h = header(good);
    const data = good.subarray(8 + new DataView(good.buffer).getUint32(0, true));
    expect(() => decodeCheckpoint(new Uint8Array(3))).toThrow(/truncated file.*8-byte header length/);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(4, 7, true);
    expect(() => decodeCheckpoint(huge)).toThrow(/bad header length/);
    const longer = good.slice();
    new DataView(longer.buffer).setUint32(0, good.length, true);
    expect(() => decodeCheckpoint(longer)).toThrow(/header length \d+ exceeds/);
    expect(() => decodeCheckpoint(good.subarray(0, good.length - 4))).toThrow(/out of range.*truncated/);
    const badJson = good.slice();
    badJson[9] = 0x7b; // '{{...'
    expect(() => decodeCheckpoint(badJson)).toThrow(/not valid JSON/);
    expect(() => decodeCheckpoint(withHeader({ ...h, __metadata__: { format: 'pytorch' } }, data))).toThrow(/wrong format tag "pytorch"/);
    expect(() => decodeCheckpoint(withHeader({ b: h['b'] }, data))).toThrow(/no __metadata__/);
    const md = h['__metadata__'] as Record<string, string>;
    expect(() => decodeCheckpoint(withHeader({ ...h, __metadata__: { ...md, maxent: '{oops' } }, data))).toThrow(
      /maxent is not valid JSON/,
    );
    const v2 = JSON.stringify({ ...ck().meta, version: 2 });
    expect(() => decodeCheckpoint(withHeader({ ...h, __metadata__: { ...md, maxent: v2 } }, data))).toThrow(/unsupported version 2/);
    expect(() => decodeCheckpoint(withHeader({ ...h, b: { dtype: 'F16', shape: [1], data_offsets: [24, 26] } }, data))).toThrow(
      /dtype "F16"/,
    );
    expect(() => decodeCheckpoint(withHeader({ ...h, b: { dtype: 'F32', shape: [2], data_offsets: [24, 28] } }, data))).toThrow(
      /shape \[2\] needs 8/,
    );
    expect(() => decodeCheckpoint(withHeader({ ...h, b: { dtype: 'F32', shape: [1], data_offsets: [20, 24] } }, data))).toThrow(/overlap/);
    expect(() => decodeCheckpoint(withHeader({ ...h, b: { dtype: 'F32', shape: [1], data_offsets: [24] } }, data))).toThrow(
      /bad data_offsets/,
    );
  });

  it('refuses to encode inconsistent input', () => {
    expect(() => encodeCheckpoint({ ...ck(), shapes: { b: [3] } })).toThrow(/shape \[3\] does not match/);
  });
});
