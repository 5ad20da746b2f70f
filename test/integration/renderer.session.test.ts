import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { DEMO_USERS } from '../../server/demo/seed';
import { uiSuite, openApp, signInThroughUi, syncState } from '../support/browser';

const suite = uiSuite();

const shot = (name: string) => `test-results/screenshots/${name}.png`;
const serverTitle = async (id: string) =>
  ((await (await suite.ui.admin()).ok<{ record: { values: { title: Record<string, string> } } }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record.values.title)['en'];

describe('session and automatic sync (issue 10, bug 7), editor in Chromium through the suite.browser host', () => {
  it('syncs by itself, notices offline and reconnect, counts drafts and uploads, has one sync button; signs out keeping or wiping this computer’s copy', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      // One button runs a sync; the others about sync only show its state and details.
      expect(await page.getByRole('button', { name: /^(?!.*(activity|details)).*sync/i }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(1);
      await page.getByRole('option').filter({ hasText: 'Markets, part 1' }).first().click();
      const title = page.getByLabel(/^Title/);

      // Automatic sync: typed, then on the server without anyone pressing Sync.
      await title.fill('Markets, synced by itself');
      await expect.poll(() => serverTitle('article-10')).toBe('Markets, synced by itself');
      await expect.poll(() => syncState(page)).toBe('Synced');

      // Offline is noticed by the next attempt, not by a manual sync; a draft and an upload are both counted.
      await suite.ui.stop();
      await title.fill('Markets, typed offline');
      await expect.poll(() => syncState(page)).toBe('Offline — saved on this computer');
      await page.getByRole('button', { name: 'Media', exact: true }).click();
      await page.getByLabel('Choose files').setInputFiles({ name: 'market-stalls.txt', mimeType: 'text/plain', buffer: Buffer.from('Stalls at dawn.\n') });
      const counts = page.getByTestId('sync-counts');
      await expect.poll(() => counts.textContent()).toContain('1 upload');
      await expect.poll(async () => Number(/(\d+) pending/.exec((await counts.textContent()) ?? '')?.[1] ?? 0)).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: shot('status-offline-counts') });

      // Back online: reconnect and send, still without a click.
      await suite.ui.restart();
      await expect.poll(() => syncState(page), { timeout: 60_000 }).toBe('Synced');
      expect(await serverTitle('article-10')).toBe('Markets, typed offline');
      await expect.poll(() => page.getByRole('list', { name: 'Upload queue' }).textContent()).toContain('market-stalls.txt — uploaded');

      // A draft that never reached the server, then sign out keeping this computer's copy.
      await suite.ui.stop();
      await page.getByRole('button', { name: 'Article', exact: true }).click();
      await page.getByRole('option').filter({ hasText: 'Markets' }).first().click();
      await title.fill('Markets, kept on this computer');
      await expect.poll(() => syncState(page)).toBe('Offline — saved on this computer');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign out' });
      await expect.poll(() => dialog.textContent()).toContain('1 draft');
      await page.screenshot({ path: shot('sign-out-dialog') });
      await dialog.getByRole('button', { name: /keep/i }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const kept = page.getByRole('region', { name: 'Kept on this computer' });
      // Offline and signed out: the drafts still open, read-only, and export.
      await page.reload();
      await page.screenshot({ path: shot('signed-out-kept') });
      await kept.getByRole('button', { name: 'Open drafts' }).click();
      await page.getByRole('option').filter({ hasText: 'Markets' }).first().click();
      await expect.poll(() => title.inputValue()).toBe('Markets, kept on this computer');
      expect(await title.getAttribute('readonly')).not.toBeNull();
      await page.screenshot({ path: shot('signed-out-drafts') });
      await page.getByRole('button', { name: 'Export drafts' }).click();
      const exported = page.getByText(/^Exported 1 record to /);
      await exported.waitFor();
      const file = (await exported.textContent())!.replace(/^Exported 1 record to /, '').replace(/\.$/, '');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('Markets, kept on this computer');

      // Signing in again finds the kept draft and sends it; signing out with wipe leaves nothing behind.
      await suite.ui.restart();
      await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
      await signInThroughUi(page, DEMO_USERS.editor);
      await expect.poll(() => serverTitle('article-10'), { timeout: 30_000 }).toBe('Markets, kept on this computer');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out…' }).click();
      await dialog.getByRole('button', { name: /wipe/i }).click();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      expect(await kept.count()).toBe(0);
    } finally {
      await suite.ui.restart();
      await app.close();
    }
  }, 180_000);
});
