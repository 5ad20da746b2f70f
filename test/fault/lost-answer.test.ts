import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import type { InkstoneCore } from '../../electron/core/core';
import { startTestServer, type TestClient, type TestServer } from '../support/server';
import { openCore, signIn } from '../support/core';
import { startProxy, type FaultProxy } from '../support/proxy';

// Bug 8 of issue 10: the server applied a push whose answer never arrived; the user edits the
// same cell again. The sent op is part of what the client believes the server holds, so the
// pull brings back the client's own write without a conflict, and the newest value wins.
let ts: TestServer;
let proxy: FaultProxy;
let admin: TestClient;
let core: InkstoneCore;
beforeAll(async () => {
  ts = await startTestServer();
  proxy = await startProxy(ts.server);
  admin = await ts.client.login(DEMO_USERS.admin);
  core = await openCore();
  await signIn(core, { ...ts.server, url: proxy.url }, DEMO_USERS.editor);
});
afterAll(async () => {
  await core.close();
  await proxy.close();
  await ts.stop();
});

const title = async (id: string) => ((await admin.ok<{ record: { values: { title: Record<string, string> } } }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record.values.title);

describe('a push whose answer is lost', () => {
  it('is not a conflict with the next edit of the same cell; the server ends with the newest value', async () => {
    core.edit('main', 'article-04', { title: { en: 'First, answer lost' } });
    proxy.cutAnswerTo = 'updateRecord';
    const cut = await core.sync({ only: 'push' });
    expect(cut.offline).toBe(true);
    expect(proxy.cuts).toBeGreaterThanOrEqual(1);
    // The server did apply it; the core never heard.
    expect((await title('article-04')).en).toBe('First, answer lost');
    expect(core.status().environments['main']?.pending).toBe(1);

    proxy.cutAnswerTo = null;
    core.edit('main', 'article-04', { title: { en: 'Second, newest' } });
    const r = await core.sync();
    expect(r).toMatchObject({ offline: false, conflicts: 0, problems: 0 });
    expect(core.conflicts()).toEqual([]);
    expect((await title('article-04')).en).toBe('Second, newest');
    expect(core.status().environments['main']).toMatchObject({ pending: 0, problems: [], conflicts: 0, drafts: 0 });
    expect(core.record('main', 'article-04').values['title']).toMatchObject({ en: 'Second, newest' });
  });

  it('a lost answer, then someone else overwrites the cell, then a local edit: a real conflict (never dropped silently)', async () => {
    core.edit('main', 'article-08', { title: { en: 'Mine, answer lost' } });
    proxy.cutAnswerTo = 'updateRecord';
    expect((await core.sync({ only: 'push' })).offline).toBe(true);
    proxy.cutAnswerTo = null;
    const v = (await admin.ok<{ record: { version: number } }>('{ record(environment: "main", id: "article-08") { version } }')).record.version;
    await admin.ok('mutation($v: Int!) { updateRecord(environment: "main", id: "article-08", baseVersion: $v, values: { title: { en: "Theirs" } }, clientMutationId: "lost-answer-theirs") { id } }', { v });
    core.edit('main', 'article-08', { title: { en: 'Mine, again' } });
    const r = await core.sync();
    expect(r.conflicts).toBe(1);
    expect(core.conflicts('main')).toEqual([expect.objectContaining({ recordId: 'article-08', cell: 'title.en', mine: 'Mine, again', theirs: 'Theirs' })]);
  });
});
