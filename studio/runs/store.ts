// The run store: one folder per run under <home>/runs (ARCHITECTURE.md, "Run store").
// Every write is crash-safe; a corrupt file is reported by name and skipped, never fatal to
// the listing of other runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { RUN_STATUSES, variantLabel, type MetricRow, type RunInfo, type RunStatus } from '../api.ts';
import { settingsOf, type TrainConfig } from '../config.ts';
import { appendLinesDurable, FileExistsError, sweepTempFiles, writeFileAtomic } from './atomic.ts';
import { readLabel, writeLabel, type RunLabel } from './label.ts';
import { RUN_ID, VIDEO_NAME } from './pattern.ts';
import { mayHaveWritten } from './pid.ts';
import { videoTakenMessage } from '../record/options.ts';
import { settingKey } from './setting.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../agents/checkpoint/safetensors.ts';
import { stripReplayFromCheckpoint } from '../../agents/replay.ts';
import { stripLoopState } from '../worker/loop-state.ts';

export interface RunRecord {
  format: 'maxent-run';
  version: 1;
  id: string;
  name: string;
  scenarioId: string | null;
  parentRunId: string | null;
  /** Checkpoint step of the parent the run was initialised from. */
  parentStep: number | null;
  config: TrainConfig;
  status: RunStatus;
  step: number;
  backend: string;
  device: string;
  createdAt: string;
  updatedAt: string;
  /** Process that owns a running run; used to tell a crash (interrupted) from a live run. */
  pid: number | null;
  hostname: string | null;
  lastReturn: number | null;
  error: string | null;
}

const STATUSES = new Set<RunStatus>(RUN_STATUSES);

/** What is wrong with a parsed run.json's fields that listing, sorting and lineage rely on (a
 * hand-edited or foreign record would otherwise break the whole list), or null. */
function recordProblem(rec: RunRecord): string | null {
  const r = rec as unknown as Record<string, unknown>;
  const str = (k: string) => typeof r[k] === 'string';
  const orNull = (k: string, ok: (v: unknown) => boolean) => r[k] === null || r[k] === undefined || ok(r[k]);
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!str('name')) return 'name is not a string';
  if (!str('createdAt') || Number.isNaN(Date.parse(r.createdAt as string))) return 'createdAt is not a date';
  if (!STATUSES.has(r.status as RunStatus)) return `status ${JSON.stringify(r.status)} is unknown`;
  if (!count(r.step)) return 'step is not a count';
  if (!orNull('scenarioId', (v) => typeof v === 'string')) return 'scenarioId is not a string';
  if (!orNull('parentRunId', (v) => typeof v === 'string' && RUN_ID.test(v))) return 'parentRunId is not a run id';
  if (!orNull('parentStep', count)) return 'parentStep is not a count';
  if (!orNull('pid', (v) => typeof v === 'number' && Number.isInteger(v) && v > 0)) return 'pid is not a process id';
  if (!orNull('hostname', (v) => typeof v === 'string')) return 'hostname is not a string';
  if (!orNull('lastReturn', (v) => typeof v === 'number')) return 'lastReturn is not a number';
  if (!orNull('error', (v) => typeof v === 'string')) return 'error is not a string';
  return null;
}

export class RunStoreError extends Error {
  override name = 'RunStoreError';
}

export function defaultHome(): string {
  return process.env.MAXENT_HOME || path.join(os.homedir(), '.maxent-studio');
}

export class RunStore {
  readonly root: string;
  /** Problems met while reading the store (corrupt files), by file path. */
  readonly problems = new Map<string, string>();

  constructor(readonly home: string = defaultHome()) {
    this.root = path.join(home, 'runs');
    fs.mkdirSync(this.root, { recursive: true });
  }

  dir(id: string): string {
    if (!RUN_ID.test(id)) throw new RunStoreError(`invalid run id ${JSON.stringify(id)}`);
    return path.join(this.root, id);
  }

  exists(id: string): boolean {
    return RUN_ID.test(id) && fs.existsSync(path.join(this.root, id, 'run.json'));
  }

