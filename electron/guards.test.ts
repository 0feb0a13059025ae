// The main process's navigation, permission and IPC-sender decisions, tested as plain functions
// (Electron cannot run here; main.ts and offscreen-recorder.ts wire them up).
import { describe, expect, it } from 'vitest';
import { ALLOWED_PERMISSIONS, ipcSenderRefusal, isAllowedNavigation, isAllowedPermission, type IpcFrame } from './guards.ts';

describe('isAllowedNavigation', () => {
  const dir = '/opt/MaxEnt Studio/resources/app.asar/dist/renderer';
  const base = 'file:///opt/MaxEnt%20Studio/resources/app.asar/dist';
  const posix = (url: string) => isAllowedNavigation(url, dir, 'linux');

  it("allows the app's own page, with a query or a hash", () => {
    expect(posix(`${base}/renderer/index.html`)).toBe(true);
    expect(posix(`${base}/renderer/index.html?mode=record`)).toBe(true);
    expect(posix(`${base}/renderer/index.html#run=20261125-000149-point-multigoal-c2bb44`)).toBe(true);
    expect(posix(`${base}/renderer/assets/index.js`)).toBe(true);
    expect(isAllowedNavigation('file:///app/dist/renderer/index.html', '/app/dist/renderer/', 'linux')).toBe(true);
  });

  it('refuses siblings that share the folder name as a prefix', () => {
    expect(posix(`${base}/renderer-evil/x.html`)).toBe(false);
    expect(posix(`${base}/rendererX.html`)).toBe(false);
    expect(posix(`${base}/renderer`)).toBe(false);
  });

  it('refuses paths that climb out, encoded or not', () => {
    expect(posix(`${base}/renderer%2F..%2F..%2F..%2F..%2Fhome/u/Downloads/x.html`)).toBe(false);
    expect(posix(`${base}/renderer/../../../../home/u/Downloads/x.html`)).toBe(false);
    expect(posix(`${base}/renderer/%2e%2e/%2e%2e/x.html`)).toBe(false);
    expect(posix('file:///etc/passwd')).toBe(false);
  });

  it('refuses other schemes and non-URLs', () => {
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5173/index.html',
      'maxent-media://videos/20261125-000149-point-multigoal-c2bb44/clip.mp4',
      'blob:file:///0f1e',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect(posix(url), url).toBe(false);
    expect(posix('file://evil.example/opt/MaxEnt%20Studio/resources/app.asar/dist/renderer/index.html')).toBe(false);
  });

  it('matches on Windows, case-insensitively, and still refuses the evil cases there', () => {
    const win = 'C:\\Program Files\\MaxEnt Studio\\resources\\app.asar\\dist\\renderer';
    const w = (url: string) => isAllowedNavigation(url, win, 'win32');
    expect(w('file:///C:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/renderer/index.html')).toBe(true);
    expect(w('file:///c:/program%20files/maxent%20studio/resources/app.asar/dist/renderer/index.html?mode=record')).toBe(true);
    expect(w('file:///C:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/renderer-evil/x.html')).toBe(false);
    expect(w('file:///C:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/rendererX.html')).toBe(false);
    expect(w('file:///C:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/renderer%5C..%5C..%5Cx.html')).toBe(false);
    expect(w('file:///C:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/renderer/../x.html')).toBe(false);
    expect(w('file:///D:/Program%20Files/MaxEnt%20Studio/resources/app.asar/dist/renderer/index.html')).toBe(false);
    expect(w('file://server/share/dist/renderer/index.html')).toBe(false);
  });
});

describe('isAllowedPermission', () => {
  it('grants notifications (run alerts) and fullscreen (video controls) only', () => {
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(['fullscreen', 'notifications']);
    expect(isAllowedPermission('notifications')).toBe(true);
    expect(isAllowedPermission('fullscreen')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb'])
      expect(isAllowedPermission(p), p).toBe(false);
    for (const p of ['openExternal', 'pointerLock', 'midiSysex', 'fileSystem', 'unknown', '', 'Notifications'])
      expect(isAllowedPermission(p), p).toBe(false);
  });
});

describe('ipcSenderRefusal', () => {
  const dir = '/app/dist/renderer';
  const page = 'file:///app/dist/renderer/index.html';
  const main: IpcFrame = { processId: 4, routingId: 1, url: page };
  const recorder: IpcFrame = { processId: 7, routingId: 1, url: `${page}?mode=record` };

  it("accepts the main frame of the app's windows", () => {
    expect(ipcSenderRefusal({ ...main }, [main], dir, 'linux')).toBeNull();
    expect(ipcSenderRefusal({ ...recorder }, [main, recorder], dir, 'linux')).toBeNull();
  });

  it('refuses a subframe, another window, a gone frame and a foreign page, with a reason', () => {
    expect(ipcSenderRefusal({ processId: 4, routingId: 9, url: page }, [main], dir, 'linux')).toMatch(/only the main frame/);
    expect(ipcSenderRefusal({ ...recorder }, [main], dir, 'linux')).toMatch(/only the main frame/);
    expect(ipcSenderRefusal(null, [main], dir, 'linux')).toMatch(/gone/);
    expect(ipcSenderRefusal(undefined, [main], dir, 'linux')).toMatch(/gone/);
    expect(ipcSenderRefusal({ ...main }, [], dir, 'linux')).toMatch(/only the main frame/);
    expect(ipcSenderRefusal({ ...main, url: 'https://example.com/' }, [main], dir, 'linux')).toMatch(/not the app's own/);
    expect(ipcSenderRefusal({ ...main, url: 'file:///app/dist/renderer-evil/x.html' }, [main], dir, 'linux')).toMatch(/not the app's own/);
  });
});
