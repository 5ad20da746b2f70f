import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { InkstoneCore } from '../../electron/core/core';
import { OsKeychainVault } from '../../electron/core/vault/token-vault';
import { probeCertificate } from '../../electron/core/api/tls';
import { startHost } from '../../electron/host/host';
import { generateProject, spawnServer } from './project';
import { fmt, percentile } from './stats';

const FIRST_ROWS = `new Promise((resolve) => {
  const t0 = performance.now();
  const button = [...document.querySelectorAll('nav button')].find((b) => b.textContent === 'Article');
  button.click();
  const check = () => {
    const first = document.querySelector('[role=listbox] [role=option] .title');
    if (first && first.textContent === 'Spring, part 1') resolve(performance.now() - t0);
    else requestAnimationFrame(check);
  };
  check();
})`;

const SOCKET_OPEN = `(async () => {
  const out = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/bridge');
    await new Promise((r) => ws.addEventListener('open', r));
    out.push(performance.now() - t0);
    ws.close();
  }
  return out;
})()`;

/**
 * The renderer bundle before the redesign of issue 11: commit 93ab933's renderer, built once with
 * `git worktree add /tmp/wt-base 93ab933` + its node_modules + `node scripts/build.mjs --out /tmp/base-dist`,
 * measured like rendererBundle() below (raw bytes, gzip level 9). A constant, so the bench does not rebuild it.
 */
const BASE_93AB933 = { js: { raw: 923_640, gzip: 237_446 }, css: { raw: 8_257, gzip: 2_562 } };

const kb = (n: number) => `${fmt(n / 1024, 1)} KiB`;
interface Size {
  raw: number;
  gzip: number;
}
function sizeOf(files: string[]): Size {
  const all = files.map((f) => readFileSync(join('dist', 'renderer', f)));
  return { raw: all.reduce((n, b) => n + b.length, 0), gzip: all.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) };
}

/**
 * What the window downloads and parses before the first paint: main.js with the chunks it imports
 * statically (esbuild's shared chunks), and main.css; beside them the chunks loaded only on use
 * (import(): the palette, heavy editors), and the bundle before issue 11.
 */
export function rendererBundle(): string[] {
  const main = readFileSync(join('dist', 'renderer', 'main.js'), 'utf8');
  const eager = [...main.matchAll(/from\s*"\.\/(chunks\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const chunkDir = join('dist', 'renderer', 'chunks');
  const lazy = existsSync(chunkDir) ? readdirSync(chunkDir).filter((f) => f.endsWith('.js')).map((f) => `chunks/${f}`).filter((f) => !eager.includes(f)) : [];
  const js = sizeOf(['main.js', ...eager]);
  const css = sizeOf(['main.css']);
  const later = sizeOf(lazy);
  const line = (name: string, now: Size, base: Size) => `  ${name}: ${kb(now.raw)} raw, ${kb(now.gzip)} gzip (at 93ab933: ${kb(base.raw)}, ${kb(base.gzip)} gzip; ${now.gzip >= base.gzip ? '+' : ''}${kb(now.gzip - base.gzip)} gzip)`;
  return [
    'renderer bundle (dist/renderer, minified):',
    line(`main.js${eager.length ? ` + ${eager.length} shared chunk${eager.length === 1 ? '' : 's'}` : ''} (at start)`, js, BASE_93AB933.js),
    line('main.css', css, BASE_93AB933.css),
    `  loaded on first use (${lazy.length} chunk${lazy.length === 1 ? '' : 's'}): ${kb(later.raw)} raw, ${kb(later.gzip)} gzip`,
  ];
}

/**
 * First rows visible after opening a model of `n` records, in Debian's Chromium through the
 * browser host, from the click to the first row's text in the DOM. The limit line is one
 * bridge round trip (session.status) from the same page.
 */
export async function rendererFirstRows(opts: { records: number }): Promise<string[]> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  const dir = await generateProject(opts.records);
  const srv = await spawnServer(dir);
  const dataDir = mkdtempSync(join(tmpdir(), 'inkstone-bench-ui-'));
  const core = await InkstoneCore.open({ dataDir, vault: new OsKeychainVault() });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    core.trustServer(srv.url, (await probeCertificate(srv.url)).fingerprint);
    await core.login({ url: srv.url, email: 'editor@demo.test', password: 'Demo-pass-1' });
    const host = await startHost({ core, rendererDir: join('dist', 'renderer') });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Models' }).getByRole('button', { name: 'Article' }).waitFor();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await page.getByRole('button', { name: 'Author', exact: true }).click();
      await page.getByRole('option').filter({ hasText: 'Ada Moreau' }).first().waitFor();
      // A string, not a function: tsx's transform would add helpers the page does not have.
      times.push(await page.evaluate<number>(FIRST_ROWS));
    }
    const count = await page.getByText(/\d+ records/).textContent();
    const bridgeTrip = await page.evaluate<number[]>(SOCKET_OPEN);
    await host.close();
    return [
      ...rendererBundle(),
      `renderer, opening a model of ${count} in Chromium through the browser host:`,
      `  first rows visible after the click: p50 ${fmt(percentile(times, 50), 0)} ms, max ${fmt(Math.max(...times), 0)} ms (budget ≤ 250 ms)`,
      `  limit: opening a loopback WebSocket to the host from the same page: p50 ${fmt(percentile(bridgeTrip, 50), 1)} ms`,
    ];
  } finally {
    await browser.close();
    await core.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
