import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/** Where Inkstone keeps its data: INKSTONE_HOME, or the platform's app-data folder. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['INKSTONE_HOME']) return env['INKSTONE_HOME'];
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Inkstone');
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Inkstone');
    default:
      return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'inkstone');
  }
}
