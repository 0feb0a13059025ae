// The main process's security decisions (navigation, permissions, IPC senders), kept free of
// Electron imports so they are unit-tested where Electron cannot run; main.ts wires them up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file a file: URL names, resolved, or null for anything else (another scheme, a malformed
 * URL, or an encoded path separator, which fileURLToPath refuses). */
function filePath(url: string, platform: NodeJS.Platform): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'file:') return null;
    const p = platform === 'win32' ? path.win32 : path.posix;
    return p.resolve(fileURLToPath(u, { windows: platform === 'win32' }));
  } catch {
    return null;
  }
}

/** Only the app's own files (inside the renderer folder, any query or hash) may be shown in a
 * window; everything else, other schemes included, is refused. Compared as resolved paths with a
 * separator after the folder (so renderer-evil/ is not inside renderer/), case-insensitively on
 * Windows. */
export function isAllowedNavigation(url: string, rendererDir: string, platform: NodeJS.Platform = process.platform): boolean {
  const file = filePath(url, platform);
  if (file === null) return false;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dir = p.resolve(rendererDir) + p.sep;
  return platform === 'win32' ? file.toLowerCase().startsWith(dir.toLowerCase()) : file.startsWith(dir);
}

/** What the page may be granted: notifications (renderer/run-alerts.ts: a run ended) and
 * fullscreen (the <video controls> button on saved videos). Everything else (camera and
 * microphone, geolocation, clipboard reads, HID/serial/USB, opening external apps, ...) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'fullscreen']);

/** The decision for both session.setPermissionRequestHandler and setPermissionCheckHandler. */
export function isAllowedPermission(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission);
}

/** The parts of Electron's WebFrameMain the IPC sender check reads. */
export interface IpcFrame {
  readonly processId: number;
  readonly routingId: number;
  readonly url: string;
}

/** Why a studio:call IPC message is refused, or null to accept it: only the main frame of one of
 * the app's own windows (the main window, or the offscreen recorder's while it records), showing
 * the app's page, may call the studio API. */
export function ipcSenderRefusal(
  frame: IpcFrame | null | undefined,
  trustedMainFrames: readonly IpcFrame[],
  rendererDir: string,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (!frame) return 'the sending frame is gone';
  if (!trustedMainFrames.some((m) => m.processId === frame.processId && m.routingId === frame.routingId))
    return "only the main frame of the app's own window may call the studio API";
  if (!isAllowedNavigation(frame.url, rendererDir, platform)) return "the sending page is not the app's own";
  return null;
}
