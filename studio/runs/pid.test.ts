import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mayHaveWritten, processStartedAt, startedAtFromPs } from './pid.ts';

const hasPs = (() => {
  try {
    execFileSync('ps', ['-o', 'lstart=', '-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('process start times', () => {
  it.skipIf(process.platform !== 'linux')("/proc's start time of this process is before now", () => {
    const t = processStartedAt(process.pid)!;
    expect(t).not.toBeNull();
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(t).toBeGreaterThan(Date.now() - 3600_000 * 24 * 30);
  });

  // The macOS/BSD path, checked against /proc where both exist.
  it.skipIf(!hasPs)("ps's start time (the path without /proc) agrees with /proc to the second", () => {
    const ps = startedAtFromPs(process.pid);
    expect(ps).not.toBeNull();
    expect(ps!).toBeLessThanOrEqual(Date.now());
    const proc = processStartedAt(process.pid);
    if (proc !== null) expect(Math.abs(ps! - proc)).toBeLessThan(1500);
  });

  it('a pid with no process has no start time, and is not ruled out', () => {
    const gone = 2 ** 22 + 4321; // above Linux's pid_max
    expect(startedAtFromPs(gone)).toBeNull();
    expect(processStartedAt(gone)).toBeNull();
    expect(mayHaveWritten(gone, new Date().toISOString())).toBe(true);
  });

  it.skipIf(process.platform === 'win32' || (process.platform !== 'linux' && !hasPs))(
    'a process that started after the write did not make it',
    () => {
      expect(mayHaveWritten(process.pid, new Date(Date.now() - 3600_000 * 24 * 365).toISOString())).toBe(false);
      expect(mayHaveWritten(process.pid, new Date().toISOString())).toBe(true);
    },
  );
});
