import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { InputError } from '../../electron/core/errors';
import { serverWithCores } from '../support/core';

// Issue 11: what the redesigned editor asks of the core and the server, against the real
// server over TLS with the real store and keychain.
const suite = serverWithCores();
const onServer = async (id: string) => (await suite.admin.ok<{ record: { values: Record<string, unknown> } | null }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record;

describe('the editor’s core', () => {
  it('a queued delete can be undone until it is sent; after the sync it is done, and undo says so', async () => {
    const core = await suite.coreFor(DEMO_USERS.editor);
    core.recordAction('main', 'article-21', 'delete');
    expect(core.record('main', 'article-21').deleting).toBe(true);
    core.undoDelete('main', 'article-21');
    expect(core.record('main', 'article-21').deleting).toBe(false);
    await core.sync();
    expect(await onServer('article-21')).not.toBeNull();
    // Not undone: it goes; there is nothing left to undo.
    core.recordAction('main', 'article-21', 'delete');
    await core.sync();
    expect(await onServer('article-21')).toBeNull();
    expect(() => core.undoDelete('main', 'article-21')).toThrow(InputError);
  });

  it('a draft may be incomplete: created without its required fields, it reaches the server; publishing it is refused until complete', async () => {
    const core = await suite.coreFor(DEMO_USERS.editor);
    const id = core.create('main', 'article', { slug: 'incomplete' });
    expect((await core.sync()).problems).toBe(0);
    expect((await onServer(id))?.values).toMatchObject({ slug: 'incomplete' });
    core.recordAction('main', id, 'publish');
    expect((await core.sync()).problems).toBe(1);
    expect(core.record('main', id).problems[0]?.message).toMatch(/title\.en is required/);
  });

  it('authors by name: a member may read the names of the project’s members, and only those', async () => {
    const core = await suite.coreFor(DEMO_USERS.translator);
    const author = core.record('main', 'article-03').updatedBy!;
    expect(await core.names([author, 'not-a-member'])).toEqual([{ id: author, name: 'Demo Editor' }]);
  });
});
