// Crash-safe file writes: write a temp file, fsync it, rename over the target, fsync the folder.
// A reader therefore sees either the old or the new file, never a torn one.
import fs from 'node:fs';
import path from 'node:path';

/** Thrown by an exclusive write when the target is already there. */
export class FileExistsError extends Error {
  override name = 'FileExistsError';
  constructor(readonly file: string) {
    super(`${file} already exists`);
  }
}

/**
 * `exclusive`: never replace an existing file (two writers of one name: the second fails with
 * FileExistsError). A hard link claims the name atomically; where the file system has no hard
 * links (FAT, some shares), an exists check and a rename, with a small window between them.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { exclusive?: boolean } = {}): void {
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
    if (opts.exclusive) claimName(tmp, file);
    else fs.renameSync(tmp, file);
  } catch (e) {
    // A full disk must not also keep a checkpoint-sized temp file.
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

function claimName(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileExistsError(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    if (fs.existsSync(file)) throw new FileExistsError(file);
    fs.renameSync(tmp, file);
    return;
  }
  fs.rmSync(tmp, { force: true });
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
