import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { layoutProblems, neededAddons, packs, readBuilderConfig, unpacked, type BuilderConfig } from '../../scripts/package-layout';
import { installedElectron } from '../../scripts/natives';
import { nativeFolderName, type Runtime } from '../../electron/core/native/natives';

const root = resolve('.');
const config = readBuilderConfig(join(root, 'build', 'electron-builder.yml'));
const rt = installedElectron(root);
const folder = join('dist', 'electron', 'native', nativeFolderName(rt));
/** The tree as it is, plus the Electron builds scripts/natives.ts would write (no Electron headers here). */
const withElectronBuilds = (r: Runtime) => (file: string) =>
  file.startsWith(join(root, 'dist', 'electron', 'native', nativeFolderName(r))) || existsSync(file);

describe('the packaged layout (build/electron-builder.yml against the real module tree)', () => {
  it('names the addons main and the server child load: Electron builds for V8-ABI modules, the platform addon for Node-API ones', () => {
    const files = neededAddons(rt, root).map((a) => a.file);
    expect(files).toContain(join(folder, 'better-sqlite3-multiple-ciphers', 'better_sqlite3.node'));
    expect(files).toContain(join(folder, 'better-sqlite3', 'better_sqlite3.node'));
    expect(files.some((f) => f.startsWith(join('node_modules', '@napi-rs', `keyring-${rt.platform}-${rt.arch}`)) && f.endsWith('.node'))).toBe(true);
    expect(files.some((f) => f.startsWith(join('node_modules', '@node-rs', `argon2-${rt.platform}-${rt.arch}`)) && f.endsWith('.node'))).toBe(true);
  });

  it('packs every one of them outside the asar, present, and no Node build of a V8-ABI module', () => {
    expect(layoutProblems(config, rt, root, withElectronBuilds(rt))).toEqual([]);
  });

  it('without the Electron build of this version, the check says which addon is missing', () => {
    const problems = layoutProblems(config, rt, root, withElectronBuilds({ ...rt, abi: String(Number(rt.abi) - 1) }));
    expect(problems).toEqual([
      `${join(folder, 'better-sqlite3-multiple-ciphers', 'better_sqlite3.node')} (better-sqlite3-multiple-ciphers) is missing`,
      `${join(folder, 'better-sqlite3', 'better_sqlite3.node')} (better-sqlite3) is missing`,
    ]);
  });

  it('fails an addon inside the asar, one not packed, and a packed Node build', () => {
    const inAsar: BuilderConfig = { ...config, asarUnpack: ['**/*.js'] };
    expect(layoutProblems(inAsar, rt, root, withElectronBuilds(rt)).filter((p) => p.includes('inside the asar'))).toHaveLength(neededAddons(rt, root).length);
    const noDist: BuilderConfig = { ...config, files: config.files.filter((f) => f !== 'dist/electron/**') };
    expect(layoutProblems(noDist, rt, root, withElectronBuilds(rt))).toContain(`${join(folder, 'better-sqlite3', 'better_sqlite3.node')} (better-sqlite3) is not packed`);
    const nodeBuilds: BuilderConfig = { ...config, files: config.files.filter((f) => !f.includes('{build,deps,src}')) };
    expect(layoutProblems(nodeBuilds, rt, root, withElectronBuilds(rt))).toContain(
      `${join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')} (the Node build of better-sqlite3, wrong ABI for Electron) would be packed`,
    );
  });

  it("models electron-builder's patterns: last match decides, production node_modules are always candidates", () => {
    const cfg: BuilderConfig = { files: ['dist/**', '!**/*.map', 'dist/keep.map'], asarUnpack: ['**/*.node'], asar: true };
    expect(packs(cfg, 'dist/a.js')).toBe(true);
    expect(packs(cfg, 'dist/a.js.map')).toBe(false);
    expect(packs(cfg, 'dist/keep.map')).toBe(true);
    expect(packs(cfg, 'node_modules/x/index.js')).toBe(true);
    expect(packs(cfg, 'src/a.ts')).toBe(false);
    expect(unpacked(cfg, 'node_modules/@x/y/z.node')).toBe(true);
    expect(unpacked(cfg, 'dist/a.js')).toBe(false);
    expect(unpacked({ ...cfg, asar: false }, 'dist/a.js')).toBe(true);
  });
});
