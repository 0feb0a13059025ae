// Backend selection (--device auto|cpu|webgpu|tfjs) and a WebGPU training run through the real CLI.
// `auto` must never pick a software adapter; an explicit `webgpu` may, with MAXENT_WEBGPU_SOFTWARE=1,
// which is how the run below trains on SwiftShader here and in CI (skipped, with the printed
// reason, where there is no adapter at all).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../agents/checkpoint/safetensors.ts';
import { createSacAgent, probeGpu, useSwiftShaderIcd } from '../agents/index.ts';
import { describeBackend } from './backend.ts';
import { jsonLines, runCli } from './cli-run.ts';
import { RunStore } from './runs/store.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-backend-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('backend selection', () => {
  it('auto picks WebGPU only on a hardware adapter, else the CPU kernels with the reason', async () => {
    const b = await describeBackend('auto');
    if (b.backend === 'webgpu') expect(b.webgpu).toMatchObject({ software: false });
    else {
      expect(b.backend).toMatch(/^cpu-/);
      expect(b.notes.join(' ')).toMatch(/no GPU backend|software/);
    }
  });

  it('explicit webgpu without a hardware adapter is a clear error; SQL and the mixture head stay on the CPU', async () => {
    const real = await probeGpu();
    if ('reason' in real) await expect(describeBackend('webgpu')).rejects.toThrow(/^--device webgpu: .*use --device cpu or auto$/);
    await expect(describeBackend('webgpu', { algo: 'sql' })).rejects.toThrow(/SAC only/);
    await expect(describeBackend('webgpu', { algo: 'sac', policy: 'mixture' })).rejects.toThrow(/Gaussian/);
    const sql = await describeBackend('auto', { algo: 'sql' });
    expect(sql.backend).toMatch(/^cpu-/);
    // Without a GPU the note says so first; the SQL/mixture limit is named only beside a GPU.
    expect(sql.notes.join(' ')).toMatch('reason' in real ? /^no GPU backend: .*using the CPU kernels$/ : /^GPU .* not used: .*SAC only/);
    expect((await describeBackend('cpu')).backend).toMatch(/^cpu-/);
  });
});

// Decided at load time: the Vulkan loader reads its driver list once per process.
const presetIcd = process.env.VK_ICD_FILENAMES;
const softwareIcd = useSwiftShaderIcd();
const gpu = softwareIcd ? await probeGpu({ allowSoftware: true }) : { reason: 'no Vulkan driver (no GPU, no SwiftShader ICD)' };
if ('reason' in gpu) console.log(`WebGPU training test skipped: ${gpu.reason}`);

describe.skipIf('reason' in gpu)('maxent train --device webgpu', () => {
  it('trains on the GPU, records the backend, resumes, and its checkpoint fine-tunes on the CPU', async () => {
    process.env.MAXENT_WEBGPU_SOFTWARE = '1';
    // the CLI must find the software ICD by itself (its workers cannot set it: see backend.ts)
    if (presetIcd === undefined) delete process.env.VK_ICD_FILENAMES;
    const small = ['--hidden', '8,8', '--batch', '16', '--learning-starts', '64', '--log-every', '32', '--json'];
    const r = await runCli(['train', 'point/multigoal', '--device', 'webgpu', '--steps', '128', '--seed', '3', ...small], {
      home,
      timeoutMs: 240_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const runId = lines.find((l) => l.event === 'done')?.runId as string;
    const rec = new RunStore(home).read(runId);
    expect(rec.backend).toBe('webgpu');
    expect(rec.device).toMatch(/\S/);
    // 64 updates ran on the GPU (two submits of 32) and reported losses
    expect(lines.some((l) => l.event === 'metrics' && typeof l.qLoss === 'number')).toBe(true);
    const store = new RunStore(home);
    const { bytes } = store.readCheckpoint(runId, 128);
    const ck = decodeCheckpoint(bytes);
    expect(ck.meta.extra['updates']).toBe(64);
    const cpu = createSacAgent({ obsDim: 2, actDim: 2, hidden: [8, 8], batchSize: 16, seed: 3 });
    cpu.load(ck);

    // resume spawns the worker without a backend probe in the host first (the ICD must already be set)
    const rs = await runCli(['resume', runId, '--steps', '32', '--json'], { home, timeoutMs: 240_000 });
    expect(rs.stderr).toBe('');
    expect(jsonLines(rs.stdout).find((l) => l.event === 'done')).toMatchObject({ status: 'finished', step: 160 });

    const ft = await runCli(['finetune', runId, 'point/one-goal', '--device', 'cpu', '--steps', '64', ...small], {
      home,
      timeoutMs: 240_000,
    });
    expect(ft.stderr).toBe('');
    expect(ft.code).toBe(0);
    const ftId = jsonLines(ft.stdout).find((l) => l.event === 'done')?.runId as string;
    expect(new RunStore(home).read(ftId).backend).toMatch(/^cpu-/);
  }, 300_000);
});
