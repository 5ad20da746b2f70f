// `npm run start:browser`: the app in a browser, where Electron cannot run. Starts the
// embedded demo server (unless INKSTONE_SERVER_URL is set), the core, and the host.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InkstoneCore } from '../core/core';
import { KeytarVault } from '../core/vault/token-vault';
import { appDataDir } from '../core/paths';
import { startHost } from './host';

async function demoServer(): Promise<string> {
  if (process.env['INKSTONE_SERVER_URL']) return process.env['INKSTONE_SERVER_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--data', join('.inkstone-data', 'demo'), '--demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill('SIGTERM'));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`demo server exited (${code})`)));
  });
  return (JSON.parse(line) as { url: string }).url;
}

const serverUrl = await demoServer();
let emit: (event: string, payload: unknown) => void = () => {};
const core = await InkstoneCore.open({ dataDir: appDataDir(), vault: new KeytarVault(), onProgress: (e) => emit('sync.progress', e), onStatus: (s) => emit('session.changed', s) });
// Automatic sync is on in the app (tests of the core turn it on themselves).
if (core.status().signedIn) core.auto.setEnabled(true);
const host = await startHost({ core, rendererDir: join('dist', 'renderer'), demoServerUrl: serverUrl, port: Number(process.env['INKSTONE_HOST_PORT'] ?? 0) });
emit = host.emit;
process.stdout.write(`Inkstone is running in your browser at:\n  ${host.url}\n(demo server ${serverUrl}; sign in as editor@demo.test / Demo-pass-1). Ctrl+C stops it.\n`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void host.close().then(() => core.close()).then(() => process.exit(0));
  });
}
