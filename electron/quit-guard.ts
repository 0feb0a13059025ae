// Quitting saves the studio first. Electron emits 'window-all-closed' only when the last window is
// closed by hand; Cmd+Q, the menu's Quit and app.quit() emit 'before-quit' instead (then close the
// windows and quit without it). Both paths run the same shutdown (checkpoint live runs, write
// session.json) exactly once, then quit for real.

export interface QuitGuard {
  /** For app.on('before-quit'): holds the quit until shutdown has finished, then lets it through. */
  beforeQuit(event: { preventDefault(): void }): void;
  /** For app.on('window-all-closed'): shuts down, then quits. */
  windowAllClosed(): void;
}

export function quitGuard(
  shutdown: () => Promise<void>,
  quit: () => void,
  log: (message: string, error: unknown) => void = (m, e) => console.error(m, e),
): QuitGuard {
  let stopping: Promise<void> | null = null;
  let done = false;
  const stop = (): void => {
    // A second request while shutting down (Cmd+Q after closing the window) waits on the first.
    stopping ??= Promise.resolve()
      .then(shutdown)
      .catch((e: unknown) => log('MaxEnt Studio: shutdown failed; quitting anyway', e))
      .then(() => {
        done = true; // before quit(): it emits 'before-quit' again, which must now pass
        quit();
      });
  };
  return {
    beforeQuit(event) {
      if (done) return;
      event.preventDefault();
      stop();
    },
    windowAllClosed: stop,
  };
}
