// Whether the process a run record names is still its owner. A pid alone is not enough: after a
// crash and a reboot the number is handed to some other process, and the run would read "running"
// for as long as that one lives. Where the system says when a process started (Linux's /proc;
// `ps` on macOS and the BSDs), a process that started after the record's last write cannot be the
// process that wrote it. Windows keeps the pid test alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLK_TCK = 100; // USER_HZ: /proc counts start times in these ticks on every Linux ABI

let bootMs: number | null | undefined;

function bootTime(): number | null {
  if (bootMs !== undefined) return bootMs;
  try {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    bootMs = m ? Number(m[1]) * 1000 : null;
  } catch {
    bootMs = null; // not Linux
  }
  return bootMs;
}

/** When process `pid` started (ms since the epoch), or null where the system does not say. */
export function processStartedAt(pid: number): number | null {
  const boot = bootTime();
  if (boot === null) return process.platform === 'win32' ? null : startedAtFromPs(pid);
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 of the whole line: starttime
    return Number.isFinite(ticks) ? boot + (ticks * 1000) / CLK_TCK : null;
  } catch {
    return null;
  }
}

/**
 * The start time `ps` gives (POSIX `lstart`, whole seconds, local time), for systems without /proc.
 * A child process per call, so only for a record that says "running" with a live pid.
 */
export function startedAtFromPs(pid: number): number | null {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      env: { ...process.env, LC_ALL: 'C' }, // English day and month names for Date.parse
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    });
    const t = Date.parse(out.toString().trim().replace(/\s+/g, ' '));
    return Number.isNaN(t) ? null : t;
  } catch {
    return null; // no such process, or no ps
  }
}

/** False when `pid` is known to have started after `writtenAt` (ISO time): it cannot have written it. */
export function mayHaveWritten(pid: number, writtenAt: string): boolean {
  const started = processStartedAt(pid);
  const written = Date.parse(writtenAt);
  if (started === null || Number.isNaN(written)) return true;
  return started <= written + 2000; // start times are whole ticks (or seconds) and btime whole seconds
}
