import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { DEMO_USERS } from '../../server/demo/seed';
import type { Page } from 'playwright-core';
import { uiSuite, invoke, openApp, screenshotPath, signInThroughUi, syncState } from '../support/browser';
import { expectAccessible, lookAt, setTheme } from '../support/axe';

const suite = uiSuite();

const shot = (name: string) => `test-results/screenshots/${name}.png`;

/** A real PNG of about `bytes` bytes (random pixels, stored without compression), so the server's sniffing accepts it. */
function bigPng(bytes: number): Buffer {
  const width = 1024;
  const height = Math.ceil(bytes / (width * 3 + 1));
  const raw = randomBytes(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter byte: none
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 0 })), chunk('IEND', Buffer.alloc(0))]);
}

const serverAssets = async (folder: string) =>
  (await (await suite.ui.admin()).ok<{ assets: { nodes: { id: string; filename: string; size: number; mimeType: string; metadata: Record<string, { alt?: string | null; title?: string | null }> }[] } }>(
    'query($f: ID!) { assets(environment: "main", folder: $f, first: 100) { nodes { id filename size mimeType metadata } } }',
    { f: folder },
  )).assets.nodes;

/** Watches the page for CSP violations and page errors. */
const marks: string[] = [];
function watch(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (e) => seen.push(e.message));
  page.on('console', (m) => m.text().includes('Content Security Policy') && seen.push(`${m.text().slice(0, 60)} at ${JSON.stringify(m.location())} after ${marks.at(-1) ?? 'start'}`));
  return seen;
}

/** Thumbnails shown in the page: each a blob: image that decoded. */
const shownThumbnails = (page: Page) =>
  page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('.asset-thumb img')).filter((i) => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0).length);

