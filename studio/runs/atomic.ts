// Crash-safe file writes: write a temp file, fsync it, rename over the target, fsync the folder.
// A reader therefore sees either the old or the new file, never a torn one.
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    // A full disk must not also keep a checkpoint-sized temp file.
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

const TEMP = /^\..+\.(\d+)\.\d+\.tmp$/;

/** Removes temp files that writeFileAtomic left in `dir` when its process died mid-write (the
 * process that wrote each is named in its file name); those of live processes stay. */
export function sweepTempFiles(dir: string, alive: (pid: number) => boolean): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open folders; rename is still atomic there.
  }
}

/** Appends whole lines with one write + fsync, so a crash loses at most the line in flight. */
export function appendLinesDurable(file: string, lines: string[]): void {
  if (lines.length === 0) return;
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, lines.join('\n') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