  create(init: {
    name?: string;
    scenarioId: string | null;
    parentRunId: string | null;
    parentStep: number | null;
    config: TrainConfig;
    backend: string;
    device: string;
  }): RunRecord {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const slug = init.config.task.replace(/[^A-Za-z0-9]+/g, '-');
    const id = `${stamp}-${slug}-${crypto.randomBytes(3).toString('hex')}`;
    const dir = this.dir(id);
    fs.mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'videos'), { recursive: true });
    const now = new Date().toISOString();
    const rec: RunRecord = {
      format: 'maxent-run',
      version: 1,
      id,
      name: init.name ?? `${init.config.task} seed ${init.config.seed}`,
      scenarioId: init.scenarioId,
      parentRunId: init.parentRunId,
      parentStep: init.parentStep,
      config: init.config,
      status: 'created',
      step: 0,
      backend: init.backend,
      device: init.device,
      createdAt: now,
      updatedAt: now,
      // The creating process holds the run until its worker takes it: if that process dies
      // first, the run reads as interrupted (to resume), not as starting for ever.
      pid: process.pid,
      hostname: os.hostname(),
      lastReturn: null,
      error: null,
    };
    this.write(rec);
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '');
    return rec;
  }

  write(rec: RunRecord): void {
    rec.updatedAt = new Date().toISOString();
    writeFileAtomic(path.join(this.dir(rec.id), 'run.json'), JSON.stringify(rec, null, 2) + '\n');
  }

  /** Reads run.json; throws RunStoreError naming the file when missing or corrupt. */
  read(id: string): RunRecord {
    const file = path.join(this.dir(id), 'run.json');
    if (!fs.existsSync(file)) throw new RunStoreError(`run ${id} not found in ${this.root}`);
    let rec: RunRecord;
    try {
      rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    } catch (e) {
      throw new RunStoreError(`${file} is corrupt (${(e as Error).message}); the run is skipped`);
    }
    if (rec?.format !== 'maxent-run' || rec.id !== id || typeof rec.config?.task !== 'string') {
      throw new RunStoreError(`${file} is not a valid run record (format/id/config missing); the run is skipped`);
    }
    const bad = recordProblem(rec);
    if (bad) throw new RunStoreError(`${file} is not a valid run record (${bad}); the run is skipped`);
    return rec;
  }

  update(id: string, patch: Partial<RunRecord>): RunRecord {
    const rec = { ...this.read(id), ...patch };
    this.write(rec);
    return rec;
  }

  /** The run's name as the user sees it: its label's, else the one it was created with. */
  displayName(rec: RunRecord): string {
    return readLabel(this.dir(rec.id)).name ?? rec.name;
  }

  /** Renames a run or sets its notes (label.json; run.json keeps the name it was created with). */
  setLabel(id: string, label: RunLabel): void {
    this.read(id); // a missing run is named
    const name = label.name?.trim();
    const notes = label.notes?.trim();
    writeLabel(this.dir(id), { ...(name ? { name } : {}), ...(notes ? { notes } : {}) });
  }

  /** All readable runs, newest first. Corrupt ones are recorded in `problems` and skipped. */
  list(): RunRecord[] {
    const out: RunRecord[] = [];
    for (const name of fs.readdirSync(this.root)) {
      // A folder deleted between readdir and stat (another studio, a user) is simply gone.
      if (!RUN_ID.test(name) || !fs.statSync(path.join(this.root, name), { throwIfNoEntry: false })?.isDirectory()) continue;
      try {
        out.push(this.read(name));
        this.problems.delete(path.join(this.root, name, 'run.json'));
      } catch (e) {
        if (!fs.existsSync(path.join(this.root, name))) continue; // deleted while we read it
        this.problems.set(path.join(this.root, name, 'run.json'), (e as Error).message);
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * The runs whose run.json changed (time, size or inode) since `stamps` last saw them,
   * updating `stamps`: a watcher polls a home of many runs by stat, reading only what changed.
   */
  listChanged(stamps: Map<string, string>): RunRecord[] {
    const out: RunRecord[] = [];
    for (const name of fs.readdirSync(this.root)) {
      if (!RUN_ID.test(name)) continue;
      const file = path.join(this.root, name, 'run.json');
      let stamp: string;
      try {
        const st = fs.statSync(file);
        stamp = `${st.mtimeMs}:${st.size}:${st.ino}`; // a record is replaced by rename: a new inode
      } catch {
        continue; // not a run folder, or one being deleted
      }
      if (stamps.get(name) === stamp) continue;
      stamps.set(name, stamp);
      try {
        out.push(this.read(name));
      } catch {
        // a torn or corrupt record: list() reports it; the next change is read again
      }
    }
    return out;
  }

  /** A run whose record says running (or starting, paused, queued) but whose process is gone was
   * interrupted by a crash. isLiveHere: this process trains it or holds it in its queue. */
  effectiveStatus(rec: RunRecord, isLiveHere: (id: string) => boolean): RunStatus {
    if (!HELD.has(rec.status)) return rec.status;
    if (isLiveHere(rec.id)) return rec.status;
    if (
      rec.pid != null &&
      rec.hostname === os.hostname() &&
      rec.pid !== process.pid &&
      pidAlive(rec.pid) &&
      mayHaveWritten(rec.pid, rec.updatedAt) // not a later process that was given the same pid
    )
      return rec.status;
    return 'interrupted';
  }

  info(rec: RunRecord, isLiveHere: (id: string) => boolean = () => false): RunInfo {
    const status = this.effectiveStatus(rec, isLiveHere);
    const label = readLabel(this.dir(rec.id));
    const checkpoints = this.checkpointSteps(rec.id);
    return {
      id: rec.id,
      name: label.name ?? rec.name,
      notes: label.notes ?? '',
      scenarioId: rec.scenarioId,
      task: rec.config.task,
      variant: variantLabel(rec.config.variant),
      variantSpec: rec.config.variant ?? null,
      algo: rec.config.algo,
      status,
      step: rec.step,
      totalSteps: rec.config.steps,
      seed: rec.config.seed,
      createdAt: rec.createdAt,
      parentRunId: rec.parentRunId,
      parentStep: rec.parentStep,
      backend: rec.backend,
      dir: this.dir(rec.id),
      lastReturn: rec.lastReturn,
      error: rec.error,
      checkpoints,
      checkpointsLost: this.checkpointsLost(rec, checkpoints),
      setting: this.setting(rec),
      settings: settingsOf(rec.config),
      elsewhere: HELD.has(status) && !isLiveHere(rec.id),
    };
  }

  /**
   * No checkpoint left where there was one: the run went past its first checkpoint step, or it
   * finished or was stopped (both write one). Continuing would start again from step 0 and write
   * over the record it has. A run that crashed before its first checkpoint has little to lose, and
   * starts again.
   */
  checkpointsLost(rec: RunRecord, steps: number[] = this.checkpointSteps(rec.id)): boolean {
    if (steps.length > 0 || rec.step === 0) return false;
    return rec.step >= rec.config.checkpointEvery || rec.status === 'finished' || rec.status === 'stopped';
  }

  /** Setting keys by run id: what a run trains never changes once it is created (the budget is not part of it). */
  private readonly settings = new Map<string, string>();

  /** The run's setting key (runs/setting.ts), its parent's read once and cached. */
  setting(rec: RunRecord, depth = 0): string {
    const known = this.settings.get(rec.id);
    if (known) return known;
    let parent: string | null = null;
    if (rec.parentRunId) {
      // A chain of fine-tunes is short; the depth bound only guards against a hand-edited cycle.
      parent = 'missing';
      if (depth < 16 && this.exists(rec.parentRunId)) {
        try {
          parent = this.setting(this.read(rec.parentRunId), depth + 1);
        } catch {
          parent = 'unreadable';
        }
      }
    }
    const key = settingKey(rec.config, parent, rec.parentStep);
    this.settings.set(rec.id, key);
    return key;
  }

  /** Deletes a run folder; returns the path removed. */
  remove(id: string): string {
    const dir = this.dir(id);
    if (!fs.existsSync(dir)) throw new RunStoreError(`run ${id} not found in ${this.root}`);
    fs.rmSync(dir, { recursive: true, force: true });
    this.settings.delete(id);
    return dir;
  }

  appendMetrics(id: string, rows: MetricRow[]): void {
    appendLinesDurable(
      path.join(this.dir(id), 'metrics.jsonl'),
      rows.map((r) => JSON.stringify(r)),
    );
  }

  /** Metrics rows with step >= fromStep; a torn or corrupt line is skipped (and reported). */
  readMetrics(id: string, fromStep = 0): MetricRow[] {
    const file = path.join(this.dir(id), 'metrics.jsonl');
    if (!fs.existsSync(file)) return [];
    const rows: MetricRow[] = [];
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // Runs resumed before the clock carried on across a resume restarted `time` near 0: such a
    // segment is read as following the one before, so training time never runs backwards.
    let offset = 0;
    let prev = -Infinity;
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const r = JSON.parse(line) as MetricRow;
        if (typeof r.time === 'number') {
          if (r.time + offset < prev) offset = prev;
          r.time += offset;
          prev = r.time;
        }
        if (typeof r.step === 'number' && r.step >= fromStep) rows.push(r);
      } catch {
        this.problems.set(`${file}:${i + 1}`, `line ${i + 1} is not valid JSON; skipped`);
      }
    });
    return rows;
  }

  /** Temp files a crashed write left in the run's folders (names of the files removed). */
  sweepTemp(id: string): string[] {
    const dir = this.dir(id);
    const alive = (pid: number): boolean => pid === process.pid || pidAlive(pid);
    return [dir, path.join(dir, 'checkpoints'), path.join(dir, 'checkpoints', 'kept'), path.join(dir, 'videos')].flatMap((d) =>
      sweepTempFiles(d, alive),
    );
  }

  /** Drops metric rows after `step` (and any torn line): used when resuming from a checkpoint. */
  truncateMetrics(id: string, step: number): void {
    const rows = this.readMetrics(id).filter((r) => r.step <= step);
    writeFileAtomic(path.join(this.dir(id), 'metrics.jsonl'), rows.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  /** Whether the checkpoint at `step` is a full one (replay and loop state), not a kept policy. */
  isFullCheckpoint(id: string, step: number): boolean {
    return fs.existsSync(this.fullCheckpointPath(id, step));
  }

  /** A full checkpoint (agent, replay, loop state: a run resumes from it). */
  private fullCheckpointPath(id: string, step: number): string {
    return path.join(this.dir(id), 'checkpoints', `${step}.safetensors`);
  }

  /** A kept policy checkpoint (agent state only): outlives the pruning of full checkpoints. */
  private keptCheckpointPath(id: string, step: number): string {
    return path.join(this.dir(id), 'checkpoints', 'kept', `${step}.safetensors`);
  }

  /** The checkpoint file for a step: the full one, else the kept one, else (neither exists) the full one's name. */
  checkpointPath(id: string, step: number): string {
    const full = this.fullCheckpointPath(id, step);
    if (fs.existsSync(full)) return full;
    const kept = this.keptCheckpointPath(id, step);
    return fs.existsSync(kept) ? kept : full;
  }

  /**
   * Writes a checkpoint, then moves the `latest` pointer; keeps the newest `keep` full checkpoints.
   * `kept`: the agent state alone (no replay), kept for good under checkpoints/kept/, so a run's
   * policy can be viewed and evaluated at that step after its full checkpoint is pruned.
   */
  writeCheckpoint(id: string, step: number, bytes: Uint8Array, meta: Record<string, unknown>, keep = 3, kept?: Uint8Array): string {
    const file = this.fullCheckpointPath(id, step);
    const metaJson = JSON.stringify({ step, ...meta }, null, 2) + '\n';
    if (kept) {
      const k = this.keptCheckpointPath(id, step);
      fs.mkdirSync(path.dirname(k), { recursive: true });
      writeFileAtomic(k, kept);
      writeFileAtomic(k.replace(/\.safetensors$/, '.json'), metaJson);
    }
    writeFileAtomic(file, bytes);
    writeFileAtomic(file.replace(/\.safetensors$/, '.json'), metaJson);
    writeFileAtomic(path.join(this.dir(id), 'checkpoints', 'latest'), `${step}\n`);
    const steps = this.stepsIn(path.join(this.dir(id), 'checkpoints'));
    const pruned = steps.slice(0, Math.max(0, steps.length - keep));
    const parents = pruned.length ? this.fineTunedFrom(id) : new Set<number>();
    for (const s of pruned) {
      const full = this.fullCheckpointPath(id, s);
      // A fine-tune started from this checkpoint: its policy stays (a fine-tune resumed before its
      // own first checkpoint starts again from it; lineage views show it). Runs finished before
      // kept policies existed, then resumed, had theirs pruned.
      const k = this.keptCheckpointPath(id, s);
      if (parents.has(s) && !fs.existsSync(k)) {
        fs.mkdirSync(path.dirname(k), { recursive: true });
        writeFileAtomic(k, policyOnly(fs.readFileSync(full)));
        fs.copyFileSync(full.replace(/\.safetensors$/, '.json'), k.replace(/\.safetensors$/, '.json'));
      }
      for (const ext of ['.safetensors', '.json', '.replay']) fs.rmSync(full.replace(/\.safetensors$/, ext), { force: true });
    }
    return file;
  }

  /** The checkpoint steps of `id` that fine-tunes were started from. */
  private fineTunedFrom(id: string): Set<number> {
    return new Set(
      this.list()
        .filter((r) => r.parentRunId === id && r.parentStep != null)
        .map((r) => r.parentStep!),
    );
  }

  /** Checkpoint steps in a folder, ascending (numerically: 1000 after 900). */
  private stepsIn(dir: string): number[] {
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .map((f) => /^(\d+)\.safetensors$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  /** Every step with a checkpoint, full or kept, ascending. */
  checkpointSteps(id: string): number[] {
    const dir = path.join(this.dir(id), 'checkpoints');
    return [...new Set([...this.stepsIn(dir), ...this.stepsIn(path.join(dir, 'kept'))])].sort((a, b) => a - b);
  }

  /** The step of the newest full checkpoint (via `latest`, else the highest file), or null: the one a run resumes from. */
  latestCheckpoint(id: string): number | null {
    const pointer = path.join(this.dir(id), 'checkpoints', 'latest');
    if (fs.existsSync(pointer)) {
      const step = Number(fs.readFileSync(pointer, 'utf8').trim());
      if (Number.isInteger(step) && fs.existsSync(this.fullCheckpointPath(id, step))) return step;
    }
    const steps = this.stepsIn(path.join(this.dir(id), 'checkpoints'));
    return steps.length ? steps[steps.length - 1]! : null;
  }

  readCheckpoint(id: string, step?: number): { step: number; bytes: Uint8Array; file: string } {
    const { step: s, file } = this.checkpointFile(id, step);
    return { step: s, bytes: new Uint8Array(fs.readFileSync(file)), file };
  }

  /**
   * The newest policy a run has: its latest full checkpoint, else its newest kept one (a user may
   * delete the big full files of a finished run to save space); null when it has none.
   */
  newestCheckpoint(id: string): number | null {
    return this.latestCheckpoint(id) ?? this.checkpointSteps(id).at(-1) ?? null;
  }

  /** Why a run has no checkpoint to load: none yet (`then`: what to do about it), or none left. */
  noCheckpoint(id: string, then = ''): string {
    return this.checkpointsLost(this.read(id))
      ? `run ${id} has no checkpoint left (its folder keeps run.json and metrics only)`
      : `run ${id} has no checkpoint yet${then}`;
  }

  /** The checkpoint at `step` (default the newest): its file, or an error naming the steps there are. */
  checkpointFile(id: string, step?: number): { step: number; file: string } {
    const s = step ?? this.newestCheckpoint(id);
    if (s == null) throw new RunStoreError(this.noCheckpoint(id));
    const file = this.checkpointPath(id, s);
    if (!fs.existsSync(file)) {
      const have = this.checkpointSteps(id);
      throw new RunStoreError(
        `checkpoint ${file} does not exist (run ${id} has ${have.length ? `checkpoints at steps ${have.join(', ')}` : 'no checkpoints'})`,
      );
    }
    return { step: s, file };
  }

  /** Path of a run's video (it may not exist); the name is checked. */
  videoPath(id: string, name: string): string {
    if (!VIDEO_NAME.test(name))
      throw new RunStoreError(`invalid video name ${JSON.stringify(name)}: use letters, digits, . _ - (not first: .) and .mp4 or .webm`);
    return path.join(this.dir(id), 'videos', name);
  }

  /** Deletes a video; returns its path. */
  removeVideo(id: string, name: string): string {
    const file = this.videoPath(id, name);
    if (!fs.existsSync(file)) throw new RunStoreError(`run ${id} has no video named ${name}`);
    fs.rmSync(file);
    return file;
  }

  /** Saves a video; an existing one of that name is replaced only with `overwrite`. */
  saveVideo(id: string, name: string, bytes: Uint8Array, overwrite = false): string {
    const file = this.videoPath(id, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileAtomic(file, bytes, { exclusive: !overwrite });
    } catch (e) {
      if (e instanceof FileExistsError) throw new RunStoreError(videoTakenMessage(id, name));
      throw e;
    }
    return file;
  }
}

/** Statuses that a live process holds: the run is interrupted when that process is gone. */
const HELD = new Set<RunStatus>(['created', 'running', 'paused', 'queued']);

/** Whether a run in this (effective) status belongs to a live process: not to be started or deleted by another. */
export function isHeld(status: RunStatus): boolean {
  return HELD.has(status);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A full checkpoint's agent state alone: the replay buffer and the training loop's state dropped. */
export function policyOnly(bytes: Uint8Array): Uint8Array {
  const c = decodeCheckpoint(bytes);
  stripReplayFromCheckpoint(c);
  stripLoopState(c);
  return encodeCheckpoint(c);
}
