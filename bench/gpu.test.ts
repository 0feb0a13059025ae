// `maxent bench gpu` runs end to end (tiny nets; SwiftShader here and in CI, skipped with the
// printed reason where there is no adapter). Figures are never asserted.
import { describe, expect, it } from 'vitest';
import { testGpu } from '../agents/gpu/test-gpu.ts';
import { benchGpu } from './gpu.ts';

const gpu = await testGpu();

describe.skipIf(!gpu)('bench gpu', () => {
  it('reports GPU and CPU updates/s side by side with the adapter name', async () => {
    const r = await benchGpu({
      seconds: 0.01,
      configs: [{ hidden: [8], batch: 8 }],
      updatesPerSubmit: [2],
      allowSoftware: true,
      parity: false,
    });
    expect(r.adapter).toMatch(/\S/);
    const [row] = r.updates as { gpu: { updatesPerSec: number; updatesPerSubmit: number }[]; cpu: { updatesPerSec: number } }[];
    expect(row!.gpu[0]!.updatesPerSubmit).toBe(2);
    expect(row!.gpu[0]!.updatesPerSec).toBeGreaterThan(0);
    expect(row!.cpu.updatesPerSec).toBeGreaterThan(0);
  });
});
