// The BrowserWindow's security settings, kept free of Electron imports so a unit test can
// assert them here, where Electron cannot run.

/** The page's Content-Security-Policy, one list for both hosts: Electron's file:// page (its
 * header, set in main.ts) and the meta tag in renderer/index.html, which Electron enforces as
 * well and which is all `maxent serve`'s http:// page gets. A test keeps the meta tag equal to
 * META_CONTENT_SECURITY_POLICY. What the page loads: its own module script and CSS ('self',
 * which covers file:// in Electron); inline style attributes (uPlot, the DOM helpers); the data:
 * favicon; saved videos from maxent-media:// in Electron (media-protocol.ts) or from the server's
 * own /runs/<id>/videos/; and in the browser one WebSocket, ws://<its own host>/api, which
 * connect-src 'self' covers (CSP3 matches ws: on the page's own host and port; Chromium does).
 * No workers, no blob: media or images (recordings are saved through the API; downloads are
 * blob: links, which CSP does not govern). */
export const CSP_DIRECTIVES: readonly (readonly [name: string, value: string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['media-src', "'self' maxent-media:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a <meta> policy may not carry (the browser ignores them there, with a console error). */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

const policy = (directives: readonly (readonly [string, string])[]): string => directives.map(([k, v]) => `${k} ${v}`).join('; ');

/** The header Electron's main process adds to every response (main.ts). */
export const CONTENT_SECURITY_POLICY = policy(CSP_DIRECTIVES);
/** The same policy less the header-only directives: renderer/index.html's meta tag. */
export const META_CONTENT_SECURITY_POLICY = policy(CSP_DIRECTIVES.filter(([k]) => !HEADER_ONLY.has(k)));

export interface SecureWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    sandbox: true;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: false;
  };
}

export function windowOptions(preload: string, bounds?: { width: number; height: number }): SecureWindowOptions {
  return {
    width: bounds?.width ?? 1440,
    height: bounds?.height ?? 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'MaxEnt Studio',
    backgroundColor: '#101418',
    webPreferences: {
      preload,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export const IPC_CALL = 'studio:call';
export const IPC_EVENT = 'studio:event';
