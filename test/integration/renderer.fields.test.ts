import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../server/demo/seed';
import { dastProblem, dastToText, type DastDocument } from '../../shared/domain';
import { uiSuite, invoke, openApp, screenshotPath, signInThroughUi, syncNow, syncState, type AppUnderTest } from '../support/browser';
import { expectAccessible, setTheme } from '../support/axe';

const suite = uiSuite();

type Values = Record<string, unknown>;
const serverValues = async (id: string) =>
  (await (await suite.ui.admin()).ok<{ record: { values: Values } }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record.values;
const cell = (values: Values, field: string, locale: string) => (values[field] as Record<string, unknown>)[locale];

const open = (page: Page, title: string) => page.getByRole('option').filter({ hasText: title }).first().click();
/** CSP violations and page errors, which must stay empty. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  // zod probes for eval (new Function) once and falls back without it: not a fault of this page.
  const known = (text: string) => text.startsWith('Failed to load resource') || /CSP script-src on <\?/.test(text) || /unsafe-eval/.test(text);
  page.on('console', (m) => m.type() === 'error' && !known(m.text()) && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  // A missing favicon is the browser's own request; any other 404 is ours.
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
  void page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => {
      const t = e.target instanceof Element ? e.target : null;
      console.error(`CSP ${e.violatedDirective} on <${t?.tagName.toLowerCase() ?? '?'} class="${t?.getAttribute('class') ?? ''}"> at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${t?.textContent?.slice(0, 80) ?? ''}`);
    }),
  );
  return problems;
}

/** Another window on the same app (same core, so already signed in), with its own size and locale. */
async function pageAt(app: AppUnderTest, viewport: { width: number; height: number }, locale = 'en-US'): Promise<Page> {
  const context = await suite.browser.newContext({ viewport, locale });
  const page = await context.newPage();
  await page.goto(app.host.url);
  await page.getByRole('navigation', { name: 'Models' }).waitFor();
  return page;
}

/** The structured-text body: typed with the keyboard and the toolbar, as a user would. */
async function writeBody(page: Page, words: string) {
  const body = page.getByRole('textbox', { name: /^Body/ });
  await body.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  const toolbar = page.getByRole('toolbar', { name: 'Body formatting' });
  await toolbar.getByRole('button', { name: 'Heading', exact: true }).click();
  await expect.poll(() => toolbar.getByRole('button', { name: 'Heading', exact: true }).getAttribute('aria-pressed')).toBe('true');
  await page.keyboard.type(`${words} heading`);
  await page.keyboard.press('Enter');
  // Markdown shortcuts of the editor: "- " starts a bulleted list.
  await page.keyboard.type(`- ${words} one`);
  await page.keyboard.press('Enter');
  await page.keyboard.type(`${words} two`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Read ');
  await page.keyboard.press('Control+k');
  const address = page.getByRole('textbox', { name: 'Link address' });
  await address.fill('example.org/guide');
  await address.press('Enter');
  return body;
}

function expectBody(doc: unknown, words: string) {
  expect(dastProblem(doc)).toBeNull();
  const d = doc as DastDocument;
  expect(d.document.children.map((b) => b.type)).toEqual(['heading', 'list', 'paragraph']);
  expect(dastToText(d)).toBe(`${words} heading\n\n${words} one\n\n${words} two\n\nRead https://example.org/guide`);
  expect(JSON.stringify(d)).toContain('{"type":"link","url":"https://example.org/guide"');
}

describe('field controls (issue #11) in Chromium through the browser host', () => {
  it('editor: writes structured text (heading, list, link), keeps it over a reload, syncs it as valid DAST; the editor passes axe light and dark', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Bridges, part 1');
      const body = await writeBody(page, 'Harbour');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await page.reload();
      await page.getByRole('navigation', { name: 'Models' }).waitFor();
      await open(page, 'Bridges, part 1');
      await expect.poll(() => body.locator('h2').textContent()).toBe('Harbour heading');
      expect(await body.locator('ul li').allTextContents()).toEqual(['Harbour one', 'Harbour two']);
      expect(await body.locator('a').getAttribute('href')).toBe('https://example.org/guide');
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      expectBody(cell(await serverValues('article-08'), 'body', 'en'), 'Harbour');
      expect(problems).toEqual([]);
      // The same app in a second window at the README's size: the screenshot, and axe light and dark.
      const big = await pageAt(app, { width: 1440, height: 900 });
      const bigProblems = watch(big);
      await open(big, 'Bridges, part 1');
      await big.getByRole('textbox', { name: /^Body/ }).locator('li').first().click();
      await big.screenshot({ path: screenshotPath('rich-text') });
      await expectAccessible(big, 'record editor with rich text (light)');
      await setTheme(big, 'dark');
      await big.screenshot({ path: screenshotPath('rich-text-dark') });
      await expectAccessible(big, 'record editor with rich text (dark)');
      expect(bigProblems).toEqual([]);
      await big.context().close();
    } finally {
      await app.close();
    }
  }, 150_000);

  it('translator: writes the French body; the English body is read-only and says so', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await signInThroughUi(page, DEMO_USERS.translator);
      await invoke(app, 'sync.auto', { enabled: false });
      await open(page, 'Rain, part 1');
      const body = page.getByRole('textbox', { name: /^Body/ });
      // The translator opens on French, the English body beside it as text (not DAST JSON).
      await expect.poll(() => page.getByRole('tab', { name: 'fr' }).getAttribute('aria-selected')).toBe('true');
      const source = page.getByRole('group', { name: 'Source (English): Body' });
      await expect.poll(() => source.textContent()).toMatch(/Notes on rain/);
      expect(await source.textContent()).not.toContain('"schema"');
      // English itself: read-only, and the control says so.
      await page.getByRole('tab', { name: 'en' }).click();
      await expect.poll(() => body.getAttribute('aria-readonly')).toBe('true');
      expect(await body.getAttribute('contenteditable')).toBe('false');
      expect(await page.getByRole('toolbar', { name: 'Body formatting' }).count()).toBe(0);
      await page.getByRole('tab', { name: 'fr' }).click();
      await expect.poll(() => body.getAttribute('aria-readonly')).toBeNull();
      await writeBody(page, 'Pluie');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      const values = await serverValues('article-09');
      expectBody(cell(values, 'body', 'fr'), 'Pluie');
      expect(dastToText(cell(values, 'body', 'en') as DastDocument)).toMatch(/^Notes on rain/);
      expect(problems).toEqual([]);
    } finally {
      await app.close();
    }
  }, 150_000);

  it('every other control: JSON saves only once valid, SEO counts, a switch, a number; dates in the reader’s locale (de-DE); axe light and dark', async () => {
    const admin = await suite.ui.admin();
    const add = (f: object) => admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "author", field: $f) { id } }', { f });
    await add({ apiKey: 'settings', label: 'Settings', type: 'json', localized: false, required: false });
    await add({ apiKey: 'meta', label: 'SEO', type: 'seo', localized: false, required: false });
    await add({ apiKey: 'featured', label: 'Featured', type: 'boolean', localized: false, required: false });
    await add({ apiKey: 'rank', label: 'Rank', type: 'integer', localized: false, required: false });
    await add({ apiKey: 'joined_at', label: 'Joined at', type: 'datetime', localized: false, required: false });
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    const problems = watch(page);
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('button', { name: 'Author', exact: true }).click();
      await open(page, 'Greta Lind');

      // JSON: nothing is saved while it does not parse; the error says where.
      const json = page.getByRole('textbox', { name: 'Settings' });
      // A real textarea: the label's for= names it.
      await json.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('{"columns": 3,');
      await expect.poll(() => page.getByText(/^Not valid JSON yet, so nothing is saved/).textContent()).toMatch(/line 1, column \d+/);
      expect(await json.getAttribute('aria-invalid')).toBe('true');
      await syncNow(page);
      expect((await serverValues('author-7'))['settings']).toBeUndefined();
      await json.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('{"columns": 3, "dense": true}');
      await expect.poll(() => page.getByText(/^Not valid JSON yet/).count()).toBe(0);
      expect(await json.getAttribute('aria-invalid')).toBeNull();

      // Text: Markdown with a preview (React elements, nothing of the text as HTML).
      await page.getByRole('textbox', { name: /^Bio/ }).fill('# Greta\n\nWrites **slowly** about *rain* and <b>ports</b>.\n\n- one\n- two');
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('region', { name: 'Markdown preview' });
      await expect.poll(() => preview.locator('h1').textContent()).toMatch(/Greta/);
      expect(await preview.locator('strong').textContent()).toBe('slowly');
      expect(await preview.locator('li').count()).toBe(2);
      expect(await preview.locator('b').count()).toBe(0);
      await page.getByRole('button', { name: 'Write' }).click();

      // SEO: live counters against what search results show.
      const seoTitle = page.getByRole('textbox', { name: 'Meta title' });
      await seoTitle.fill('Greta Lind writes about harbours, bridges and the night trains of Europe');
      await expect.poll(() => page.locator('#field-meta-title-count').textContent()).toMatch(/^72\/60/);
      expect(await page.locator('#field-meta-title-count').getAttribute('class')).toContain('is-over');
      await page.getByRole('textbox', { name: 'Meta description' }).fill('Essays and notes.');
      await expect.poll(() => page.locator('#field-meta-description-count').textContent()).toMatch(/^17\/160/);
      expect(await page.getByRole('figure', { name: 'Search result preview' }).textContent()).toMatch(/^Greta Lind writes about harbours, bridges and the night \S*…/);

      const featured = page.getByRole('switch', { name: 'Featured' });
      await featured.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => featured.isChecked()).toBe(true);
      const rank = page.getByRole('textbox', { name: 'Rank' });
      await rank.fill('42');
      await rank.press('Tab');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      const values = await serverValues('author-7');
      expect(values).toMatchObject({ settings: { columns: 3, dense: true }, featured: true, rank: 42 });
      expect((values['bio'] as Record<string, string>)['en']).toMatch(/^# Greta/);
      expect(values['meta']).toMatchObject({ title: 'Greta Lind writes about harbours, bridges and the night trains of Europe', description: 'Essays and notes.' });

      expect(problems).toEqual([]);

      // axe needs a page of its own context (it opens a blank page beside it): a second window.
      const big = await pageAt(app, { width: 1440, height: 900 });
      await big.getByRole('button', { name: 'Author', exact: true }).click();
      await open(big, 'Greta Lind');
      await big.getByRole('textbox', { name: 'Meta title' }).scrollIntoViewIfNeeded();
      await big.screenshot({ path: screenshotPath('field-controls') });
      await expectAccessible(big, 'record editor with every control (light)');
      await setTheme(big, 'dark');
      await big.screenshot({ path: screenshotPath('field-controls-dark') });
      await expectAccessible(big, 'record editor with every control (dark)');
      await big.context().close();

      // A German reader sees German dates: day first, dots.
      const de = await pageAt(app, { width: 1024, height: 700 }, 'de-DE');
      await de.getByRole('button', { name: 'Article', exact: true }).click();
      await open(de, 'Bridges, part 1');
      const date = de.getByRole('group', { name: 'Published on' });
      await expect.poll(() => date.textContent()).toMatch(/^17\.0?8\.2026/);
      await de.screenshot({ path: screenshotPath('field-date-de') });
      await de.context().close();
    } finally {
      await app.close();
    }
  }, 150_000);
});
