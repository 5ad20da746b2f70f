// Pure decisions of the hardened shell, kept free of Electron's runtime so that they are
// unit-tested in Node. Only Electron's types are imported.
import type { BrowserWindowConstructorOptions } from 'electron';

/** The app's own origin: the renderer is served from this custom protocol, never from file://. */
export const APP_SCHEME = 'inkstone';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Inkstone',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      safeDialogs: true,
    },
  };
}

/** default-src 'none', then only what the renderer needs from its own origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self'`,
  `style-src 'self'`,
  `img-src 'self' data: blob:`,
  `font-src 'self'`,
  `connect-src 'self'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** In-app navigation stays on the app's origin; everything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  try {
    // A custom scheme has an opaque origin ("null"), so compare scheme and host.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app' && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

/** IPC is answered only for the main frame (no parent) of our own origin. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAllowedNavigation(frame.url);
}

/** Windows may not open windows; links to the web open in the system browser (https only). */
export function windowOpenDecision(url: string): { action: 'deny'; openExternal: string | null } {
  try {
    const u = new URL(url);
    return { action: 'deny', openExternal: u.protocol === 'https:' ? u.href : null };
  } catch {
    return { action: 'deny', openExternal: null };
  }
}

/** Camera, microphone, notifications, geolocation…: the app needs none. */
export function permissionDecision(_permission: string): boolean {
  return false;
}
