// Electron cannot run here; its security settings and IPC validation are tested as data.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, META_CONTENT_SECURITY_POLICY, windowOptions } from './window-options.ts';
import { MEDIA_SCHEME } from './media-protocol.ts';
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
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain(`media-src 'self' ${MEDIA_SCHEME}:`);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    // No wildcards, eval, file: or blob: beyond 'self', and each directive once.
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|file:|blob:|\bws:|wss:/);
    const names = CSP_DIRECTIVES.map(([k]) => k);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("the page's meta Content-Security-Policy (renderer/index.html)", () => {
  const html = fs.readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];

  it('is the same policy as the header, less what a meta tag may not carry', () => {
    expect(metas).toHaveLength(1);
    expect(metas[0]![1]).toBe(META_CONTENT_SECURITY_POLICY);
    const header = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d] as const));
    for (const d of META_CONTENT_SECURITY_POLICY.split('; ')) expect(header.get(d.split(' ')[0])).toBe(d);
    expect([...header.keys()].filter((k) => !META_CONTENT_SECURITY_POLICY.includes(`${k} `))).toEqual(['frame-ancestors']);
  });

  it('lets Electron play saved videos from maxent-media:', () => {
    expect(META_CONTENT_SECURITY_POLICY).toContain(`media-src 'self' ${MEDIA_SCHEME}:`);
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
