// `npm start`: builds everything and opens the desktop app against the embedded demo server
// (which main starts in a child process). The first time with a given Electron it builds the
// native modules for that Electron (scripts/natives.ts, once). Where Electron cannot start
// (no binary, no display, no native build) it says why in one line and opens the same app in
// the browser host instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { electronBinary } from './electron-binary';
import { ensureNatives, installedElectron, needsBuild } from './natives';

const root = resolve(import.meta.dirname, '..');
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--electron'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

/** The electron package downloads its binary on first use (no postinstall): once, quietly. */
function downloadElectron(): string | null {
  const version = installedElectron(root).electron;
  console.log(`Downloading Electron ${version} (once)…`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0) return null;
  return /^\w*Error: (.*)$/m.exec(`${r.stderr}${r.stdout}`)?.[1] ?? r.error?.message ?? `exit ${r.status}`;
}

async function electronLaunch(): Promise<{ path: string } | { reason: string }> {
  // No display first: then Electron cannot start whatever else is there, and nothing is downloaded or built.
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  let bin = electronBinary(root);
  if (!bin && !process.env['ELECTRON_OVERRIDE_DIST_PATH'] && !process.env['ELECTRON_SKIP_BINARY_DOWNLOAD']) {
    const failed = downloadElectron();
    if (failed) return { reason: `the Electron binary could not be downloaded (${failed})` };
    bin = electronBinary(root);
  }
  if (!bin) return { reason: 'the Electron binary is not installed (`npx install-electron` downloads it; or set ELECTRON_OVERRIDE_DIST_PATH)' };
  const rt = installedElectron(root);
  const nativeRoot = join(root, 'dist', 'electron', 'native');
  const why = needsBuild(rt, root, nativeRoot);
  if (why === null) return { path: bin };
  console.log(`Building the native modules for Electron ${rt.electron} (${why}); this happens once per Electron version and takes a few minutes…`);
  try {
    const r = await ensureNatives({ rt, root, nativeRoot });
    if (r.built) console.log(`Built in ${r.seconds.toFixed(0)} s into ${r.folder}.`);
    return { path: bin };
  } catch (e) {
    return { reason: `its native modules could not be built (${firstLine(e)})` };
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, ownGroup: boolean): ChildProcess {
  // The browser host runs in a process group of its own (D-Bus, keyring, host, demo server), so
  // that a signal to `npm start` reaches all of it.
  const child = spawn(command, args, { stdio: 'inherit', cwd: root, env, detached: ownGroup });
  const stop = (sig: NodeJS.Signals) => {
    try {
      if (ownGroup && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stop(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return child;
}

const launch = await electronLaunch();
if ('path' in launch) {
  run(launch.path, ['dist/electron/main/main.cjs'], process.env, false);
} else {
  console.log(`Electron did not start: ${launch.reason}. Opening Inkstone in your browser instead.`);
  const host = [process.execPath, '--import', 'tsx', 'electron/host/main.ts'];
  const env = { ...process.env, INKSTONE_KEYRING: 'session' };
  if (process.platform === 'linux') run('bash', ['scripts/with-keyring.sh', ...host], env, true);
  else run(host[0]!, host.slice(1), env, false);
}
