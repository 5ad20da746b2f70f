import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAllowedNavigation, isTrustedSender, permissionDecision, windowOpenDecision, windowOptions } from './security';
import { resolveInside } from '../core/security/paths';

describe('hardened window', () => {
  it('isolates, sandboxes and denies Node to the renderer', () => {
    const w = windowOptions('/app/preload.js').webPreferences!;
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, nodeIntegrationInSubFrames: false });
    expect(w.preload).toBe('/app/preload.js');
  });
  it('CSP starts from nothing and allows only the app origin', () => {
    expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'none'")).toBe(true);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
  it('navigation and IPC are for the app origin and main frame only', () => {
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const bad of ['https://evil.example/', 'file:///etc/passwd', 'inkstone://other/', 'javascript:alert(1)', 'not a url']) expect(isAllowedNavigation(bad), bad).toBe(false);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/`, parent: null })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/`, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
  it('window.open is always denied; only https links go to the system browser', () => {
    expect(windowOpenDecision('https://docs.example/')).toEqual({ action: 'deny', openExternal: 'https://docs.example/' });
    expect(windowOpenDecision('http://docs.example/')).toEqual({ action: 'deny', openExternal: null });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternal: null });
  });
  it('every permission request is denied', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(permissionDecision(p)).toBe(false);
  });
});

describe('protocol and host path check', () => {
  const root = '/srv/renderer';
  it('serves files inside the renderer folder', () => {
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app.js')).toBe(join(root, 'assets/app.js'));
    expect(resolveInside(root, '/assets/app.js?v=1#x')).toBe(join(root, 'assets/app.js'));
  });
  it('refuses traversal in every spelling', () => {
    for (const bad of ['/../secret', '/assets/../../etc/passwd', '/%2e%2e/secret', '/%2e%2e%2fsecret', '/..%5csecret', '/a%00b', '/C:/Windows/win.ini', '/%E0%A4%A', '\\..\\x']) {
      expect(resolveInside(root, bad), bad).toBeNull();
    }
  });
});
