// Builds what the app runs: the renderer (browser bundle) into dist/renderer, and, with
// --electron, main, preload and the server into dist/electron/.
// Native modules stay external. In main and the server bundle, better-sqlite3 and its SQLCipher
// twin are reached through a shim that, under Electron, loads the addon built for Electron
// (electron/core/native/binding.ts); under plain Node it is the package itself.
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';

const electron = process.argv.includes('--electron');
// --out DIR: build somewhere else than dist/ (tests that must not race the app's own build).
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';
// The renderer is built beside the old one and swapped in, so a host serving dist/renderer
// (another test, a running start:browser) never finds it half-written or gone for long.
const rendererDir = join(out, 'renderer');
const next = `${rendererDir}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
await build({
  entryPoints: ['renderer/src/main.tsx'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  outdir: next,
  entryNames: 'main',
  // Code that only some screens need (the palette, heavy field editors) is imported with import()
  // and lands in chunks/, fetched from 'self' when first used: the window opens on less script.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  // The About dialog's version, from package.json (the renderer may not import it: layer rule).
  define: { 'process.env.NODE_ENV': '"production"', __INKSTONE_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  logLevel: 'warning',
});
copyFileSync('renderer/index.html', join(next, 'index.html'));
const old = `${rendererDir}.old-${process.pid}`;
if (existsSync(rendererDir)) renameSync(rendererDir, old);
renameSync(next, rendererDir);
rmSync(old, { recursive: true, force: true });

const V8_ABI = ['better-sqlite3', 'better-sqlite3-multiple-ciphers'];
const BINDING = resolve('electron/core/native/binding.ts');
/** Each import of a V8-ABI module goes through withRuntimeBinding; the shim's own require stays external. */
const nativeShim = {
  name: 'inkstone-native-shim',
  setup(b) {
    const filter = new RegExp(`^(${V8_ABI.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'inkstone-native' ? { path: args.path, external: true } : { path: args.path, namespace: 'inkstone-native' }));
    b.onLoad({ filter: /.*/, namespace: 'inkstone-native' }, (args) => ({
      contents: `const { withRuntimeBinding } = require(${JSON.stringify(BINDING)});\nmodule.exports = withRuntimeBinding(${JSON.stringify(args.path)}, require(${JSON.stringify(args.path)}), __dirname);\n`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

if (electron) {
  // sharp loads its platform's libvips package at run time (N-API, so one build serves Node and Electron).
  const external = ['electron', '@napi-rs/keyring', '@node-rs/argon2', 'sharp'];
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external, plugins: [nativeShim], sourcemap: true, logLevel: 'warning' };
  await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: join(out, 'electron', 'main', 'main.cjs') });
  await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: join(out, 'electron', 'preload', 'preload.cjs') });
  await build({ ...common, entryPoints: ['server/cli.ts'], outfile: join(out, 'electron', 'server', 'cli.cjs') });
  mkdirSync(join(out, 'electron', 'renderer'), { recursive: true });
  for (const f of ['index.html', 'main.js', 'main.css']) copyFileSync(join(out, 'renderer', f), join(out, 'electron', 'renderer', f));
  // The code-split chunks (and their CSS, if any) beside main.js, where its import() looks for them.
  if (existsSync(join(out, 'renderer', 'chunks'))) cpSync(join(out, 'renderer', 'chunks'), join(out, 'electron', 'renderer', 'chunks'), { recursive: true, filter: (src) => !src.endsWith('.map') });
}
console.log(`built${electron ? ' renderer, main, preload and server' : ' renderer'} into ${out}/`);
