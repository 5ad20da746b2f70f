import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join, sep } from 'node:path';
import { NATIVE_MODULES, nativeFolderName, nativeModule, nativeRootFor, nativeSource, stampFor, stampMismatch, type Runtime } from './natives';

const ROOT = join(sep, 'app', 'dist', 'electron', 'native');
const electron = (version: string, abi: string): Runtime => ({ electron: version, abi, platform: 'linux', arch: 'x64' });
const node: Runtime = { electron: null, abi: '115', platform: 'linux', arch: 'x64' };
const version = fc.tuple(fc.nat(99), fc.nat(20), fc.nat(20)).map((v) => v.join('.'));
const abi = fc.integer({ min: 1, max: 999 }).map(String);

describe('where each native module loads from', () => {
  it('plain Node (tests, CLI, browser host) loads every module from node_modules', () => {
    for (const m of NATIVE_MODULES) expect(nativeSource(m, node, ROOT)).toEqual({ from: 'node_modules' });
  });

  it('Node-API modules load from node_modules under Electron too: their ABI is stable', () => {
    for (const name of ['@napi-rs/keyring', '@node-rs/argon2']) expect(nativeSource(nativeModule(name), electron('45.4.1', '150'), ROOT)).toEqual({ from: 'node_modules' });
  });

  it('under Electron, a V8-ABI module loads from the folder of exactly that Electron and ABI, never from node_modules', () => {
    expect(nativeSource(nativeModule('better-sqlite3-multiple-ciphers'), electron('45.4.1', '150'), ROOT)).toEqual({
      from: 'electron-build',
      file: join(ROOT, 'electron-45.4.1-abi150-linux-x64', 'better-sqlite3-multiple-ciphers', 'better_sqlite3.node'),
    });
    fc.assert(
      fc.property(version, abi, version, abi, fc.constantFrom('better-sqlite3', 'better-sqlite3-multiple-ciphers'), (v1, a1, v2, a2, name) => {
        const s1 = nativeSource(nativeModule(name), electron(v1, a1), ROOT);
        const s2 = nativeSource(nativeModule(name), electron(v2, a2), ROOT);
        if (s1.from !== 'electron-build' || s2.from !== 'electron-build') return false;
        expect(s1.file.startsWith(join(ROOT, `electron-${v1}-abi${a1}-linux-x64`) + sep)).toBe(true);
        expect(s1.file).not.toContain('node_modules');
        // Another Electron or ABI never shares a build.
        if (v1 !== v2 || a1 !== a2) expect(s1.file).not.toBe(s2.file);
        return true;
      }),
    );
  });

  it('the two SQLite flavours never share an addon file', () => {
    const rt = electron('45.4.1', '150');
    const files = ['better-sqlite3', 'better-sqlite3-multiple-ciphers'].map((n) => nativeSource(nativeModule(n), rt, ROOT));
    expect(new Set(files.map((f) => (f.from === 'electron-build' ? f.file : ''))).size).toBe(2);
  });

  it('refuses a runtime that is not Electron for a build folder, and unknown modules', () => {
    expect(() => nativeFolderName(node)).toThrow(/node_modules/);
    expect(() => nativeFolderName(electron('../../etc', '150'))).toThrow(/not an Electron runtime/);
    expect(() => nativeFolderName(electron('45.4.1', '15/0'))).toThrow(/not an Electron runtime/);
    expect(() => nativeModule('sqlite3')).toThrow(/not a native module/);
  });

  it('inside a package the addons come from app.asar.unpacked, beside the asar', () => {
    const packaged = join(sep, 'opt', 'Inkstone', 'resources', 'app.asar', 'dist', 'electron', 'main');
    expect(nativeRootFor(packaged)).toBe(join(sep, 'opt', 'Inkstone', 'resources', 'app.asar.unpacked', 'dist', 'electron', 'native'));
    expect(nativeRootFor(join(sep, 'work', 'inkstone', 'dist', 'electron', 'server'))).toBe(join(sep, 'work', 'inkstone', 'dist', 'electron', 'native'));
    expect(nativeRootFor(join(sep, 'x', 'app.asar.d', 'dist', 'electron', 'main'))).toBe(join(sep, 'x', 'app.asar.d', 'dist', 'electron', 'native'));
  });
});

describe('the stamp of a native folder', () => {
  const rt = electron('45.4.1', '150');
  const stamp = stampFor(rt, { 'better-sqlite3': '12.11.1', 'better-sqlite3-multiple-ciphers': '12.11.1' });

  it('serves the runtime and module versions it was built for', () => {
    expect(stampMismatch(JSON.parse(JSON.stringify(stamp)), stamp)).toBeNull();
  });

  it('does not serve another Electron, ABI, platform or arch, an upgraded module, or a missing stamp', () => {
    expect(stampMismatch(null, stamp)).toBe('not built yet');
    expect(stampMismatch({ ...stamp, abi: '140' }, stamp)).toBe('built for abi 140, not 150');
    expect(stampMismatch({ ...stamp, electron: '45.4.0' }, stamp)).toMatch(/electron 45\.4\.0/);
    expect(stampMismatch({ ...stamp, arch: 'arm64' }, stamp)).toMatch(/arch arm64/);
    expect(stampMismatch({ ...stamp, modules: { ...stamp.modules, 'better-sqlite3': '12.10.0' } }, stamp)).toBe('better-sqlite3 12.11.1 was built as 12.10.0');
  });
});
