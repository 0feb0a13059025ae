// Crash-safe file writes: write a temp file, fsync it, rename over the target, fsync the folder.
// A reader therefore sees either the old or the new file, never a torn one.
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(dir);
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
