import { basename, join, resolve, sep } from 'node:path';

/**
 * Where each native module comes from. Node-API addons (prebuilt, ABI-stable) load from
 * node_modules in every runtime. Addons built against V8's own ABI (better-sqlite3 and its
 * SQLCipher twin) exist twice: node_modules holds the Node build (tests, CLI, browser host),
 * and Electron loads a build of its own from `native/electron-<version>-abi<N>-<platform>-<arch>/`
 * beside the bundles, made once per Electron version by scripts/natives.ts.
 */
export type NativeKind = 'v8-abi' | 'node-api';
export type NativeUser = 'main' | 'server';

export interface NativeModule {
  name: string;
  kind: NativeKind;
  /** The addon inside the package, as node-gyp builds it (v8-abi only). */
  binary?: string;
  /** Which process loads it: Electron main, or the demo server child (ELECTRON_RUN_AS_NODE). */
  usedBy: readonly NativeUser[];
}

export const NATIVE_MODULES: readonly NativeModule[] = [
  { name: 'better-sqlite3-multiple-ciphers', kind: 'v8-abi', binary: 'build/Release/better_sqlite3.node', usedBy: ['main'] },
  { name: 'better-sqlite3', kind: 'v8-abi', binary: 'build/Release/better_sqlite3.node', usedBy: ['server'] },
  { name: '@napi-rs/keyring', kind: 'node-api', usedBy: ['main'] },
  { name: '@node-rs/argon2', kind: 'node-api', usedBy: ['server'] },
];

/** The runtime that will load the modules: `electron` is null under plain Node. */
export interface Runtime {
  electron: string | null;
  /** NODE_MODULE_VERSION (process.versions.modules) of that runtime. */
  abi: string;
  platform: string;
  arch: string;
}

export type NativeSource = { from: 'node_modules' } | { from: 'electron-build'; file: string };

export function nativeModule(name: string): NativeModule {
  const m = NATIVE_MODULES.find((x) => x.name === name);
  if (!m) throw new Error(`${name} is not a native module Inkstone knows`);
  return m;
}

/** One folder per Electron version, ABI, platform and arch: a build never serves another runtime. */
export function nativeFolderName(rt: Runtime): string {
  if (!rt.electron) throw new Error('plain Node loads its native modules from node_modules');
  if (!/^\d+\.\d+\.\d+(-[\w.-]+)?$/.test(rt.electron) || !/^\d+$/.test(rt.abi)) throw new Error(`not an Electron runtime: ${rt.electron} (ABI ${rt.abi})`);
  return `electron-${rt.electron}-abi${rt.abi}-${rt.platform}-${rt.arch}`;
}

/** The `.node` file a module loads from under `rt`, given the root of the native folders. */
export function nativeSource(mod: NativeModule, rt: Runtime, nativeRoot: string): NativeSource {
  if (mod.kind === 'node-api' || !rt.electron) return { from: 'node_modules' };
  if (!mod.binary) throw new Error(`${mod.name}: a v8-abi module names its binary`);
  return { from: 'electron-build', file: join(nativeRoot, nativeFolderName(rt), mod.name, basename(mod.binary)) };
}

/**
 * The native root for a bundle in `dist/electron/<part>/`. Inside a package the bundle sits in
 * `app.asar`, whose files cannot be dlopen()ed: the addons are unpacked beside it.
 */
export function nativeRootFor(bundleDir: string): string {
  const root = resolve(bundleDir, '..', 'native');
  return root.split(sep).map((part) => (part === 'app.asar' ? 'app.asar.unpacked' : part)).join(sep);
}

/** What a native folder was built for; written last, so a half-built folder has none. */
export interface NativeStamp {
  electron: string;
  abi: string;
  platform: string;
  arch: string;
  /** Package versions the addons were built from: an upgraded module needs a new build. */
  modules: Record<string, string>;
}

export const STAMP_FILE = 'native.json';

export function stampFor(rt: Runtime, versions: Record<string, string>): NativeStamp {
  nativeFolderName(rt);
  return { electron: rt.electron!, abi: rt.abi, platform: rt.platform, arch: rt.arch, modules: { ...versions } };
}

/** Why a folder's stamp does not serve `expected`, or null when it does. */
export function stampMismatch(found: unknown, expected: NativeStamp): string | null {
  if (!found || typeof found !== 'object') return 'not built yet';
  const f = found as Partial<NativeStamp>;
  for (const k of ['electron', 'abi', 'platform', 'arch'] as const) {
    if (f[k] !== expected[k]) return `built for ${k} ${String(f[k])}, not ${expected[k]}`;
  }
  for (const [name, version] of Object.entries(expected.modules)) {
    const had = f.modules?.[name];
    if (had !== version) return `${name} ${version} was built as ${had ?? 'nothing'}`;
  }
  return null;
}

/** The modules that need an Electron build of their own. */
export const V8_ABI_MODULES = NATIVE_MODULES.filter((m) => m.kind === 'v8-abi');
