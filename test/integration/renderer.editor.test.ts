import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../server/demo/seed';
import { uiSuite, invoke, openApp, signInThroughUi, syncNow, syncState } from '../support/browser';
import { expectAccessible, lookAt } from '../support/axe';

const suite = uiSuite();

const serverRecord = async (id: string) =>
  (await (await suite.ui.admin()).ok<{ record: { status: string; values: Record<string, unknown> } | null }>('query($id: ID!) { record(environment: "main", id: $id) { status values } }', { id })).record;
const open = (page: Page, title: string) => page.getByRole('option').filter({ hasText: title }).first().click();
/**
 * A paste of `text` into the focused element. The page sees it as a real one; Chromium inserts
 * nothing for a synthetic event, so whether it went through is whether the page let it: true
 * unless a handler refused it (dispatchEvent's answer).
 */
const paste = (page: Page, text: string) =>
  page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    return document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);

describe('the record editor (issue 11), in Chromium through the browser host', () => {
  it('editor: header says title, model, status, who changed it; problems show at the field and block Publish; delete asks and can be undone until sync', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const csp: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && csp.push(m.text()));
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Night trains, part 1');
      const editor = page.getByRole('region', { name: 'Edit Article' });
      await expect.poll(() => editor.getByRole('heading', { level: 2 }).first().textContent()).toBe('Night trains, part 1');
      const meta = await editor.locator('.editor-meta').textContent();
      expect(meta).toContain('Article');
      expect(meta).toContain('Published');
      // A name, not a UUID.
      await expect.poll(() => page.getByTestId('last-change').textContent()).toMatch(/^Changed by Demo Editor, /);
      // Published and unchanged: nothing to publish; unpublish and delete are there.
      expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Unpublish' }).count()).toBe(1);

      // Inline validation: the problem at the field, said with its label and locale name, and before Publish.
      const title = page.getByLabel(/^Title/);
      await title.fill('');
      const error = page.locator('.field-error');
      await expect.poll(() => error.textContent()).toBe('Title (English) is required');
      expect(await title.getAttribute('aria-describedby')).toContain((await error.getAttribute('id'))!);
      const publish = page.getByRole('button', { name: 'Publish', exact: true });
      expect(await publish.isDisabled()).toBe(true);
      const before = page.getByRole('region', { name: 'Before publishing' });
      expect(await before.textContent()).toContain('1 problem to fix before publishing');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer'); // the draft is still kept
      // Over the length limit: the control itself stops at 200 (its counter says so), so no problem arises.
      await title.fill('x'.repeat(201));
      await expect.poll(() => title.inputValue()).toBe('x'.repeat(200));
      expect(await page.locator('[data-field="title"] .field-count').textContent()).toBe('200/200');
      await expect.poll(() => error.count()).toBe(0);
      await title.fill('');
      await before.getByRole('button', { name: 'Title (English)' }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-title');
      await lookAt(page, 'editor-invalid');
      await title.fill('Night trains, part 1 (revised)');
      await expect.poll(() => error.count()).toBe(0);
      expect(await publish.isDisabled()).toBe(false);
      expect(await page.locator('.editor-meta').textContent()).toContain('Not synced');
      await lookAt(page, 'editor');

      // Delete asks first; Cancel keeps it.
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete “Night trains, part 1 (revised)”?' });
      await dialog.waitFor();
      await expectAccessible(page, 'delete dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      // Delete, then Undo before any sync: the record stays on the server.
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.getByText('Deleted here; it leaves the server with the next sync.').count()).toBe(1);
      expect((await invoke(app, 'content.record', { env: 'main', id: 'article-04' })).deleting).toBe(true);
      await page.getByRole('button', { name: 'Undo delete' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(1);
      expect((await invoke(app, 'content.record', { env: 'main', id: 'article-04' })).deleting).toBe(false);
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      expect((await serverRecord('article-04'))?.values['title']).toMatchObject({ en: 'Night trains, part 1 (revised)' });
      // Delete, not undone: gone from the server after the sync.
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Undo delete' }).waitFor();
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      expect(await serverRecord('article-04')).toBeNull();
      expect(csp).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);

  it('editor: a new record starts empty; its slug follows the title until typed by hand, and stays hand-typed after reopening', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Ink, part 2');
      await page.getByRole('button', { name: 'New Article' }).click();
      const title = page.getByLabel(/^Title/);
      const slug = page.getByLabel(/^Slug/);
      await expect.poll(() => page.getByRole('region', { name: 'Edit Article' }).getByRole('heading', { level: 2 }).first().textContent()).toBe('Untitled');
      expect(await title.inputValue()).toBe('');
      expect((await page.getByRole('textbox', { name: /^Body/ }).innerText()).trim()).toBe('');
      // Empty and required: said, but the draft is kept.
      expect(await page.getByRole('region', { name: 'Before publishing' }).textContent()).toContain('Body (English)');
      // Said in the header, not at every field before anything was typed (persona walk); a field
      // typed in and emptied again, or picked from the header's list, says it.
      const errors = page.locator('.field-error');
      expect(await errors.count()).toBe(0);
      await title.fill('x');
      await title.fill('');
      await expect.poll(() => errors.allTextContents()).toEqual(['Title (English) is required']);
      await page.getByRole('region', { name: 'Before publishing' }).getByRole('button', { name: 'Body (English)' }).click();
      await expect.poll(() => errors.count()).toBe(2);
      await title.fill('Crème brûlée, à la carte!');
      await expect.poll(() => slug.inputValue()).toBe('creme-brulee-a-la-carte');
      await slug.fill('dessert');
      await title.fill('Crème brûlée, revisited');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      expect(await slug.inputValue()).toBe('dessert');
      const id = await page.getByRole('listbox', { name: 'Record list' }).getAttribute('aria-activedescendant');
      expect(id).toBeTruthy();
      // The list by keyboard: Home and End move the active row (and open it); Enter goes into the editor.
      const list = page.getByRole('listbox', { name: 'Record list' });
      await list.focus();
      await page.keyboard.press('End');
      await expect.poll(() => list.getAttribute('aria-activedescendant')).not.toBe(id);
      const last = (await list.getAttribute('aria-activedescendant'))!;
      expect(await page.locator(`#${last}`).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Home');
      await expect.poll(() => list.getAttribute('aria-activedescendant')).toBe(id);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-title');
      // Reopened: the hand-typed slug is still its own.
      await open(page, 'Ink, part 2');
      await page.locator(`#${id}`).click();
      await expect.poll(() => slug.inputValue()).toBe('dessert');
      await title.fill('Crème brûlée, again');
      await page.getByRole('textbox', { name: /^Body/ }).fill('Sugar, burnt.');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      expect(await slug.inputValue()).toBe('dessert');
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      const made = (await invoke(app, 'content.records', { env: 'main', model: 'article', search: 'brûlée' }))[0]!;
      expect((await serverRecord(made.id))?.values).toMatchObject({ slug: 'dessert', title: { en: 'Crème brûlée, again' } });
    } finally {
      await app.close();
    }
  }, 240_000);

  it('editor: typing that never pauses reaches the local store at least every second, and no keystroke is lost when a save lands mid-typing', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      const id = (await invoke(app, 'content.records', { env: 'main', model: 'article', search: 'Paper, part 1' }))[0]!.id;
      await open(page, 'Paper, part 1');
      const title = page.getByLabel(/^Title/);
      await title.click();
      await page.keyboard.press('End');
      const original = await title.inputValue();
      const added = ' and a long thought typed on without a pause';
      const stored = async () => ((await invoke(app, 'content.record', { env: 'main', id })).values['title'] as { en: string }).en;
      // A key every 60 ms never leaves the 250 ms pause the save waits for: ~2.7 s of typing.
      const typing = page.keyboard.type(added, { delay: 60 });
      const seen: string[] = [];
      const t0 = Date.now();
      while (Date.now() - t0 < 2_200) {
        seen.push(await stored());
        await new Promise((r) => setTimeout(r, 100));
      }
      await typing;
      // Saved while the typing went on: a value past the original and short of the end.
      expect(seen.filter((v) => v !== original && v !== original + added).length).toBeGreaterThan(0);
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      expect(await title.inputValue()).toBe(original + added);
      expect(await stored()).toBe(original + added);
      // The list row says the title as typed, before any sync (it kept the old one: persona walk).
      await expect.poll(() => page.getByRole('listbox', { name: 'Record list' }).getByRole('option').filter({ hasText: original + added }).count()).toBe(1);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('editor: a paste that would make the Body too long is refused with a message and changes nothing; typing after it saves the document as it was plus the typing', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      const id = (await invoke(app, 'content.records', { env: 'main', model: 'article', search: 'Gardens, part 1' }))[0]!.id;
      const storedBody = async () => JSON.stringify((await invoke(app, 'content.record', { env: 'main', id })).values['body']);
      const before = await storedBody();
      await open(page, 'Gardens, part 1');
      const body = page.getByRole('textbox', { name: /^Body/ });
      await expect.poll(() => body.innerText()).not.toBe('');
      const shown = await body.innerText();
      // Not focused, no caret: no format shows as on (the heading at the top did: persona walk).
      const toolbar = page.getByRole('toolbar', { name: 'Body formatting' });
      expect(await toolbar.getByRole('button', { pressed: true }).count()).toBe(0);
      await body.click();
      await page.keyboard.press('Control+Home');
      await expect.poll(() => toolbar.getByRole('button', { pressed: true }).getAttribute('aria-label')).toBe('Heading');
      await page.keyboard.press('Control+End');
      const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(18) + '\n';
      await paste(page, paragraph.repeat(Math.ceil(210_000 / paragraph.length)));
      const alert = page.getByRole('alert').filter({ hasText: 'Not pasted' });
      await expect.poll(() => alert.textContent()).toBe('Not pasted: Body is too long: more than 200000 characters of text. Nothing was changed.');
      await lookAt(page, 'editor-paste-too-long');
      expect(await body.innerText()).toBe(shown);
      expect(await storedBody()).toBe(before);
      // Typing goes on from the document as it was: nothing of it is lost.
      await page.keyboard.type(' Still here.');
      await expect.poll(() => alert.count()).toBe(0);
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      const after = await storedBody();
      expect(after).toContain('Still here.');
      expect(after.length).toBeGreaterThan(before.length);
      expect((await body.innerText()).startsWith(shown.trimEnd())).toBe(true);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('editor: a title holding a right-to-left override stays inside its quotes; the sentence around it reads as written', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Rain, part 1');
      const title = page.getByLabel(/^Title/);
      await expect.poll(() => title.inputValue()).toBe('Rain, part 1');
      await title.fill('abc\u202edef');
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const heading = page.getByRole('alertdialog').getByRole('heading');
      await heading.waitFor();
      // Where each visible character is drawn, left to right, read from the layout itself.
      const xs = await heading.evaluate((h) => {
        const out: Record<string, number> = {};
        const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          for (let i = 0; i < n.textContent!.length; i++) {
            const r = document.createRange();
            r.setStart(n, i);
            r.setEnd(n, i + 1);
            const box = r.getBoundingClientRect();
            if (box.width > 0) out[n.textContent![i]!] = box.left;
          }
        }
        return out;
      });
      // The override reverses what follows it inside the title ("fed"), and nothing after it:
      // the closing quote and the question mark stay at the end.
      for (const c of 'abcdef') expect(xs[c]!).toBeGreaterThan(xs['“']!);
      for (const c of 'abcdef') expect(xs['”']!).toBeGreaterThan(xs[c]!);
      expect(xs['?']!).toBeGreaterThan(xs['”']!);
      expect(xs['f']!).toBeLessThan(xs['d']!);
      await lookAt(page, 'editor-title-rtl-override');
      await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await app.close();
    }
  }, 120_000);

  it('editor: a paste longer than a text field holds is refused with a message, not cut to fit without a word; a full field says so', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Gardens, part 2');
      const title = page.getByLabel(/^Title/);
      await expect.poll(() => title.inputValue()).toBe('Gardens, part 2');
      await title.click();
      // 15 characters there, none selected, 500 pasted: 515 > 200.
      await page.keyboard.press('End');
      expect(await paste(page, 'y'.repeat(500))).toBe(false);
      const alert = page.getByRole('alert').filter({ hasText: 'Not pasted' });
      await expect.poll(() => alert.textContent()).toBe('Not pasted: Title holds at most 200 characters, and with the pasted text it would have 515. Nothing was changed.');
      expect(await title.inputValue()).toBe('Gardens, part 2');
      await lookAt(page, 'editor-paste-too-long-title');
      // What fits goes through; the selection it replaces is not counted.
      await page.keyboard.press('Control+A');
      expect(await paste(page, 'z'.repeat(200))).toBe(true);
      await expect.poll(() => alert.count()).toBe(0);
      // Full: a key typed now is dropped by the control, and the field says so where it is typed.
      await title.fill('z'.repeat(200));
      await page.keyboard.press('End');
      const limit = page.getByRole('status').filter({ hasText: 'at its limit' });
      await expect.poll(() => limit.textContent()).toBe('Title is at its limit of 200 characters: more typing is not added.');
      await page.keyboard.type('abc');
      expect(await title.inputValue()).toBe('z'.repeat(200));
      await lookAt(page, 'editor-title-at-limit');
      await page.keyboard.press('Backspace');
      await expect.poll(() => limit.count()).toBe(0);
    } finally {
      await app.close();
    }
  }, 120_000);
});
