import { build } from 'esbuild';

/** Native modules stay outside the bundle, as in electron/main's. */
export const NATIVE_EXTERNALS = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', '@napi-rs/keyring', '@node-rs/argon2', 'sharp'];

/** A test's child process bundled as scripts/build.mjs bundles main (CommonJS for Node 20): it starts in a fraction of tsx's time. */
export async function bundleChild(entry: string, outfile: string): Promise<string> {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: NATIVE_EXTERNALS, logLevel: 'warning' });
  return outfile;
}
