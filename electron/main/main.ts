// Electron entry: lifecycle, the hardened window, the app protocol and IPC bound to the core.
// Behaviour lives in electron/core; this file only wires it to Electron.
import { app, BrowserWindow, ipcMain, Menu, protocol, session, shell, net } from 'electron';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { InkstoneCore } from '../core/core';
import { OsKeychainVault } from '../core/vault/token-vault';
import { dispatch } from '../core/bridge/dispatch';
import { resolveInside } from '../core/security/paths';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, isAllowedNavigation, isTrustedSender, permissionDecision, windowOpenDecision, windowOptions } from './security';

// INKSTONE_HOME chooses the data folder, as it does for the CLI and the browser host.
if (process.env['INKSTONE_HOME']) app.setPath('userData', process.env['INKSTONE_HOME']);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const RENDERER_DIR = join(__dirname, '..', 'renderer');
let core: InkstoneCore | null = null;
let demoServer: ChildProcess | null = null;
let mainWindow: BrowserWindow | null = null;

/** The embedded demo server, in a child process of its own, unless a server is configured. */
async function startDemoServer(): Promise<string | null> {
  if (process.env['INKSTONE_SERVER_URL']) return process.env['INKSTONE_SERVER_URL'];
  const serverEntry = join(__dirname, '..', 'server', 'cli.cjs');
  demoServer = spawn(process.execPath, [serverEntry, '--data', join(app.getPath('userData'), 'demo-server'), '--demo'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string | null>((resolve) => {
    createInterface({ input: demoServer!.stdout! }).once('line', resolve);
    demoServer!.once('exit', () => resolve(null));
  });
  return line ? (JSON.parse(line) as { url: string }).url : null;
}

function createWindow(): void {
  const options = windowOptions(join(__dirname, '..', 'preload', 'preload.cjs'));
  // The hardening flags are repeated here, literally, so that a reader and a static scanner
  // see them at the window's creation; windowOptions() is where they are unit-tested.
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
  });
  mainWindow = win;
  win.webContents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url);
    if (d.openExternal) void shell.openExternal(d.openExternal);
    return { action: d.action };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  await app.whenReady();

  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveInside(RENDERER_DIR, new URL(request.url).pathname);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  const demoUrl = await startDemoServer();
  core = await InkstoneCore.open({
    dataDir: app.getPath('userData'),
    vault: new OsKeychainVault(),
    onProgress: (e) => mainWindow?.webContents.send('inkstone:event', 'sync.progress', e),
    onStatus: (s) => mainWindow?.webContents.send('inkstone:event', 'session.changed', s),
    autoSync: true,
  });
  ipcMain.handle('inkstone:invoke', async (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { code: 'PERMISSION', message: 'IPC from an untrusted frame' } };
    if (channel === 'app.info') return { ok: true, value: { demoServerUrl: demoUrl, version: app.getVersion() } };
    return dispatch(core!, channel, payload);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  demoServer?.kill('SIGTERM');
  void core?.close();
});

void main();
