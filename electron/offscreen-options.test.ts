// The offscreen recorder's window settings and message checks, without Electron.
import path from 'node:path';
import { expect, it } from 'vitest';
import { checkRecordResult, offscreenWindowOptions, parseProgress, recordScript } from './offscreen-options.ts';
import { windowOptions } from './window-options.ts';

it('the offscreen window keeps the app window security settings, renders offscreen and is never shown', () => {
  const o = offscreenWindowOptions('/app/preload.cjs');
  expect(o.show).toBe(false);
  expect(o.webPreferences).toEqual({ ...windowOptions('/app/preload.cjs').webPreferences, offscreen: true, backgroundThrottling: false });
});

it('passes options to the page as JSON literals only', () => {
  const s = recordScript("x');alert(1);//", {
    episodes: 1,
    seed: 0,
    stochastic: false,
    width: 640,
    height: 360,
    fps: 30,
    camera: 'fixed',
    overlays: true,
    ghosts: false,
    codec: 'auto',
  });
  expect(s).toBe(
    `window.__maxentRecord("x');alert(1);//", {"episodes":1,"seed":0,"stochastic":false,"width":640,"height":360,"fps":30,"camera":"fixed","overlays":true,"ghosts":false,"codec":"auto"})`,
  );
});

it('accepts only well-formed progress messages', () => {
  expect(parseProgress({ phase: 'render', frame: 3, frames: 10 })).toEqual({ phase: 'render', frame: 3, frames: 10 });
  expect(parseProgress({ phase: 'render', frame: 3, frames: 10, extra: 'x' })).toEqual({ phase: 'render', frame: 3, frames: 10 });
  for (const bad of [
    null,
    'render',
    { phase: 'hack', frame: 1, frames: 1 },
    { phase: 'render', frame: -1, frames: 1 },
    { phase: 'render', frame: 1.5, frames: 2 },
    { phase: 'save' },
  ])
    expect(parseProgress(bad)).toBeNull();
});

it('trusts a result only for the asked run and a file in its videos folder', () => {
  const dir = path.join('/home/u/.maxent-studio/runs', 'r1', 'videos');
  const ok = { runId: 'r1', name: 'a.mp4', path: path.join(dir, 'a.mp4'), frames: 10, fps: 30, width: 640, height: 360, bytes: 99 };
  expect(checkRecordResult(ok, 'r1', dir)).toBe(ok);
  expect(() => checkRecordResult(null, 'r1', dir)).toThrow(/no result/);
  expect(() => checkRecordResult({ ...ok, runId: 'r2' }, 'r1', dir)).toThrow(/recorded r2/);
  expect(() => checkRecordResult({ ...ok, name: '../a.mp4', path: path.join(dir, '../a.mp4') }, 'r1', dir)).toThrow(/invalid video name/);
  expect(() => checkRecordResult({ ...ok, path: '/etc/a.mp4' }, 'r1', dir)).toThrow(/outside/);
  expect(() => checkRecordResult({ ...ok, frames: 'x' }, 'r1', dir)).toThrow(/invalid frames/);
});
