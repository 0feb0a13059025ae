// Electron cannot run here; its security settings and IPC validation are tested as data.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, windowOptions } from './window-options.ts';
import { dispatch } from '../studio/dispatch.ts';
import type { StudioService } from '../studio/service.ts';

describe('main window security', () => {
  it('isolates the page from Node', () => {
    const w = windowOptions('/app/dist-electron/preload.cjs').webPreferences;
    expect(w).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(w.preload).toBe('/app/dist-electron/preload.cjs');
  });

  it('has a strict Content-Security-Policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("media-src 'self' blob: maxent-media:");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  it('allows navigation only within the app', () => {
    expect(isAllowedNavigation('file:///app/dist/renderer/index.html', '/app/dist/renderer')).toBe(true);
    expect(isAllowedNavigation('https://example.com/', '/app/dist/renderer')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', '/app/dist/renderer')).toBe(false);
    expect(isAllowedNavigation('not a url', '/app/dist/renderer')).toBe(false);
  });
});

describe('IPC dispatch validation (shared with the WebSocket host)', () => {
  // A service that must never be reached by invalid messages.
  const service = new Proxy(
    {},
    {
      get: () => {
        throw new Error('service reached');
      },
    },
  ) as unknown as StudioService;

  it('answers invalid messages with an error reply, never a throw', async () => {
    await expect(dispatch(service, null)).resolves.toMatchObject({ id: -1, error: expect.stringMatching(/expected an object/) });
    await expect(dispatch(service, { id: 7, method: 'nope', params: [] })).resolves.toEqual({ id: 7, error: 'unknown method "nope"' });
    await expect(dispatch(service, { id: 8, method: 'stop', params: [42] })).resolves.toMatchObject({
      id: 8,
      error: expect.stringMatching(/stop\[0\]: expected a string/),
    });
    await expect(dispatch(service, { id: 9, method: 'startRun', params: ['multigoal', { steps: 1e12 }] })).resolves.toMatchObject({
      id: 9,
      error: expect.stringMatching(/steps/),
    });
  });
});
