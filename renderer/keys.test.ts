import { expect, it } from 'vitest';
import { isPlainKey } from './keys.ts';

// An element that answers closest() for a set of selectors it matches (no DOM in unit tests).
const el = (matches: boolean) => ({ closest: () => (matches ? {} : null) }) as unknown as EventTarget;
const key = (over: Partial<KeyboardEvent>) =>
  ({ altKey: false, ctrlKey: false, metaKey: false, target: el(false), ...over }) as KeyboardEvent;

it('takes keys pressed on the page, not in a field, on a control or with a modifier', () => {
  expect(isPlainKey(key({}))).toBe(true);
  expect(isPlainKey(key({ target: null }))).toBe(true);
  expect(isPlainKey(key({ target: el(true) }))).toBe(false);
  expect(isPlainKey(key({ ctrlKey: true }))).toBe(false);
  expect(isPlainKey(key({ metaKey: true }))).toBe(false);
  expect(isPlainKey(key({ altKey: true }))).toBe(false);
});

it('leaves keys pressed in a dialog or on a video player to them', () => {
  // What isPlainKey asks of the target: dialogs and media are among the elements it stays out of.
  const asked: string[] = [];
  const target = { closest: (sel: string) => (asked.push(sel), null) } as unknown as EventTarget;
  expect(isPlainKey(key({ target }))).toBe(true);
  for (const tag of ['dialog', 'video', 'audio']) expect(asked[0]!.split(/,\s*/)).toContain(tag);
});
