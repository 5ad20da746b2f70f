import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NativeModulesMissingError, withRuntimeBinding, type SqliteConstructor } from './binding';
import { nativeFolderName, STAMP_FILE, type Runtime } from './natives';

// Node plays Electron here (its ABI, a made-up Electron version): what is under test is that
// the class loads its addon from the versioned folder and from nowhere else.
const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3-multiple-ciphers') as SqliteConstructor;
type Db = { prepare(sql: string): { get(): unknown }; close(): void };
const tmp = mkdtempSync(join(tmpdir(), 'inkstone-binding-'));
const bundleDir = join(tmp, 'dist', 'electron', 'main');
const rt: Runtime = { electron: '45.4.1', abi: process.versions.modules, platform: process.platform, arch: process.arch };
const folder = join(tmp, 'dist', 'electron', 'native', nativeFolderName(rt));
const addon = join(folder, 'better-sqlite3-multiple-ciphers', 'better_sqlite3.node');
const nodeBuild = join(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');
const stamp = (over: Partial<Record<string, string>> = {}) =>
  writeFileSync(join(folder, STAMP_FILE), JSON.stringify({ electron: rt.electron, abi: rt.abi, platform: rt.platform, arch: rt.arch, modules: {}, ...over }));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the database class a bundle gets', () => {
  it('under plain Node is the package itself', () => {
    expect(withRuntimeBinding('better-sqlite3-multiple-ciphers', Sqlite, bundleDir, { ...rt, electron: null })).toBe(Sqlite);
  });

  it('under Electron refuses to start without a build stamped for that Electron and ABI, saying how to get one', () => {
    expect(() => withRuntimeBinding('better-sqlite3-multiple-ciphers', Sqlite, bundleDir, rt)).toThrow(NativeModulesMissingError);
    mkdirSync(dirname(addon), { recursive: true });
    stamp({ abi: '1' });
    expect(() => withRuntimeBinding('better-sqlite3-multiple-ciphers', Sqlite, bundleDir, rt)).toThrow(/built for abi 1, not \d+.*npm start/);
  });

  it('under Electron loads the addon of the versioned folder, not the one in node_modules', () => {
    mkdirSync(dirname(addon), { recursive: true });
    stamp();
    writeFileSync(addon, 'not an addon');
    const Broken = withRuntimeBinding('better-sqlite3-multiple-ciphers', Sqlite, bundleDir, rt) as unknown as new (file: string) => Db;
    expect(() => new Broken(':memory:')).toThrow(/invalid ELF header|file too short|not a valid/i);

    copyFileSync(nodeBuild, addon);
    const Db = withRuntimeBinding('better-sqlite3-multiple-ciphers', Sqlite, bundleDir, rt) as unknown as new (file: string, o?: object) => Db;
    const db = new Db(':memory:', { readonly: false });
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    expect(db).toBeInstanceOf(Sqlite);
    db.close();
  });
});
