// The BrowserWindow's security settings, kept free of Electron imports so a unit test can
// assert them here, where Electron cannot run.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // Saved rollout videos come from the app's own protocol (media-protocol.ts), nothing else.
  "media-src 'self' blob: maxent-media:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

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

/** Only the app's own files may be shown in the window; everything else is refused. */
export function isAllowedNavigation(url: string, appRoot: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && decodeURIComponent(u.pathname).startsWith(appRoot);
  } catch {
    return false;
  }
}

export const IPC_CALL = 'studio:call';
export const IPC_EVENT = 'studio:event';
