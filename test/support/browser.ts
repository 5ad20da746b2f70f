import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../electron/host/host';
import type { InkstoneCore } from '../../electron/core/core';
import { openCore } from './core';

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
  const core = await openCore();
  const host = await startHost({ core, rendererDir: join('dist', 'renderer'), demoServerUrl: serverUrl });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(host.url);
  return {
    core,
    host,
    page,
    close: async () => {
      await page.close();
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
