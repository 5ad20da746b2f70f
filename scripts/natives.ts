// Builds the native modules Electron loads (better-sqlite3 and its SQLCipher twin) for one
// Electron version, into dist/electron/native/electron-<v>-abi<N>-<platform>-<arch>/, once:
// a stamped folder is reused until Electron or a module changes. node_modules is never
// touched (its Node builds serve the tests and the CLI): the sources are copied into a
// temporary folder and compiled there with @electron/rebuild against Electron's headers.
//
//   node --import tsx scripts/natives.ts [--electron-version V --abi N] [--force]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nativeFolderName, STAMP_FILE, stampFor, stampMismatch, V8_ABI_MODULES, type Runtime } from '../electron/core/native/natives';

export interface EnsureOptions {
  rt: Runtime;
  /** The project root, whose node_modules holds the sources. */
  root: string;
  /** Where the versioned folders go (dist/electron/native). */
  nativeRoot: string;
  force?: boolean;
  /** Electron's header server (@electron/rebuild's default when absent). */
  headerURL?: string;
}

export type EnsureResult = { built: false; folder: string } | { built: true; folder: string; seconds: number };

const packageVersion = (root: string, name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

export function expectedStamp(rt: Runtime, root: string) {
  return stampFor(rt, Object.fromEntries(V8_ABI_MODULES.map((m) => [m.name, packageVersion(root, m.name)])));
}

/** Why the folder for `rt` needs a build, or null when it serves as is. */
export function needsBuild(rt: Runtime, root: string, nativeRoot: string): string | null {
  const file = join(nativeRoot, nativeFolderName(rt), STAMP_FILE);
  const found: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  return stampMismatch(found, expectedStamp(rt, root));
}

export async function ensureNatives(o: EnsureOptions): Promise<EnsureResult> {
  const folder = join(o.nativeRoot, nativeFolderName(o.rt));
  if (!o.force && needsBuild(o.rt, o.root, o.nativeRoot) === null) return { built: false, folder };
  const started = performance.now();
  const staging = mkdtempSync(join(tmpdir(), 'inkstone-natives-'));
  try {
    const stamp = expectedStamp(o.rt, o.root);
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'inkstone-natives', version: '0.0.0', private: true, dependencies: stamp.modules }));
    for (const m of V8_ABI_MODULES) {
      // Sources only: a copied Node build would be taken for an Electron one.
      cpSync(join(o.root, 'node_modules', m.name), join(staging, 'node_modules', m.name), { recursive: true, filter: (src) => basename(src) !== 'build' });
    }
    mkdirSync(o.nativeRoot, { recursive: true });
    const log = join(o.nativeRoot, 'rebuild.log');
    const options = { buildPath: staging, electronVersion: o.rt.electron!, forceABI: Number(o.rt.abi), arch: o.rt.arch, onlyModules: V8_ABI_MODULES.map((m) => m.name), ...(o.headerURL ? { headerURL: o.headerURL } : {}) };
    // A configured nodedir (npm_config_nodedir) would compile against Node's headers, not Electron's.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_config_nodedir|NODE_OPTIONS)$/i.test(k)));
    const run = spawnSync(process.execPath, [join(import.meta.dirname, 'electron-rebuild.mjs'), JSON.stringify(options)], { cwd: o.root, encoding: 'utf8', env });
    writeFileSync(log, `${run.stdout ?? ''}${run.stderr ?? ''}`);
    if (run.status !== 0) {
      const said = (/inkstone-rebuild-failed: (.*)/.exec(run.stderr ?? '')?.[1] ?? run.error?.message ?? `exit ${run.status}`).replace(/'[^']*node_modules\/([^']+)'/, '$1');
      const cause = /^\w*Error: ([\s\S]+?)\n\s+at /m.exec(run.stderr ?? '')?.[1]?.replace(/\s+/g, ' ').trim();
      throw new Error(`${said}${cause ? ` (${cause})` : ''}; see ${log}`);
    }
    const next = `${folder}.partial`;
    rmSync(next, { recursive: true, force: true });
    for (const m of V8_ABI_MODULES) {
      mkdirSync(join(next, m.name), { recursive: true });
      cpSync(join(staging, 'node_modules', m.name, m.binary!), join(next, m.name, basename(m.binary!)));
    }
    writeFileSync(join(next, STAMP_FILE), JSON.stringify(stamp, null, 2));
    rmSync(folder, { recursive: true, force: true });
    renameSync(next, folder);
    return { built: true, folder, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The installed Electron's version and ABI, read from its package (no binary needed). */
export function installedElectron(root: string): Runtime {
  const dir = join(root, 'node_modules', 'electron');
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const abi = readFileSync(join(dir, 'abi_version'), 'utf8').trim();
  return { electron: version, abi, platform: process.platform, arch: process.arch };
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '..');
  const installed = installedElectron(root);
  const rt: Runtime = { ...installed, electron: arg('--electron-version') ?? installed.electron, abi: arg('--abi') ?? installed.abi };
  try {
    const r = await ensureNatives({ rt, root, nativeRoot: join(root, 'dist', 'electron', 'native'), force: process.argv.includes('--force') });
    console.log(r.built ? `built native modules for Electron ${rt.electron} in ${r.seconds.toFixed(1)} s: ${r.folder}` : `native modules for Electron ${rt.electron} already built: ${r.folder}`);
  } catch (e) {
    console.error(`cannot build native modules for Electron ${rt.electron}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    process.exit(1);
  }
}
