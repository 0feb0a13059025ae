// Keyboard shortcuts: which key presses are meant for the page's shortcuts rather than a control.

/**
 * A key meant for the 3-D view: no modifier, and not typed into a field or pressed on a control
 * (Space on a focused button clicks that button; arrows move a slider or a select), inside a
 * dialog, or on a video player.
 */
export function isPlainKey(e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  const t = e.target as Element | null;
  if (!t || typeof t.closest !== 'function') return true;
  // A dialog (Delete…) or a media player (a saved video) has keys of its own.
  return !t.closest(
    'input, select, textarea, button, summary, a[href], [contenteditable=""], [contenteditable="true"], dialog, video, audio',
  );
}
