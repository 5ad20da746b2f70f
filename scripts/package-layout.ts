// Checks the packaged layout without packaging (electron-builder would download Electron):
// reads build/electron-builder.yml's `files` and `asarUnpack` and proves that every `.node`
// file main and the demo server child load is packed, outside the asar, and present, and
// that no Node build of a V8-ABI module is packed where Electron could pick it up.
//
//   node --import tsx scripts/package-layout.ts   (npm run pack runs it before electron-builder)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { NATIVE_MODULES, nativeSource, type Runtime } from '../electron/core/native/natives';
import { installedElectron } from './natives';

const require = createRequire(import.meta.url);
// electron-builder's own matcher and YAML reader (minimatch, js-yaml), so the globs mean here what they mean there.
const minimatch = require('minimatch') as (path: string, pattern: string, options: { dot: boolean }) => boolean;
const yaml = require('js-yaml') as { load(text: string): unknown };

const configSchema = z.object({ files: z.array(z.string()), asarUnpack: z.array(z.string()).default([]), asar: z.boolean().default(true) });
export type BuilderConfig = z.infer<typeof configSchema>;

export const readBuilderConfig = (file: string): BuilderConfig => configSchema.parse(yaml.load(readFileSync(file, 'utf8')));

/**
 * Whether electron-builder packs `rel` (a path relative to the app folder). Its model: the
 * production dependencies under node_modules are always candidates, then the `files`
 * patterns apply in order, the last one that matches deciding (`!` excludes).
 */
export function packs(cfg: BuilderConfig, rel: string): boolean {
  let packed = rel.startsWith('node_modules/');
  for (const p of cfg.files) {
    const negated = p.startsWith('!');
    if (minimatch(rel, negated ? p.slice(1) : p, { dot: true })) packed = !negated;
  }
  return packed;
}

export const unpacked = (cfg: BuilderConfig, rel: string): boolean => !cfg.asar || cfg.asarUnpack.some((p) => minimatch(rel, p, { dot: true }));

export interface NeededAddon {
  module: string;
  /** Relative to the app folder. */
  file: string;
}

const nodeFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.node')).map((f) => join(dir, f)) : [];

/** The `.node` files main and the server child load under `rt`, as paths inside the app folder. */
export function neededAddons(rt: Runtime, root: string): NeededAddon[] {
  const nativeRoot = join(root, 'dist', 'electron', 'native');
  return NATIVE_MODULES.flatMap((m) => {
    const source = nativeSource(m, rt, nativeRoot);
    if (source.from === 'electron-build') return [{ module: m.name, file: relative(root, source.file) }];
    // A Node-API module ships its addon in a package per platform (napi-rs's optionalDependencies).
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', m.name, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    const platformPackages = Object.keys(pkg.optionalDependencies ?? {}).filter((n) => n.includes(`-${rt.platform}-${rt.arch}`));
    const files = [join(root, 'node_modules', m.name), ...platformPackages.map((n) => join(root, 'node_modules', n))].flatMap(nodeFiles);
    return files.length ? files.map((f) => ({ module: m.name, file: relative(root, f) })) : [{ module: m.name, file: join('node_modules', `${m.name}-${rt.platform}-${rt.arch}`, '(no addon installed)') }];
  });
}

/** Every way the package would load a wrong addon or none; empty when the layout is right. */
export function layoutProblems(cfg: BuilderConfig, rt: Runtime, root: string, exists: (file: string) => boolean = existsSync): string[] {
  const problems: string[] = [];
  for (const a of neededAddons(rt, root)) {
    if (!packs(cfg, a.file)) problems.push(`${a.file} (${a.module}) is not packed`);
    else if (!unpacked(cfg, a.file)) problems.push(`${a.file} (${a.module}) would sit inside the asar, where it cannot be loaded`);
    if (!exists(join(root, a.file))) problems.push(`${a.file} (${a.module}) is missing`);
  }
  for (const m of NATIVE_MODULES.filter((x) => x.kind === 'v8-abi')) {
    for (const f of nodeFiles(join(root, 'node_modules', m.name))) {
      const rel = relative(root, f);
      if (packs(cfg, rel)) problems.push(`${rel} (the Node build of ${m.name}, wrong ABI for Electron) would be packed`);
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(import.meta.dirname, '..');
  const problems = layoutProblems(readBuilderConfig(join(root, 'build', 'electron-builder.yml')), installedElectron(root), root);
  for (const p of problems) console.error(`package layout: ${p}`);
  if (problems.length) process.exit(1);
  console.log('package layout: every native addon main and the server need is packed, unpacked from the asar and present');
}
