import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from './store.ts';
import { writeFileAtomic } from './atomic.ts';
import { resolveConfig } from '../config.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../agents/checkpoint/safetensors.ts';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-store-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const make = (store: RunStore) =>
  store.create({
    scenarioId: null,
    parentRunId: null,
    parentStep: null,
    config: resolveConfig('point/multigoal', {}),
    backend: 'cpu-ts',
    device: 'test',
  });

describe('RunStore', () => {
  it('creates the documented layout and reads it back', () => {
    const store = new RunStore(home);
    const rec = make(store);
    const dir = store.dir(rec.id);
    expect(fs.existsSync(path.join(dir, 'run.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'metrics.jsonl'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'checkpoints')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(dir, 'videos')).isDirectory()).toBe(true);
    expect(store.read(rec.id).config.task).toBe('point/multigoal');
    expect(store.list().map((r) => r.id)).toEqual([rec.id]);
  });

  it('tells a run whose checkpoints are gone from one that crashed before its first', () => {
    const store = new RunStore(home);
    const rec = make(store); // point: a checkpoint every 5,000 steps
    const at = (step: number, status: 'running' | 'finished' | 'stopped') => store.checkpointsLost({ ...rec, step, status });
    expect(at(0, 'stopped')).toBe(false); // stopped while queued: nothing trained
    expect(at(3000, 'running')).toBe(false); // crashed at 3,000: starts again, little lost
    expect(at(5000, 'running')).toBe(true);
    expect(at(3000, 'finished')).toBe(true); // finishing and stopping write one
    expect(at(3000, 'stopped')).toBe(true);
    expect(store.checkpointsLost({ ...rec, step: 8000, status: 'finished' }, [5000])).toBe(false);
  });

  it('listChanged reads only the records changed since it last looked', () => {
    const store = new RunStore(home);
    const a = make(store);
    const b = make(store);
    const stamps = new Map<string, string>();
    expect(
      store
        .listChanged(stamps)
        .map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(store.listChanged(stamps)).toEqual([]);
    store.update(b.id, { step: 7 });
    expect(store.listChanged(stamps).map((r) => [r.id, r.step])).toEqual([[b.id, 7]]);
    fs.writeFileSync(path.join(store.dir(a.id), 'run.json'), '{ torn');
    expect(store.listChanged(stamps)).toEqual([]); // skipped, not fatal
    store.remove(b.id);
    expect(store.listChanged(stamps)).toEqual([]);
  });

  it('reports a corrupt run by file name and still lists the others', () => {
    const store = new RunStore(home);
    const good = make(store);
    const bad = make(store);
    fs.writeFileSync(path.join(store.dir(bad.id), 'run.json'), '{"format": "maxent-run", truncated');
    const ids = store.list().map((r) => r.id);
    expect(ids).toEqual([good.id]);
    const problem = [...store.problems.entries()].find(([file]) => file.includes(bad.id));
    expect(problem?.[1]).toMatch(/run\.json is corrupt/);
    expect(() => store.read(bad.id)).toThrow(new RegExp(`${bad.id}/run.json is corrupt`));
  });

  it('a run.json with a bad field is named and skipped; the others still list; a vanished folder is no problem', () => {
    const store = new RunStore(home);
    const good = make(store);
    const edits: [Record<string, unknown>, RegExp][] = [
      [{ createdAt: undefined }, /createdAt is not a date/],
      [{ createdAt: 7 }, /createdAt is not a date/],
      [{ parentRunId: 7 }, /parentRunId is not a run id/],
      [{ parentRunId: '../x' }, /parentRunId is not a run id/],
      [{ status: 'flying' }, /status "flying" is unknown/],
      [{ step: -1 }, /step is not a count/],
    ];
    const bad = edits.map(([patch]) => {
      const rec = make(store);
      const file = path.join(store.dir(rec.id), 'run.json');
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...patch }));
      return rec.id;
    });
    // A run folder deleted between the listing and the read (another studio, a user).
    fs.symlinkSync(path.join(home, 'gone'), path.join(store.root, '20990101-000000-point-multigoal-ffffff'));
    expect(store.list().map((r) => r.id)).toEqual([good.id]);
    bad.forEach((id, i) => {
      expect(store.problems.get(path.join(store.dir(id), 'run.json'))).toMatch(edits[i]![1]);
      expect(() => store.read(id)).toThrow(/is not a valid run record/);
    });
    expect(store.problems.size).toBe(bad.length);
  });

  it('names a missing run clearly and rejects path-like ids', () => {
    const store = new RunStore(home);
    expect(() => store.read('no-such-run')).toThrow(/run no-such-run not found/);
    expect(() => store.dir('../etc')).toThrow(/invalid run id/);
    // '..' and '.' would name the home folder or the store itself (deleteRun('..') = data loss).
    for (const id of ['..', '.', '.hidden']) {
      expect(() => store.dir(id)).toThrow(/invalid run id/);
      expect(() => store.remove(id)).toThrow(/invalid run id/);
      expect(store.exists(id)).toBe(false);
    }
  });

  it('skips a torn metrics line and truncates rows after a checkpoint step', () => {
    const store = new RunStore(home);
    const rec = make(store);
    store.appendMetrics(rec.id, [
      { step: 100, time: 1 },
      { step: 200, time: 2 },
      { step: 300, time: 3 },
    ]);
    fs.appendFileSync(path.join(store.dir(rec.id), 'metrics.jsonl'), '{"step": 400, "ti');
    expect(store.readMetrics(rec.id).map((r) => r.step)).toEqual([100, 200, 300]);
    expect(store.readMetrics(rec.id, 200).map((r) => r.step)).toEqual([200, 300]);
    store.truncateMetrics(rec.id, 200);
    const text = fs.readFileSync(path.join(store.dir(rec.id), 'metrics.jsonl'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).step),
    ).toEqual([100, 200]);
  });

  it('moves the latest pointer and keeps only the newest checkpoints', () => {
    const store = new RunStore(home);
    const rec = make(store);
    for (const step of [10, 20, 30, 40]) store.writeCheckpoint(rec.id, step, new Uint8Array([step]), {}, 3);
    expect(store.checkpointSteps(rec.id)).toEqual([20, 30, 40]);
    expect(store.latestCheckpoint(rec.id)).toBe(40);
    expect(store.readCheckpoint(rec.id).bytes[0]).toBe(40);
    // A stale pointer (e.g. crash between the file and the pointer) falls back to the newest file.
    fs.writeFileSync(path.join(store.dir(rec.id), 'checkpoints', 'latest'), '999\n');
    expect(store.latestCheckpoint(rec.id)).toBe(40);
  });

  it('a checkpoint a fine-tune started from outlives pruning, as its policy alone', () => {
    const store = new RunStore(home);
    const rec = make(store);
    const full = (step: number) =>
      encodeCheckpoint({
        meta: {
          format: 'maxent-checkpoint',
          version: 1,
          algo: 'sac',
          obsDim: 2,
          actDim: 2,
          step,
          config: {},
          versions: {},
          extra: { envStep: step, replay: { size: 2 }, loop: { rng: [1] } },
        },
        tensors: { 'actor.w0': new Float32Array([step, 1]), 'replay.obs': new Float32Array(4), 'loop.obs': new Float32Array(2) },
      });
    store.writeCheckpoint(rec.id, 10, full(10), {}, 2);
    store.create({
      scenarioId: null,
      parentRunId: rec.id,
      parentStep: 10,
      config: resolveConfig('point/one-goal', {}),
      backend: 'cpu',
      device: 't',
    });
    for (const step of [20, 30, 40]) store.writeCheckpoint(rec.id, step, full(step), {}, 2);
    expect(store.checkpointSteps(rec.id)).toEqual([10, 30, 40]); // 20 pruned, 10 kept for its child
    const dir = path.join(store.dir(rec.id), 'checkpoints');
    expect(fs.readdirSync(path.join(dir, 'kept')).sort()).toEqual(['10.json', '10.safetensors']);
    const kept = decodeCheckpoint(store.readCheckpoint(rec.id, 10).bytes);
    expect(Object.keys(kept.tensors)).toEqual(['actor.w0']);
    expect(Array.from(kept.tensors['actor.w0']!)).toEqual([10, 1]);
    expect(kept.meta.extra).toEqual({ envStep: 10 });
  });

  it('keeps a policy checkpoint for good when asked; a run resumes only from full ones', () => {
    const store = new RunStore(home);
    const rec = make(store);
    for (const step of [10, 20, 30, 40, 50]) {
      const kept = step % 20 === 0 ? new Uint8Array([step, 0]) : undefined; // the lean file: other bytes
      store.writeCheckpoint(rec.id, step, new Uint8Array([step, 1]), { episodes: step }, 2, kept);
    }
    const dir = path.join(store.dir(rec.id), 'checkpoints');
    expect(fs.readdirSync(path.join(dir, 'kept')).sort()).toEqual(['20.json', '20.safetensors', '40.json', '40.safetensors']);
    expect(store.checkpointSteps(rec.id)).toEqual([20, 40, 50]);
    // 40 has both: the full file wins; 20's full file was pruned, so its kept one is read.
    expect(Array.from(store.readCheckpoint(rec.id, 40).bytes)).toEqual([40, 1]);
    expect(Array.from(store.readCheckpoint(rec.id, 20).bytes)).toEqual([20, 0]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'kept', '20.json'), 'utf8'))).toEqual({ step: 20, episodes: 20 });
    // Only full checkpoints count as the latest (they carry the replay and loop state).
    fs.rmSync(path.join(dir, 'latest'));
    fs.rmSync(path.join(dir, '50.safetensors'));
    fs.rmSync(path.join(dir, '40.safetensors'));
    expect(store.latestCheckpoint(rec.id)).toBeNull();
    expect(store.checkpointSteps(rec.id)).toEqual([20, 40]);
    expect(() => store.readCheckpoint(rec.id, 30)).toThrow(
      /checkpoints\/30\.safetensors does not exist \(run \S+ has checkpoints at steps 20, 40\)/,
    );
    expect(store.info(rec).checkpoints).toEqual([20, 40]);
  });

  it('shows a running run whose process is gone as interrupted', () => {
    const store = new RunStore(home);
    const rec = make(store);
    store.update(rec.id, { status: 'running', pid: 2 ** 22 + 12345, hostname: os.hostname() });
    expect(store.info(store.read(rec.id)).status).toBe('interrupted');
    expect(store.info(store.read(rec.id), () => true).status).toBe('running');
  });

  it.skipIf(process.platform !== 'linux')(
    'a live process given the pid of a crashed run after its last write is not its owner',
    async () => {
      const store = new RunStore(home);
      const rec = make(store);
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
      try {
        await new Promise((r) => other.once('spawn', r));
        const file = path.join(store.dir(rec.id), 'run.json');
        const write = (updatedAt: string) =>
          fs.writeFileSync(
            file,
            JSON.stringify({ ...store.read(rec.id), status: 'running', pid: other.pid, hostname: os.hostname(), updatedAt }),
          );
        // Written an hour before that process started: a crash, then the pid handed on.
        write(new Date(Date.now() - 3600_000).toISOString());
        expect(store.info(store.read(rec.id)).status).toBe('interrupted');
        // Written by it (after it started): its run.
        write(new Date(Date.now() + 1000).toISOString());
        expect(store.info(store.read(rec.id)).status).toBe('running');
      } finally {
        other.kill();
      }
    },
  );

  it('writes atomically: no temp files are left behind', () => {
    const store = new RunStore(home);
    const rec = make(store);
    for (let i = 0; i < 5; i++) store.update(rec.id, { step: i });
    expect(fs.readdirSync(store.dir(rec.id)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(store.read(rec.id).step).toBe(4);
  });

  it('a failed write leaves no temp file; temp files of crashed writers are swept, a live writer keeps its own', () => {
    const store = new RunStore(home);
    const rec = make(store);
    const dir = store.dir(rec.id);
    // A write that fails (here: the target is a folder, as a full disk fails the rename's data).
    fs.mkdirSync(path.join(dir, 'blocked'));
    expect(() => writeFileAtomic(path.join(dir, 'blocked'), 'x')).toThrow();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const dead = `.3000.safetensors.${2 ** 22 + 12345}.1700000000000.tmp`;
    const live = `.3000.safetensors.${process.ppid}.1700000000000.tmp`;
    for (const f of [dead, live]) fs.writeFileSync(path.join(dir, 'checkpoints', f), 'partial');
    expect(store.sweepTemp(rec.id)).toEqual([dead]);
    expect(fs.readdirSync(path.join(dir, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([live]);
  });

  it('reads a clock that an old resume restarted as going on: training time never runs backwards', () => {
    const store = new RunStore(home);
    const rec = make(store);
    const rows = [
      { step: 1000, time: 40 },
      { step: 2000, time: 80 },
      { step: 3000, time: 20 }, // resumed at 2000 before the clock carried on
      { step: 4000, time: 60 },
    ];
    fs.writeFileSync(path.join(store.dir(rec.id), 'metrics.jsonl'), rows.map((r) => JSON.stringify(r) + '\n').join(''));
    expect(store.readMetrics(rec.id).map((r) => r.time)).toEqual([40, 80, 100, 140]);
    expect(store.readMetrics(rec.id, 3000).map((r) => r.time)).toEqual([100, 140]);
  });

  it('rejects unsafe video names', () => {
    const store = new RunStore(home);
    const rec = make(store);
    expect(() => store.saveVideo(rec.id, '../x.mp4', new Uint8Array([1]))).toThrow(/invalid video name/);
    expect(fs.existsSync(store.saveVideo(rec.id, 'a.mp4', new Uint8Array([1])))).toBe(true);
  });
});
