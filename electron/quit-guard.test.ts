// Electron cannot run here: the quit sequence is driven as Electron drives it (app.quit() emits
// 'before-quit' synchronously, and again when it is called a second time).
import { describe, expect, it } from 'vitest';
import { quitGuard } from './quit-guard.ts';

function harness(shutdown: () => Promise<void>) {
  const calls: string[] = [];
  let prevented = 0;
  const guard = quitGuard(
    async () => {
      calls.push('shutdown');
      await shutdown();
      calls.push('shutdown done');
    },
    // app.quit(): emits 'before-quit'; quits unless a handler prevents it.
    () => {
      calls.push('quit');
      quitRequest();
    },
    (m) => calls.push(`log ${m}`),
  );
  const quitRequest = (): boolean => {
    let stopped = false;
    guard.beforeQuit({ preventDefault: () => ((stopped = true), prevented++) });
    if (!stopped) calls.push('exit');
    return !stopped;
  };
  return { guard, calls, quitRequest, prevented: () => prevented };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('quitGuard', () => {
  it('Cmd+Q holds the quit until shutdown has finished, then quits once', async () => {
    let finish!: () => void;
    const h = harness(() => new Promise<void>((r) => (finish = r)));
    expect(h.quitRequest()).toBe(false); // Cmd+Q / menu Quit / app.quit()
    await tick();
    expect(h.calls).toEqual(['shutdown']);
    expect(h.quitRequest()).toBe(false); // pressed again while saving: still held, no second shutdown
    finish();
    await tick();
    expect(h.calls).toEqual(['shutdown', 'shutdown done', 'quit', 'exit']);
    expect(h.prevented()).toBe(2);
  });

  it('closing the last window shuts down once, then quits; a Cmd+Q meanwhile joins it', async () => {
    let finish!: () => void;
    const h = harness(() => new Promise<void>((r) => (finish = r)));
    h.guard.windowAllClosed();
    await tick();
    expect(h.quitRequest()).toBe(false);
    h.guard.windowAllClosed();
    finish();
    await tick();
    expect(h.calls).toEqual(['shutdown', 'shutdown done', 'quit', 'exit']);
  });

  it('a failed shutdown is logged and the app quits anyway', async () => {
    const h = harness(() => Promise.reject(new Error('disk full')));
    h.quitRequest();
    await tick();
    expect(h.calls).toEqual(['shutdown', 'log MaxEnt Studio: shutdown failed; quitting anyway', 'quit', 'exit']);
  });

  it('a shutdown that throws before its promise is logged and the app quits anyway', async () => {
    const calls: string[] = [];
    const guard = quitGuard(
      () => {
        throw new Error('no service');
      },
      () => calls.push('quit'),
      () => calls.push('log'),
    );
    guard.beforeQuit({ preventDefault: () => calls.push('prevented') });
    await tick();
    expect(calls).toEqual(['prevented', 'log', 'quit']);
  });
});
