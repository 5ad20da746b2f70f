import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { uiSuite, invoke, openApp, screenshotPath, signInThroughUi, syncState } from '../support/browser';
import { expectAccessible, setTheme } from '../support/axe';

const suite = uiSuite();

describe('translating (issue 11), in Chromium through the browser host', () => {
  it('translator: opens in French, the English source beside it, read-only said once per group, progress per locale, list titles in French with a fallback mark', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.translator);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('option').filter({ hasText: 'Harbour, part 1' }).first().click();
      // The first locale this role may write, not the project's first.
      await expect.poll(() => page.getByRole('tab', { name: 'fr' }).getAttribute('aria-selected')).toBe('true');
      const title = page.getByLabel(/^Title/);
      expect(await title.getAttribute('readonly')).toBeNull();
      // The source (English) beside each localized field, read-only.
      const source = page.getByRole('group', { name: 'Source (English): Title' });
      await expect.poll(() => source.textContent()).toContain('Harbour, part 1');
      // Read-only said once for the fields shared by all locales, not under each.
      const form = page.locator('form.fields');
      expect(await form.locator('.why').allTextContents()).toEqual(['Read-only: French translator may not edit these fields (same in every locale).']);
      expect(await page.getByLabel('Slug').getAttribute('readonly')).not.toBeNull();
      expect(await page.getByLabel('Slug').getAttribute('aria-describedby')).toContain('group-shared-why');
      // Progress: which localized fields still lack French.
      await expect.poll(() => page.getByTestId('translation-progress').textContent()).toBe('French: 2 of 2 localized fields filled');
      // The body is a rich-text editor: clear it as a user does (select all, delete).
      const body = page.getByRole('textbox', { name: /^Body/ });
      await body.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await expect.poll(() => page.getByTestId('translation-progress').textContent()).toBe('French: 1 of 2 localized fields filled');
      // List titles follow the working locale.
      await expect.poll(() => page.getByRole('listbox', { name: 'Record list' }).textContent()).toContain('Harbour, partie 1');
      // Another source, chosen with the select.
      await page.getByRole('button', { name: /Compare with/ }).click();
      await page.getByRole('option', { name: 'German' }).click();
      await expect.poll(() => page.getByRole('group', { name: 'Source (German): Title' }).textContent()).toContain('Harbour, Teil 1');
      await page.getByRole('button', { name: /Compare with/ }).click();
      await page.getByRole('option', { name: 'English' }).click();
      await page.getByRole('textbox', { name: /^Body/ }).fill('Notes sur le port, traduites.');
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: screenshotPath('translator-side-by-side') });
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: 'test-results/screenshots/translator-side-by-side-1024.png' });
      await expectAccessible(page, 'translator side by side (light)');
      await setTheme(page, 'dark');
      await page.screenshot({ path: 'test-results/screenshots/translator-side-by-side-dark.png' });
      await expectAccessible(page, 'translator side by side (dark)');
      await setTheme(page, 'light');
      // No French title: the list and the header show the English one, marked as such.
      await title.fill('');
      await expect.poll(() => page.getByRole('region', { name: 'Edit Article' }).getByRole('heading', { level: 2 }).first().textContent()).toBe('Harbour, part 1 (English)');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => syncState(page)).toBe('Synced');
      await expect.poll(() => page.getByRole('listbox', { name: 'Record list' }).getByRole('option', { selected: true }).textContent()).toContain('Harbour, part 1 (en)');
    } finally {
      await app.close();
    }
  }, 240_000);
});
