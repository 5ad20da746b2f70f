import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { InputError } from '../../electron/core/errors';
import { serverWithCores } from '../support/core';
import { dastFromText } from '../../shared/domain/dast';
import type { Json } from '../../shared/domain';

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

  it('a new record may start incomplete: it stays a pending draft here, never sent to be refused, and goes once its required fields are filled', async () => {
    const core = await suite.coreFor(DEMO_USERS.editor);
    const id = core.create('main', 'article', { slug: 'incomplete' });
    expect(core.record('main', id).values).toEqual({ slug: 'incomplete' });
    expect(() => core.recordAction('main', id, 'publish')).toThrow(/not complete yet \(title\.en, body\.en\)/);
    const pending = core.status().environments['main']!.pending;
    expect(pending).toBeGreaterThan(0);
    // The status says what it waits for, so the pending count is not a mystery that never clears.
    expect(core.status().environments['main']!.incomplete).toBe(1);
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect(core.status().environments['main']!.incomplete).toBe(1);
    expect(core.record('main', id).problems).toEqual([]);
    expect(await onServer(id)).toBeNull();
    core.edit('main', id, { title: { en: 'Complete' } });
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect(await onServer(id)).toBeNull(); // the body is still missing
    core.edit('main', id, { body: { en: dastFromText('At last.') as unknown as Json } });
    expect(core.status().environments['main']!.incomplete).toBe(0);
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect(core.status().environments['main']).toMatchObject({ incomplete: 0, pending: 0 });
    expect((await onServer(id))?.values).toMatchObject({ slug: 'incomplete', title: { en: 'Complete' }, body: { en: dastFromText('At last.') } });
  });

  it('authors by name: a member may read the names of the project’s members, and only those', async () => {
    const core = await suite.coreFor(DEMO_USERS.translator);
    const author = core.record('main', 'article-03').updatedBy!;
    expect(await core.names([author, 'not-a-member'])).toEqual([{ id: author, name: 'Demo Editor' }]);
  });
});
