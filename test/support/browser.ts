import { afterAll, beforeAll, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../electron/host/host';
import { InkstoneCore } from '../../electron/core/core';
import { OsKeychainVault } from '../../electron/core/vault/token-vault';
import { dispatch } from '../../electron/core/bridge/dispatch';
import type { Channel, Input, Output } from '../../shared/ipc/contract';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { newDataDir } from './core';
import { TestClient } from './server';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function buildRenderer(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export interface AppUnderTest {
  core: InkstoneCore;
  host: RunningHost;
  page: Page;
  close(): Promise<void>;
}

/** The app as a user gets it from `npm run start:browser`: a core, the host, a page. */
export async function openApp(browser: Browser, serverUrl: string): Promise<AppUnderTest> {
  // Wired as electron/host/main.ts wires it: the core's status and progress reach the page as events.
  let emit: (event: string, payload: unknown) => void = () => {};
  const core = await InkstoneCore.open({
    dataDir: newDataDir(),
    vault: new OsKeychainVault(),
    api: { attempts: 2, backoffMs: 20, timeoutMs: 5_000 },
    onStatus: (s) => emit('session.changed', s),
    onProgress: (e) => emit('sync.progress', e),
  });
  const host = await startHost({ core, rendererDir: join('dist', 'renderer'), demoServerUrl: serverUrl });
  emit = host.emit;
  // A context of its own, not browser.newPage(): axe (@axe-core/playwright) refuses pages made without one.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(host.url);
  return {
    core,
    host,
    page,
    close: async () => {
      await context.close();
      await host.close();
      await core.close();
    },
  };
}

/** Signs in through the UI, confirming the certificate when asked. */
export async function signInThroughUi(page: Page, email: string, password = 'Demo-pass-1'): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const trust = page.getByRole('button', { name: 'Trust this certificate' });
  const workspace = page.getByRole('navigation', { name: 'Models' });
  await Promise.race([trust.waitFor(), workspace.waitFor()]);
  if (await trust.isVisible()) {
    await trust.click();
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await workspace.waitFor();
}

/** A demo server for UI tests that can be stopped (the app goes offline) and restarted on the same port and data. */
export interface UiServer {
  readonly url: string;
  readonly running: RunningServer | null;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Signed in as the demo admin: reads what the server really holds, and writes as "someone else". */
  admin(): Promise<TestClient>;
  dispose(): Promise<void>;
}

export async function startUiServer(): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-ui-'));
  let running: RunningServer | null = await startServer({ dataDir: dir, port: 0, demo: true });
  const { port, url } = running;
  return {
    url,
    get running() {
      return running;
    },
    stop: async () => {
      await running?.close();
      running = null;
    },
    restart: async () => {
      running ??= await startServer({ dataDir: dir, port, demo: true });
    },
    admin: () => new TestClient(running!).login(DEMO_USERS.admin),
    dispose: async () => {
      await running?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bridge as the page uses it, called from the test (e.g. to turn automatic sync off so a test controls when sync runs). */
export async function invoke<C extends Channel>(app: AppUnderTest, channel: C, input: Input<C>): Promise<Output<C>> {
  const r = await dispatch(app.core, channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value as Output<C>;
}

/** The one sync state the status bar shows. */
export const syncState = (page: Page): Promise<string | null> => page.getByTestId('save-state').textContent();

/** One demo server behind the browser host and one Chromium for a test file: started before its tests, stopped after. */
export function uiSuite(): { readonly ui: UiServer; readonly browser: Browser } {
  let ui: UiServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    buildRenderer();
    ui = await startUiServer();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.dispose();
  });
  return {
    get ui() {
      return ui!;
    },
    get browser() {
      return browser!;
    },
  };
}

/** Where a test's screenshot goes: docs/screenshots (README) under INKSTONE_UPDATE_SCREENSHOTS=1, else test-results. */
export const screenshotPath = (name: string): string => `${process.env['INKSTONE_UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test-results/screenshots'}/${name}.png`;

/** Presses the status bar's one "Sync now" and waits until that sync has ended. */
export async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => syncState(page)).not.toBe('Syncing…');
}
