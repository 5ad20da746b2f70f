// Builds what the app runs: the renderer (browser bundle) into dist/renderer, and, with
// --electron, main and preload into dist/electron and the server into dist/server.
// Native modules stay external: they are rebuilt for Electron at pack time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const electron = process.argv.includes('--electron');
rmSync('dist/renderer', { recursive: true, force: true });
mkdirSync('dist/renderer', { recursive: true });
await build({
  entryPoints: ['renderer/src/main.tsx'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  outdir: 'dist/renderer',
  entryNames: 'main',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync('renderer/index.html', 'dist/renderer/index.html');

if (electron) {
  const external = ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'keytar', '@node-rs/argon2'];
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external, sourcemap: true, logLevel: 'warning' };
  await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main/main.cjs' });
  await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload/preload.cjs' });
  await build({ ...common, entryPoints: ['server/cli.ts'], outfile: 'dist/electron/server/cli.cjs' });
  mkdirSync('dist/electron/renderer', { recursive: true });
  for (const f of ['index.html', 'main.js', 'main.css']) copyFileSync(`dist/renderer/${f}`, `dist/electron/renderer/${f}`);
}
console.log(`built${electron ? ' renderer, main, preload and server' : ' renderer'} into dist/`);
