import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, signInThroughUi } from '../support/browser';

/**
 * The README's quick start on a machine like a fresh headless Debian: `npm start` with no
 * display and no Electron binary, inside a session bus whose Secret Service is only
 * D-Bus-activated (no desktop login ever unlocked a "login" collection), and a home of its own.
 * It must say in one line why Electron did not start, reach the browser host, and let the
 * editor sign in and read a record. The suite itself runs inside scripts/with-keyring.sh, so
 * everything that points at that session (its bus, its unlocked keyring) is left out here.
 */
const LIMIT_MS = 150_000;
let home: string;
let browser: Browser;
let app: ChildProcess | null = null;
let output = '';

const headlessEnv = (): NodeJS.ProcessEnv => {
  const keep = ['PATH', 'LANG', 'TMPDIR', 'CHROMIUM_PATH', 'npm_config_cache'];
  const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  return { ...env, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache'), XDG_CONFIG_HOME: join(home, '.config'), XDG_RUNTIME_DIR: home };
};

const untilOutput = (re: RegExp, ms: number) =>
  new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; output:\n${output}`)), ms);
    const check = () => {
      const m = output.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    app!.stdout!.on('data', check);
    app!.stderr!.on('data', check);
    app!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before ${re}; output:\n${output}`));
    });
    check();
  });

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

/** Stops the whole group (npm, start, D-Bus, keyring, host, demo server) and waits for npm to go. */
async function stop(): Promise<void> {
  const child = app;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'inkstone-headless-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await stop();
  await browser?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the quick start on a headless machine', () => {
  it(
    '`npm start` says why Electron did not start, opens the browser host, and the editor signs in and reads a record',
    async () => {
      app = spawn('dbus-run-session', ['--', 'npm', 'start'], { cwd: process.cwd(), env: headlessEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      app.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      app.stderr!.on('data', (d: Buffer) => (output += d.toString()));

      const [, url, serverUrl] = await untilOutput(/running in your browser at:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)\s+\(demo server (https:\/\/127\.0\.0\.1:\d+\/graphql)/, 120_000);
      const why = output.split('\n').filter((l) => l.startsWith('Electron did not start: '));
      expect(why).toHaveLength(1);
      expect(why[0]).toMatch(/Electron did not start: (the Electron binary (is not installed|could not be downloaded)|there is no display).*Opening Inkstone in your browser instead\.$/);
      expect(output).toMatch(/No usable keychain in this session \(.+\): this run keeps its sign-in and local copy in a throwaway keyring/);

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(url!);
      await expect.poll(() => page.getByLabel('Server address').inputValue()).toBe(serverUrl);
      await signInThroughUi(page, 'editor@demo.test');
      await expect.poll(() => page.getByText(/OS keychain is not available/).count()).toBe(0);
      await page.getByRole('option').filter({ hasText: 'Harbour, part 1' }).first().click();
      await expect.poll(() => page.getByLabel(/^Title/).inputValue()).toBe('Harbour, part 1');
      // The app syncs by itself after a sign-in made in its own window: an edit reaches the
      // server with no click on "Sync now".
      await page.getByLabel(/^Title/).fill('Harbour, part 1 (quick start)');
      await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 20_000 }).toBe('Saved on this computer');
      await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 }).toBe('Synced');
      await page.close();

      await stop();
      // The host and the demo server (another process group: start.ts's child) go too.
      await expect.poll(() => refused(Number(new URL(url!).port)), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => refused(Number(new URL(serverUrl!).port)), { timeout: 15_000 }).toBe(true);
    },
    LIMIT_MS,
  );
});
