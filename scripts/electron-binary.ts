import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron executable, found as the electron package finds it (ELECTRON_OVERRIDE_DIST_PATH, else its dist/), or null. */
export function electronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const path = override ? join(override, exe || 'electron') : exe ? join(dir, 'dist', exe) : null;
  return path && existsSync(path) ? path : null;
}