describe('media library (issue 10), media manager in Chromium through the suite.browser host', () => {
  it('bug 1: alt text, then Tab to the title and type: both are kept, the other locale untouched', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.media);
      await page.getByRole('button', { name: 'Media' }).click();
      const tree = page.getByRole('tree', { name: 'Folders' });
      await tree.getByRole('treeitem', { name: 'Campaigns' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Assets in /Marketing/Campaigns' }).count()).toBe(1);
      await page.getByRole('grid', { name: 'Assets in /Marketing/Campaigns' }).getByRole('row', { name: 'campaigns-1.png' }).click();
      const alt = page.getByLabel('Alt text of campaigns-1.png');
      await expect.poll(() => alt.inputValue()).toBe('campaigns picture 1');
      await alt.fill('Poster: a blue spring sky');
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Title of campaigns-1.png');
      await page.keyboard.type('Spring poster');
      await page.keyboard.press('Tab');
      await expect.poll(() => page.getByText('Saved title (en) of campaigns-1.png.').count()).toBe(1);
      const meta = (await serverAssets('campaigns')).find((a) => a.id === 'img-campaigns-1')!.metadata;
      expect(meta['en']).toEqual({ alt: 'Poster: a blue spring sky', title: 'Spring poster' });
      expect(meta['fr']).toEqual({ alt: 'image campaigns 1' });
      // Another locale and back: the page shows what the server holds, not the list it loaded first.
      await page.getByRole('tab', { name: 'fr' }).click();
      await expect.poll(() => page.getByLabel('Alt text of campaigns-1.png').inputValue()).toBe('image campaigns 1');
      await page.getByRole('tab', { name: 'en' }).click();
      await expect.poll(() => page.getByLabel('Alt text of campaigns-1.png').inputValue()).toBe('Poster: a blue spring sky');
      // Title again, alt untouched: still only that key goes out.
      const title = page.getByLabel('Title of campaigns-1.png');
      await title.fill('Spring poster, final');
      await title.blur();
      await expect.poll(async () => (await serverAssets('campaigns')).find((a) => a.id === 'img-campaigns-1')!.metadata['en']).toEqual({ alt: 'Poster: a blue spring sky', title: 'Spring poster, final' });
    } finally {
      await app.close();
    }
  });

  it('bug 2: a 9 MB PNG and a small file in one batch upload in chunks with progress; each is queued once; a queued file can be cancelled', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await signInThroughUi(page, DEMO_USERS.media);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('button', { name: 'Media' }).click();
      await page.getByLabel('Upload folder').selectOption({ label: '/Marketing/Campaigns' });
      const png = bigPng(9 * 1024 * 1024);
      const queue = page.getByRole('list', { name: 'Upload queue' });
      await page.getByLabel('Choose files').setInputFiles([
        { name: 'spring-poster.png', mimeType: 'image/png', buffer: png },
        { name: 'poster-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Notes for the spring poster.\n') },
      ]);
      // Copied in chunks, with progress (9 MB could not cross the host's socket as one message).
      await queue.getByRole('progressbar', { name: 'Copying spring-poster.png' }).waitFor();
      await expect.poll(() => queue.textContent()).toContain('spring-poster.png — waiting for sync');
      await expect.poll(() => queue.textContent()).toContain('poster-notes.txt — waiting for sync');
      expect(await queue.getByRole('listitem').filter({ hasText: 'poster-notes.txt' }).count()).toBe(1);
      expect(await page.getByText(/Reload/).count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      // The status bar counts what still has to reach the server: two uploads.
      await expect.poll(() => page.getByTestId('sync-counts').textContent()).toContain('2 uploads');
      expect(await syncState(page)).not.toBe('Synced');

      // Cancel: a third file, queued then cancelled, never reaches the server.
      await page.getByLabel('Choose files').setInputFiles({ name: 'wrong-file.txt', mimeType: 'text/plain', buffer: Buffer.from('Not meant for upload.\n') });
      await expect.poll(() => queue.textContent()).toContain('wrong-file.txt — waiting for sync');
      await page.getByRole('button', { name: 'Cancel upload of wrong-file.txt' }).click();
      await expect.poll(() => queue.textContent()).not.toContain('wrong-file.txt');
      await page.screenshot({ path: shot('media-upload-queue') });

      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => queue.textContent(), { timeout: 60_000 }).toContain('spring-poster.png — uploaded');
      await expect.poll(() => queue.textContent()).toContain('poster-notes.txt — uploaded');
      await expect.poll(() => syncState(page)).toBe('Synced');
      const onServer = await serverAssets('campaigns');
      expect(onServer.filter((a) => a.filename === 'spring-poster.png').map((a) => a.size)).toEqual([png.length]);
      expect(onServer.filter((a) => a.filename === 'poster-notes.txt')).toHaveLength(1);
      expect(onServer.filter((a) => a.filename === 'wrong-file.txt')).toHaveLength(0);
      expect(errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('issue 11: the grid shows thumbnails, also offline; list view; only permitted folders; move offers only them; delete asks first; accessible light and dark', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInThroughUi(page, DEMO_USERS.media);
      await page.getByRole('button', { name: 'Media' }).click();
      const grid = page.getByRole('grid', { name: 'All assets' });
      // Marketing and Campaigns only (the demo's 8 pictures and 2 briefs, and what earlier tests
      // uploaded there); the tree names no other folder.
      const readable = [...(await serverAssets('marketing')), ...(await serverAssets('campaigns'))];
      const pictures = readable.filter((a) => a.mimeType.startsWith('image/')).length;
      expect(pictures).toBeGreaterThanOrEqual(8);
      await expect.poll(() => grid.getByRole('row').count()).toBe(readable.length);
      await expect.poll(() => shownThumbnails(page)).toBe(pictures);
      const tree = page.getByRole('tree', { name: 'Folders' });
      expect((await tree.getByRole('treeitem').allTextContents()).join(' ')).not.toMatch(/Editorial|Legal/);
      await grid.getByRole('row', { name: 'marketing-2.png' }).click();
      const details = page.getByRole('complementary', { name: 'Details of marketing-2.png' });
      await expect.poll(() => details.textContent()).toContain('720 × 480 px');
      await page.screenshot({ path: screenshotPath('media-grid') });
      marks.push("await expectAccessible(page, '");
      await expectAccessible(page, 'media grid');
      // Moves are offered into permitted folders only.
      const options = await details.getByLabel('Move marketing-2.png to').locator('option').allTextContents();
      expect(options).toEqual(['Choose a folder…', '/Marketing/Campaigns']);
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: screenshotPath('media-grid-1024') });
      marks.push("await setTheme(page, 'dark');\n");
      await setTheme(page, 'dark');
      await page.screenshot({ path: screenshotPath('media-grid-dark') });
      await expectAccessible(page, 'media grid, dark');
      marks.push("await page.getByRole('button',");
      await page.getByRole('button', { name: 'List view' }).click();
      const list = page.getByRole('grid', { name: 'All assets' });
      await expect.poll(() => list.textContent()).toContain('/Marketing/Campaigns');
      await expectAccessible(page, 'media list, dark');
      await setTheme(page, 'light');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: screenshotPath('media-list') });
      await expectAccessible(page, 'media list');

      // Delete asks first; the dialog is accessible; the deletion is queued and goes with sync.
      await invoke(app, 'sync.auto', { enabled: false });
      await list.getByRole('row', { name: 'marketing-brief.md' }).click();
      marks.push("await page.getByRole('button',");
      await page.getByRole('button', { name: 'Delete…' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete marketing-brief.md?' });
      await dialog.waitFor();
      await expectAccessible(page, 'delete dialog');
      await page.screenshot({ path: screenshotPath('media-delete-dialog') });
      marks.push("await dialog.getByRole('button");
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => list.getByRole('row', { name: 'marketing-brief.md' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(async () => (await serverAssets('marketing')).some((a) => a.filename === 'marketing-brief.md')).toBe(false);

      // Offline: the server stops, the page reloads, the library and thumbnails are still there.
      await suite.ui.stop();
      marks.push('await page.reload();');
      await page.reload();
      await page.getByRole('navigation', { name: 'Models' }).waitFor();
      await page.getByRole('button', { name: 'Media' }).click();
      await page.getByRole('button', { name: 'Grid view' }).click();
      await expect.poll(() => page.getByRole('grid', { name: 'All assets' }).getByRole('row').count()).toBe(readable.length - 1);
      await expect.poll(() => shownThumbnails(page)).toBe(pictures);
      await page.screenshot({ path: screenshotPath('media-grid-offline') });
      expect(problems).toEqual([]);
    } finally {
      await suite.ui.restart();
      await app.close();
    }
  }, 150_000);

  it('issue 11: an editor picks a cover among images only (no .md offered); the record shows its thumbnail and file name', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInThroughUi(page, DEMO_USERS.editor);
      await page.getByRole('option').filter({ hasText: 'Spring, part 1' }).first().click();
      await expect.poll(() => page.getByLabel('Cover: chosen asset').textContent()).toBe('marketing-1.png');
      await expect.poll(() => shownThumbnails(page)).toBe(1);
      await page.getByRole('button', { name: 'Choose…' }).click();
      const chooser = page.getByRole('group', { name: 'Choose cover' });
      await chooser.getByRole('treeitem', { name: '/Editorial' }).click();
      await expect.poll(() => chooser.getByRole('button').allTextContents()).toEqual(['editorial-1.png', 'editorial-2.png', 'editorial-3.png', 'editorial-4.png']);
      expect(await chooser.textContent()).toContain('Only images fit this field.');
      await expect.poll(() => shownThumbnails(page)).toBe(5);
      await expectAccessible(page, 'asset picker');
      await page.screenshot({ path: screenshotPath('media-picker') });
      await setTheme(page, 'dark');
      await expectAccessible(page, 'asset picker, dark');
      await setTheme(page, 'light');
      await chooser.getByRole('button', { name: 'editorial-3.png' }).click();
      await expect.poll(() => page.getByLabel('Cover: chosen asset').textContent()).toBe('editorial-3.png');
      // Escape shuts the chooser from the keyboard, with focus back on its button (persona walk).
      await page.getByRole('button', { name: 'Choose…' }).click();
      await chooser.getByRole('searchbox').focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => chooser.count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose…');
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('issue 11: a translator, who may read no folder, has no media library and is offered no upload', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInThroughUi(page, DEMO_USERS.translator);
      // Roles decide what exists: no folder to read or upload to, so no Media entry at all.
      const nav = page.getByRole('navigation', { name: 'Models' });
      await expect.poll(() => nav.getByRole('listitem').allTextContents()).toEqual(['Article', 'Author']);
      expect(await page.getByRole('button', { name: 'Media' }).count()).toBe(0);
      // Nor in the command palette (which does offer the models).
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('dialog', { name: 'Command palette' });
      await palette.waitFor();
      await expect.poll(() => palette.getByRole('option').allTextContents()).toContain('Author');
      expect((await palette.getByRole('option').allTextContents()).filter((t) => /media/i.test(t))).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => palette.count()).toBe(0);
      // A cover the translator may not read is said as such, never as a bare asset id; no upload offered anywhere.
      await page.getByRole('button', { name: 'Article' }).click();
      await page.getByRole('option').filter({ hasText: 'Spring, part 1' }).first().click();
      await expect.poll(() => page.getByLabel('Cover: chosen asset').textContent()).toBe('A file your role cannot see');
      expect(await page.getByLabel('Choose files').count()).toBe(0);
      expect(await page.getByRole('button', { name: /upload/i }).count()).toBe(0);
      await expectAccessible(page, 'record with an unreadable cover, translator');
    } finally {
      await app.close();
    }
  });

  it('issue 11: a refused upload shows why, with its folder and size, and can be retried or cancelled', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await signInThroughUi(page, DEMO_USERS.media);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('button', { name: 'Media' }).click();
      await page.getByLabel('Upload folder').selectOption({ label: '/Marketing/Campaigns' });
      // Text declared as a PNG: the server sniffs the bytes and refuses it.
      await page.getByLabel('Choose files').setInputFiles({ name: 'not-a-picture.png', mimeType: 'image/png', buffer: Buffer.from('just text, not a PNG\n') });
      const queue = page.getByRole('list', { name: 'Upload queue' });
      const item = queue.getByRole('listitem').filter({ hasText: 'not-a-picture.png' });
      await expect.poll(() => item.textContent()).toContain('waiting for sync');
      expect(await item.textContent()).toContain('/Marketing/Campaigns · 21 B');
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => item.textContent()).toMatch(/refused: .*does not look like image\/png/);
      // The status bar says it waits on the user (it said a calm "Saved on this computer": persona walk).
      await expect.poll(() => syncState(page)).toBe('Needs attention');
      await expect.poll(() => page.getByTestId('sync-counts').textContent()).toContain('1 media problem');
      await expectAccessible(page, 'upload queue with a refusal');
      // From anywhere, the status bar leads to it: Sync activity names it and opens the Media view
      // at the uploads panel (it said "1 media problem" there with no way to it).
      await page.getByRole('button', { name: 'Article' }).click();
      await page.getByRole('button', { name: 'Review problems' }).click();
      await page.getByRole('complementary', { name: 'Sync' }).getByRole('button', { name: 'Review in Media' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Uploads');
      expect(await item.textContent()).toMatch(/refused: /);
      await lookAt(page, 'media-problem-reviewed');
      await page.getByRole('button', { name: 'Retry upload of not-a-picture.png' }).click();
      await expect.poll(() => item.textContent()).toContain('waiting for sync');
      await page.getByRole('button', { name: 'Cancel upload of not-a-picture.png' }).click();
      await expect.poll(() => queue.getByRole('listitem').filter({ hasText: 'not-a-picture.png' }).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an asset moved offline counts as not yet on the server: the status bar, and signing out, say so (it was "Synced", and a wipe lost it unannounced)', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await signInThroughUi(page, DEMO_USERS.media);
      await page.getByRole('button', { name: 'Media' }).click();
      await expect.poll(() => syncState(page)).toBe('Synced');
      await suite.ui.stop();
      await page.getByRole('grid', { name: 'All assets' }).getByRole('row', { name: 'marketing-3.png' }).click();
      const details = page.getByRole('complementary', { name: 'Details of marketing-3.png' });
      await details.getByLabel('Move marketing-3.png to').selectOption({ label: '/Marketing/Campaigns' });
      await details.getByRole('button', { name: 'Move', exact: true }).click();
      await expect.poll(() => page.getByTestId('sync-counts').textContent()).toContain('1 pending');
      await expect.poll(() => syncState(page)).toBe('Offline — saved on this computer');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign out' });
      await expect.poll(() => dialog.textContent()).toContain('This computer holds 1 asset change not yet on the server.');
      expect(await dialog.getByRole('button', { name: /wipe/i }).textContent()).toContain('(1 unsent change is lost)');
      await page.screenshot({ path: shot('sign-out-dialog-asset-change') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      // Back online, the move goes by itself and nothing is left pending.
      await suite.ui.restart();
      await expect.poll(() => syncState(page), { timeout: 60_000 }).toBe('Synced');
      expect((await serverAssets('campaigns')).some((a) => a.filename === 'marketing-3.png')).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await suite.ui.restart();
      await app.close();
    }
  }, 120_000);

  it('long file names that differ only at the end still look different: cut in the middle, their end shown (persona walk)', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInThroughUi(page, DEMO_USERS.media);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('button', { name: 'Media' }).click();
      await page.getByLabel('Upload folder').selectOption({ label: '/Marketing/Campaigns' });
      const names = ['campaign-spring-2026-hero-banner-final-v1.txt', 'campaign-spring-2026-hero-banner-final-v2.txt'];
      await page.getByLabel('Choose files').setInputFiles(names.map((name) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${name}\n`) })));
      // Copied into the queue first: a sync started before that would not carry them.
      const queue = page.getByRole('list', { name: 'Upload queue' });
      for (const name of names) await expect.poll(() => queue.textContent()).toContain(`${name} — waiting for sync`);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => syncState(page), { timeout: 60_000 }).toBe('Synced');
      const grid = page.getByRole('grid', { name: 'All assets' });
      for (const name of names) {
        const card = grid.getByRole('row', { name });
        await card.waitFor();
        // Where the name's last character is drawn: inside the card, not clipped past its edge.
        const [last, edge] = await card.evaluate((el, end) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let node: Text | null = null;
          for (let t = walker.nextNode(); t; t = walker.nextNode()) if (t.textContent!.endsWith(end)) node = t as Text;
          const r = document.createRange();
          r.setStart(node!, node!.length - 1);
          r.setEnd(node!, node!.length);
          return [r.getBoundingClientRect().right, el.getBoundingClientRect().right];
        }, name.slice(-6));
        expect(last).toBeLessThanOrEqual(edge);
        // The whole name is still its text: for a screen reader, a search, a copy.
        expect((await card.textContent())!.replace(/\s/g, '')).toContain(name);
      }
      await page.screenshot({ path: shot('media-long-names') });
    } finally {
      await app.close();
    }
  }, 120_000);
});
