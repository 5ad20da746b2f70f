import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid } from '../support/server';
import { uiSuite, invoke, openApp, signInThroughUi, syncNow, syncState } from '../support/browser';
import { lookAt } from '../support/axe';

const suite = uiSuite();

const serverRecord = async (id: string) =>
  (await (await suite.ui.admin()).ok<{ record: { version: number; values: Record<string, Record<string, string>> } }>('query($id: ID!) { record(environment: "main", id: $id) { version values } }', { id })).record;

describe('history and conflicts (issue 11), in Chromium through the browser host', () => {
  it('editor: versions with author names, a diff per field and locale against now, restore after a preview and a confirmation', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('option').filter({ hasText: 'Spring, part 1' }).first().click();
      const title = page.getByLabel(/^Title/);
      await title.fill('Spring, rewritten');
      await page.getByRole('tab', { name: 'fr' }).click();
      await title.fill('Printemps, réécrit');
      await page.getByRole('tab', { name: 'en' }).click();
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      expect((await serverRecord('article-01')).version).toBe(2);

      await page.getByText('Version history').click();
      const versions = page.getByRole('list', { name: 'Versions' });
      await expect.poll(() => versions.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^Version 2CurrentDemo Editor · /), expect.stringMatching(/^Version 1Demo Editor · /)]);
      await versions.getByRole('button', { name: /^Version 1/ }).click();
      const diff = page.getByRole('region', { name: 'Version 1 compared with now' });
      await expect.poll(() => diff.getByRole('row').allTextContents()).toEqual(['FieldNowVersion 1', 'Title (English)Spring, rewrittenSpring, part 1', 'Title (French)Printemps, réécritSpring, partie 1']);
      await diff.scrollIntoViewIfNeeded();
      await lookAt(page, 'history-diff');
      // Restore asks first, naming what changes.
      await diff.getByRole('button', { name: 'Restore version 1…' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Restore version 1?' });
      expect(await ask.textContent()).toContain('Title (English), Title (French)');
      await ask.getByRole('button', { name: 'Cancel' }).click();
      expect(await title.inputValue()).toBe('Spring, rewritten');
      await diff.getByRole('button', { name: 'Restore version 1…' }).click();
      await ask.getByRole('button', { name: 'Restore' }).click();
      await expect.poll(() => title.inputValue()).toBe('Spring, part 1');
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      expect((await serverRecord('article-01')).values['title']).toMatchObject({ en: 'Spring, part 1', fr: 'Spring, partie 1' });
    } finally {
      await app.close();
    }
  }, 240_000);

  it('editor: a conflict card names the record, the field with its locale, mine / theirs / before, and who wrote theirs by name', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('option').filter({ hasText: 'Harbour, part 1' }).first().click();
      // A localized plain-text field (the body is structured text, whose cells are DAST documents).
      const title = page.getByLabel(/^Title/);
      await title.fill('Harbour, mine');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      const admin = await suite.ui.admin();
      const { version } = await serverRecord('article-02');
      await admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-02", baseVersion: $v, values: { title: { en: "Harbour, theirs" } }, clientMutationId: $c) { id } }', { v: version, c: cmid() });
      await syncNow(page);
      const card = page.getByRole('region', { name: /^Conflict on Title \(English\) of "Harbour, / });
      await card.waitFor();
      expect(await card.getByTestId('mine').textContent()).toBe('Harbour, mine');
      expect(await card.getByTestId('theirs').textContent()).toBe('Harbour, theirs');
      expect(await card.getByTestId('base').textContent()).toBe('Harbour, part 1');
      await expect.poll(() => card.textContent()).toMatch(/by Demo Admin, /);
      await lookAt(page, 'conflict');
      await card.getByRole('button', { name: 'Keep mine' }).click();
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
    } finally {
      await app.close();
    }
  }, 240_000);

  it('editor: a record deleted on the server while edited here is one card for the whole record; "keep mine" makes it a new record', async () => {
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('option').filter({ hasText: 'Typography, part 1' }).first().click();
      const title = page.getByLabel(/^Title/);
      await title.fill('Typography, kept here');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      const admin = await suite.ui.admin();
      const { version } = await serverRecord('article-03');
      await admin.ok('mutation($v: Int!, $c: ID!) { deleteRecord(environment: "main", id: "article-03", baseVersion: $v, clientMutationId: $c) }', { v: version, c: cmid() });
      await syncNow(page);
      const card = page.getByRole('region', { name: /^Conflict on the record of "/ });
      await card.waitFor();
      expect(await card.textContent()).toContain('deleted on the server, or no longer readable by your role');
      expect(await card.getByTestId('mine').textContent()).toContain('title (English): Typography, kept here');
      expect(await card.getByTestId('theirs').textContent()).toContain('Gone for you');
      await card.scrollIntoViewIfNeeded();
      await lookAt(page, 'conflict-whole-record');
      await card.getByRole('button', { name: 'Keep mine as a new record' }).click();
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
      const onServer = await admin.ok<{ records: { nodes: { id: string; values: { title: Record<string, string> } }[] } }>(
        'query { records(environment: "main", model: "article", first: 100) { nodes { id values } } }',
      );
      expect(onServer.records.nodes.filter((r) => r.values.title['en'] === 'Typography, kept here').map((r) => r.id)).toEqual([expect.not.stringMatching(/^article-03$/)]);
    } finally {
      await app.close();
    }
  }, 240_000);

  it('editor: what was typed in a field the server then deleted is a card with the text and one way out, "Discard mine"', async () => {
    const admin = await suite.ui.admin();
    await admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', {
      f: { apiKey: 'standfirst', label: 'Standfirst', type: 'string', localized: false, required: false },
    });
    const app = await openApp(suite.browser, suite.ui.url);
    const { page } = app;
    try {
      await signInThroughUi(page, DEMO_USERS.editor);
      await invoke(app, 'sync.auto', { enabled: false });
      await page.getByRole('option').filter({ hasText: 'Bridges, part 1' }).first().click();
      await page.getByLabel(/^Standfirst/).fill('Typed before it went');
      await expect.poll(() => syncState(page)).toBe('Saved on this computer');
      await admin.ok('mutation { deleteField(environment: "main", model: "article", field: "standfirst") { id } }');
      await syncNow(page);
      const card = page.getByRole('region', { name: /^Conflict on Standfirst of "Bridges, part 1"/ });
      await card.waitFor();
      expect(await card.getByTestId('field-deleted').textContent()).toContain('deleted from the model on the server');
      expect(await card.getByTestId('mine').textContent()).toBe('Typed before it went');
      expect(await card.getByRole('button').allTextContents()).toEqual(['Discard mine']);
      await card.scrollIntoViewIfNeeded();
      await lookAt(page, 'conflict-field-deleted');
      await card.getByRole('button', { name: 'Discard mine' }).click();
      await card.waitFor({ state: 'detached' });
      await syncNow(page);
      await expect.poll(() => syncState(page)).toBe('Synced');
    } finally {
      await app.close();
    }
  }, 240_000);
});
