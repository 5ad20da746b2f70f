import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../server/demo/seed';
import { uiSuite, invoke, openApp, screenshotPath, signInThroughUi, syncState } from '../support/browser';

const suite = uiSuite();

/** Fails the test on any CSP violation the page reports (the renderer's CSP forbids inline styles and eval). */
function watchCsp(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && seen.push(m.text()));
  return seen;
}
const theme = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
const width = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())?.width ?? 0;

describe('app chrome (issue 11): header, environments, theme, palette, shortcuts, panels, toasts — in Chromium', () => {
  it('environment switcher marks sandboxes; the theme follows the account menu and is kept; skip link; layout at 1024×700', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const csp = watchCsp(page);
    try {
      await page.setViewportSize({ width: 1024, height: 700 });
      await signInThroughUi(page, DEMO_USERS.admin);
      await page.getByRole('option').filter({ hasText: 'Ink, part 1' }).first().click();
      await page.getByLabel(/^Title/).waitFor();
      // At 1024×700 the editor is the widest column.
      const [nav, list, editor] = [await width(page, '[data-panel]#nav'), await width(page, '[data-panel]#list'), await width(page, '[data-panel]#editor')];
      expect(editor).toBeGreaterThan(list);
      expect(editor).toBeGreaterThan(nav);
      await page.screenshot({ path: screenshotPath('workspace-1024x700') });

      // Primary is labelled; switching to the sandbox marks the header and says "Sandbox".
      const envButton = page.getByRole('button', { name: /Environment/ });
      expect(await envButton.textContent()).toContain('primary');
      expect(await page.getByText('Sandbox', { exact: true }).count()).toBe(0);
      await envButton.click();
      const options = page.getByRole('listbox', { name: 'Environments' }).getByRole('option');
      await expect.poll(() => options.allTextContents()).toEqual(['mainPrimary', 'stagingSandbox']);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(() => envButton.textContent()).toContain('staging');
      await expect.poll(() => page.getByText('Sandbox', { exact: true }).count()).toBe(1);
      expect(await page.locator('.app-header.in-sandbox').count()).toBe(1);
      await page.screenshot({ path: screenshotPath('workspace-sandbox') });
      await envButton.click();
      await options.filter({ hasText: 'main' }).click();
      await expect.poll(() => page.locator('.app-header.in-sandbox').count()).toBe(0);

      // Theme: from the OS by default, then the user's choice, kept across a reload.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => theme(page)).toBe('dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await expect.poll(() => theme(page)).toBe('light');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: /Theme/ }).press('ArrowRight');
      await page.getByRole('menuitemradio', { name: 'Dark' }).waitFor();
      await page.screenshot({ path: screenshotPath('account-menu') });
      await page.getByRole('menuitemradio', { name: 'Dark' }).click();
      await expect.poll(() => theme(page)).toBe('dark');
      await page.reload();
      await page.getByRole('navigation', { name: 'Models' }).waitFor();
      expect(await theme(page)).toBe('dark');
      await page.getByRole('option').filter({ hasText: 'Ink, part 1' }).first().click();
      await page.getByLabel(/^Title/).waitFor();
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: screenshotPath('workspace-dark') });

      // Skip link: the first Tab stop, and it moves focus to the main content.
      await page.reload();
      await page.getByRole('navigation', { name: 'Models' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main-content');

      // About dialog shows the version.
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'About Inkstone' }).click();
      const about = page.getByRole('dialog', { name: 'About Inkstone' });
      await expect.poll(() => about.textContent()).toMatch(/Inkstone \d+\.\d+\.\d+/);
      await page.keyboard.press('Escape');
      await expect.poll(() => about.count()).toBe(0);
      expect(csp).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('command palette: Ctrl+K, keyboard navigation, runs commands and finds records; Ctrl+S syncs; panels collapse; toasts', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const csp = watchCsp(page);
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });

      // Palette: open with Ctrl+K, filter, arrow down, Enter runs the command (go to the Author model).
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('dialog', { name: 'Command palette' });
      await palette.waitFor();
      await page.keyboard.type('auth');
      await expect.poll(() => palette.getByRole('option').allTextContents()).toContain('Author');
      await page.screenshot({ path: screenshotPath('command-palette') });
      await page.keyboard.press('Enter');
      await expect.poll(() => palette.count()).toBe(0);
      await expect.poll(() => page.getByRole('button', { name: 'Author', exact: true }).getAttribute('aria-current')).toBe('page');

      // "Go to record" searches the local records.
      await page.keyboard.press('Control+k');
      await page.keyboard.type('Markets, part 1');
      const hit = palette.getByRole('option').filter({ hasText: 'Markets, part 1' }).first();
      await hit.waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByLabel(/^Title/).inputValue()).toBe('Markets, part 1');

      // Ctrl+S: sends what is typed, from inside the field.
      await page.getByLabel(/^Title/).fill('Markets, part 1 (Ctrl+S)');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await page.getByLabel(/^Title/).press('Control+s');
      await expect.poll(() => syncState(page)).toBe('Synced');
      const admin = await suite.ui.admin();
      const r = await admin.ok<{ record: { values: { title: Record<string, string> } } }>('query { record(environment: "main", id: "article-10") { values } }');
      expect(r.record.values.title['en']).toBe('Markets, part 1 (Ctrl+S)');

      // Panels: Ctrl+B hides the sidebar, the header button brings it back; the list collapses with Ctrl+Shift+L.
      await page.keyboard.press('Control+b');
      await expect.poll(() => page.getByRole('navigation', { name: 'Models' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Show sidebar' }).click();
      await page.getByRole('navigation', { name: 'Models' }).waitFor();
      await page.keyboard.press('Control+Shift+L');
      await expect.poll(() => page.getByRole('region', { name: 'Records' }).count()).toBe(0);
      await page.keyboard.press('Control+Shift+L');
      await page.getByRole('region', { name: 'Records' }).waitFor();
      // Shut from its splitter (Enter, or a drag to the edge), the list has a visible way back.
      await page.getByRole('separator', { name: 'Resize record list' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('region', { name: 'Records' }).count()).toBe(0);
      await page.screenshot({ path: screenshotPath('record-list-shut') });
      await page.getByRole('button', { name: 'Show record list' }).click();
      await page.getByRole('region', { name: 'Records' }).waitFor();
      expect(await page.getByRole('button', { name: 'Show record list' }).count()).toBe(0);
      // The sync panel opens from the nav and closes with its button.
      await page.getByRole('button', { name: /Sync activity/ }).click();
      const syncPanel = page.getByRole('complementary', { name: 'Sync' });
      await syncPanel.waitFor();
      await syncPanel.getByRole('button', { name: 'Close sync activity' }).click();
      await expect.poll(() => syncPanel.count()).toBe(0);

      // The status bar's details: the counts in words.
      await page.getByRole('button', { name: 'Sync details' }).click();
      await expect.poll(() => page.getByRole('dialog', { name: 'Synced' }).textContent()).toContain('Changes waiting to send0');
      await page.screenshot({ path: screenshotPath('sync-details') });
      await page.keyboard.press('Escape');

      // Toasts: "Export drafts" from the account menu says where the file went; the toast can be dismissed.
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Export drafts' }).click();
      const toast = page.getByRole('region', { name: 'Notifications' }).getByRole('status');
      await expect.poll(() => toast.textContent()).toMatch(/^Exported \d+ records? to /);
      await toast.getByRole('button', { name: /^Dismiss/ }).click();
      await expect.poll(() => toast.count()).toBe(0);

      // Sign out from the palette opens the same dialog as the menu.
      await page.keyboard.press('Control+k');
      await page.keyboard.type('sign out');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Sign out' }).waitFor();
      await page.keyboard.press('Escape');
      expect(csp).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
