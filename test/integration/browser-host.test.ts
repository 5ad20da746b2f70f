import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startHost, type RunningHost } from '../../electron/host/host';
import { probeCertificate } from '../../electron/core/api/tls';
import { DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, type TestServer } from '../support/server';
import { openCore } from '../support/core';
import type { InkstoneCore } from '../../electron/core/core';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
let ts: TestServer;
let core: InkstoneCore;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  ts = await startTestServer();
  core = await openCore();
  host = await startHost({ core, rendererDir: join('dist', 'renderer'), demoServerUrl: ts.server.url });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await core?.close();
  await ts?.stop();
});

describe('the renderer in Chromium through the browser host', () => {
  it('signs in as the French translator, confirming the certificate, and reads the model list', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await expect.poll(() => page.getByLabel('Server address').inputValue()).toBe(ts.server.url);
    await page.getByLabel('Email').fill(DEMO_USERS.translator);
    await page.getByLabel('Password').fill('Demo-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const shown = await page.getByTestId('fingerprint').textContent();
    expect(shown).toBe((await probeCertificate(ts.server.url)).fingerprint);
    expect(page.url()).not.toContain('secret=');
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const models = page.getByRole('navigation', { name: 'Models' }).getByRole('listitem');
    await expect.poll(() => models.allTextContents()).toEqual(['Article', 'Author']);
    // The chrome's environment picker (a React Aria Select): the translator may reach main only.
    await page.getByRole('button', { name: /Environment/ }).click();
    await expect.poll(() => page.getByRole('listbox', { name: 'Environments' }).getByRole('option').allTextContents()).toEqual(['mainPrimary']);
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('a page from another origin gets no bridge', async () => {
    const page = await browser.newPage();
    // Same server, other origin: localhost is not 127.0.0.1 to the Origin check.
    await page.goto(`http://localhost:${new URL(host.origin).port}/`);
    const outcome = await page.evaluate(
      (wsUrl) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(wsUrl);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${host.origin.replace('http', 'ws')}/bridge`,
    );
    expect(outcome).toBe('refused');
    await page.close();
  });
});
