// Whether the process a run record names is still its owner. A pid alone is not enough: after a
// crash and a reboot the number is handed to some other process, and the run would read "running"
// for as long as that one lives. Where the system says when a process started (Linux's /proc), a
// process that started after the record's last write cannot be the process that wrote it.
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
  if (boot === null) return null;
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

/** False when `pid` is known to have started after `writtenAt` (ISO time): it cannot have written it. */
export function mayHaveWritten(pid: number, writtenAt: string): boolean {
  const started = processStartedAt(pid);
  const written = Date.parse(writtenAt);
  if (started === null || Number.isNaN(written)) return true;
  return started <= written + 2000; // start times are whole ticks and btime whole seconds
}
