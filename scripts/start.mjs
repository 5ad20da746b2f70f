// `npm start`: builds everything and opens the desktop app against the embedded demo server
// (which main starts in a child process). Where the Electron binary cannot run (no display,
// or not downloaded), it says so and starts the same app in the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--electron'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let electronBinary = null;
try {
  // The electron package resolves to the path of its binary; it throws when the binary was never downloaded.
  electronBinary = require('electron');
} catch (e) {
  console.error(`Electron is not available here (${e instanceof Error ? e.message.split('\n')[0] : e}).`);
}
const canShowWindow = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;

if (typeof electronBinary === 'string' && canShowWindow) {
  const child = spawn(electronBinary, ['dist/electron/main/main.cjs'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error('Starting Inkstone in your browser instead (npm run start:browser).');
  const child = spawn('npm', ['run', '-s', 'start:browser'], { stdio: 'inherit', shell: process.platform === 'win32' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
