import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { signInThroughUi } from '../support/browser';
import { ensureNatives, installedElectron } from '../../scripts/natives';
import { electronBinary } from '../../scripts/electron-binary';

/**
 * The desktop app itself, where an Electron binary exists (node_modules/electron/dist, or
 * ELECTRON_OVERRIDE_DIST_PATH) and a display (under `xvfb-run`): main starts, builds its
 * window, starts the demo server child, the editor signs in through the real preload and
 * reads a record, and the app quits. Elsewhere it is skipped, saying why, never passed.
 *   xvfb-run -a bash scripts/with-keyring.sh npx vitest run test/electron
 */
const root = resolve('.');

const binary = electronBinary(root);
const skipReason = !binary
  ? 'no Electron binary here (node_modules/electron/dist is missing and ELECTRON_OVERRIDE_DIST_PATH is unset)'
  : process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']
    ? 'no display: run it under xvfb-run'
    : null;
if (skipReason) console.log(`Electron smoke test skipped: ${skipReason}.`);

let app: ElectronApplication | null = null;
const home = mkdtempSync(join(tmpdir(), 'inkstone-electron-'));
afterAll(async () => {
  await app?.close().catch(() => {});
  rmSync(home, { recursive: true, force: true });
});

describe('the desktop app in Electron', () => {
  it('starts, signs the editor in through the preload, reads a record and quits', async (ctx) => {
    if (skipReason || !binary) return ctx.skip(skipReason ?? 'no Electron binary');
    execFileSync(process.execPath, ['scripts/build.mjs', '--electron'], { stdio: 'ignore' });
    await ensureNatives({ rt: installedElectron(root), root, nativeRoot: join(root, 'dist', 'electron', 'native') });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'ELECTRON_RUN_AS_NODE' && k !== 'INKSTONE_SERVER_URL')) as Record<string, string>;
    app = await _electron.launch({ executablePath: binary, args: [join(root, 'dist', 'electron', 'main', 'main.cjs')], env: { ...env, INKSTONE_HOME: home }, timeout: 60_000 });
    const page = await app.firstWindow();
    // The real preload: exactly the typed bridge, no Node.
    expect(await page.evaluate(() => Object.keys((window as unknown as { inkstone: object }).inkstone).sort())).toEqual(['invoke', 'on']);
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await signInThroughUi(page, 'editor@demo.test');
    await page.getByRole('option').filter({ hasText: 'Harbour, part 1' }).first().click();
    await expect.poll(() => page.getByLabel(/^Title/).inputValue()).toBe('Harbour, part 1');
    await app.close();
    app = null;
  }, 240_000);
});
