import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nativeFolderName, STAMP_FILE, type Runtime } from '../../electron/core/native/natives';

/**
 * The demo server bundle as Electron's main runs it (ELECTRON_RUN_AS_NODE), played by Node with
 * a made-up Electron version in process.versions: it must take better-sqlite3 from the native
 * folder of that version, not from node_modules. The folder holds a copy of the Node build
 * (same ABI as this Node) or a broken file, to tell the two apart.
 */
const root = resolve('.');
// A build of its own inside the repository (so node_modules resolves), never racing dist/.
const out = join(root, 'dist', `test-server-bundle-${process.pid}`);
const rt: Runtime = { electron: '0.0.0-inkstone-test', abi: process.versions.modules, platform: process.platform, arch: process.arch };
const folder = join(out, 'electron', 'native', nativeFolderName(rt));
const addon = join(folder, 'better-sqlite3', 'better_sqlite3.node');
const tmp = mkdtempSync(join(tmpdir(), 'inkstone-server-bundle-'));
const asElectron = join(tmp, 'as-electron.cjs');

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--electron', '--out', out], { stdio: 'ignore' });
  writeFileSync(asElectron, `Object.defineProperty(process.versions, 'electron', { value: ${JSON.stringify(rt.electron)}, enumerable: true });\n`);
  mkdirSync(join(folder, 'better-sqlite3'), { recursive: true });
  writeFileSync(join(folder, STAMP_FILE), JSON.stringify({ electron: rt.electron, abi: rt.abi, platform: rt.platform, arch: rt.arch, modules: {} }));
}, 120_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** Starts the bundled server; resolves its first stdout line, or its stderr when it dies first. */
function startServer(data: string): Promise<{ line: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['-r', asElectron, join(out, 'electron', 'server', 'cli.cjs'), '--data', data, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      child.kill('SIGTERM');
      resolve({ line, stderr });
    });
    child.once('exit', () => resolve({ line: null, stderr }));
  });
}

describe('the server bundle under Electron', () => {
  it('loads better-sqlite3 from the native folder of its Electron', async () => {
    writeFileSync(addon, 'not an addon');
    const broken = await startServer(join(tmp, 'data-1'));
    expect(broken.line).toBeNull();
    expect(broken.stderr).toContain(addon);

    copyFileSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), addon);
    const started = await startServer(join(tmp, 'data-2'));
    expect(JSON.parse(started.line!)).toMatchObject({ url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/) });
  }, 120_000);

  it('refuses to start without a build for its Electron, saying how to get one', async () => {
    rmSync(join(folder, STAMP_FILE));
    const r = await startServer(join(tmp, 'data-3'));
    expect(r.line).toBeNull();
    expect(r.stderr).toMatch(/native modules for this Electron are not in .* \(not built yet\)\. Run `npm start` once/);
  }, 60_000);
});
