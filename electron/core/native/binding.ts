import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeFolderName, nativeModule, nativeRootFor, nativeSource, STAMP_FILE, stampMismatch, type Runtime } from './natives';

/** better-sqlite3's constructor shape, enough to pass `nativeBinding`. */
export type SqliteConstructor = abstract new (file?: string, options?: Record<string, unknown>) => object;

export function currentRuntime(versions: NodeJS.ProcessVersions = process.versions): Runtime {
  return { electron: versions['electron'] ?? null, abi: versions.modules, platform: process.platform, arch: process.arch };
}

export class NativeModulesMissingError extends Error {
  constructor(folder: string, reason: string) {
    super(`Inkstone's native modules for this Electron are not in ${folder} (${reason}). Run \`npm start\` once, which builds them, or \`npm run build:natives\`.`);
    this.name = 'NativeModulesMissingError';
  }
}

/**
 * The database class a bundle uses in place of `name`'s own: under Electron every instance
 * loads the addon built for Electron (via better-sqlite3's `nativeBinding`), never the Node
 * build in node_modules. Under plain Node it is the package's class itself. The bundles get it
 * through the esbuild shim in scripts/build.mjs, so the call sites stay `new Database(file)`.
 */
export function withRuntimeBinding<T extends SqliteConstructor>(name: string, Real: T, bundleDir: string, rt: Runtime = currentRuntime()): T {
  const root = nativeRootFor(bundleDir);
  const source = nativeSource(nativeModule(name), rt, root);
  if (source.from === 'node_modules') return Real;
  const folder = join(root, nativeFolderName(rt));
  let stamp: unknown = null;
  try {
    stamp = JSON.parse(readFileSync(join(folder, STAMP_FILE), 'utf8'));
  } catch {
    // no stamp: never built, or the build stopped halfway
  }
  const mismatch = stampMismatch(stamp, { electron: rt.electron!, abi: rt.abi, platform: rt.platform, arch: rt.arch, modules: {} });
  if (mismatch) throw new NativeModulesMissingError(folder, mismatch);
  const addon = source.file;
  const Base = Real as unknown as new (file?: string, options?: Record<string, unknown>) => object;
  class ElectronBuild extends Base {
    constructor(file?: string, options?: Record<string, unknown>) {
      super(file, { ...options, nativeBinding: addon });
    }
  }
  return ElectronBuild as unknown as T;
}
