import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureNatives, expectedStamp, needsBuild } from '../../scripts/natives';
import { nativeFolderName, STAMP_FILE, type Runtime } from '../../electron/core/native/natives';

const root = resolve('.');
const rt: Runtime = { electron: '45.4.1', abi: '150', platform: process.platform, arch: process.arch };
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/** A port with nothing listening: the header download is refused at once. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('building the native modules for Electron', () => {
  it('reuses a folder stamped for this Electron and these module versions, and rebuilds when either changes', () => {
    const nativeRoot = mkdtempSync(join(tmpdir(), 'inkstone-native-root-'));
    try {
      expect(needsBuild(rt, root, nativeRoot)).toBe('not built yet');
      const folder = join(nativeRoot, nativeFolderName(rt));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, STAMP_FILE), JSON.stringify(expectedStamp(rt, root)));
      expect(needsBuild(rt, root, nativeRoot)).toBeNull();
      expect(needsBuild({ ...rt, electron: '46.0.0', abi: '151' }, root, nativeRoot)).toBe('not built yet');
      const stale = expectedStamp(rt, root);
      stale.modules['better-sqlite3'] = '0.0.1';
      writeFileSync(join(folder, STAMP_FILE), JSON.stringify(stale));
      expect(needsBuild(rt, root, nativeRoot)).toMatch(/^better-sqlite3 .* was built as 0\.0\.1$/);
    } finally {
      rmSync(nativeRoot, { recursive: true, force: true });
    }
  });

  it('where the build cannot run (no headers), says why in one line, leaves no folder, and never touches node_modules', async () => {
    const nativeRoot = mkdtempSync(join(tmpdir(), 'inkstone-native-root-'));
    // node-gyp caches headers under HOME: a fresh one, so nothing cached can stand in.
    process.env['HOME'] = mkdtempSync(join(tmpdir(), 'inkstone-native-home-'));
    const before = statSync(nodeBuild);
    const staging = () => readdirSync(tmpdir()).filter((f) => f.startsWith('inkstone-natives-')).length;
    const stagingBefore = staging();
    try {
      const failure = ensureNatives({ rt, root, nativeRoot, headerURL: `http://127.0.0.1:${await closedPort()}` });
      await expect(failure).rejects.toThrow(/see .*rebuild\.log$/);
      const message = await failure.catch((e: Error) => e.message);
      expect(message).not.toContain('\n');
      expect(readdirSync(nativeRoot).sort()).toEqual(['rebuild.log']);
      expect(needsBuild(rt, root, nativeRoot)).toBe('not built yet');
      const after = statSync(nodeBuild);
      expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
      expect(existsSync(nodeBuild)).toBe(true);
      expect(staging()).toBe(stagingBefore);
    } finally {
      rmSync(nativeRoot, { recursive: true, force: true });
      rmSync(process.env['HOME']!, { recursive: true, force: true });
    }
  }, 120_000);
});
