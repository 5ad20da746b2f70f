import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { InputError } from '../../electron/core/errors';
import type { InkstoneCore } from '../../electron/core/core';
import { cmid } from '../support/server';
import { serverWithCores } from '../support/core';

// Issue 10: the life cycle of an operation (queued -> sent -> acknowledged | refused), against
// the real server over TLS with the real store and keychain.
const suite = serverWithCores();
const coreFor = (email: string) => suite.coreFor(email);

type Rec = { version: number; publishedVersion: number | null; status: string; values: Record<string, Record<string, unknown> | unknown> };
const serverRecord = async (id: string): Promise<Rec> =>
  (await suite.admin.ok<{ record: Rec }>('query($id: ID!) { record(environment: "main", id: $id) { version publishedVersion status values } }', { id })).record;
async function publishedValues(id: string): Promise<Record<string, unknown>> {
  const r = await serverRecord(id);
  const vs = await suite.admin.ok<{ recordVersions: { version: number; values: Record<string, unknown> }[] }>('query($id: ID!) { recordVersions(environment: "main", id: $id) { version values } }', { id });
  return vs.recordVersions.find((v) => v.version === r.publishedVersion)!.values;
}
const main = (core: InkstoneCore) => core.status().environments['main']!;
/** A publish the server refuses (the title is required), synced: the problem it shows. */
async function refusedPublish(core: InkstoneCore, id: string) {
  core.edit('main', id, { title: { en: null } });
  core.recordAction('main', id, 'publish');
  await core.sync();
  const [problem] = main(core).problems;
  expect(problem?.kind).toBe('publish');
  return problem!;
}

describe('operation life cycle', () => {
  it('bug 3: a refused publish is a problem on its record, never a wedge: the fix is sent, publishing again goes through', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    core.edit('main', 'article-13', { title: { en: null } });
    expect((await core.sync()).problems).toBe(0);
    core.recordAction('main', 'article-13', 'publish');
    const refused = await core.sync();
    expect(refused.problems).toBe(1);
    const [problem] = main(core).problems;
    expect(problem).toMatchObject({ kind: 'publish', recordId: 'article-13', code: 'VALIDATION' });
    expect(problem!.message).toMatch(/title/);
    expect(core.record('main', 'article-13').problems).toEqual([{ seq: problem!.seq, kind: 'publish', code: 'VALIDATION', message: problem!.message }]);

    // Fix the title and publish again: both are sent, the refused publish is moot.
    core.edit('main', 'article-13', { title: { en: 'Fixed title' } });
    core.recordAction('main', 'article-13', 'publish');
    const r = await core.sync();
    expect(r).toMatchObject({ offline: false, conflicts: 0, problems: 0 });
    expect(main(core)).toMatchObject({ pending: 0, problems: [], conflicts: 0 });
    expect((await serverRecord('article-13')).status).toBe('published');
    expect((await publishedValues('article-13'))['title']).toMatchObject({ en: 'Fixed title' });
  });

  it('publish pressed twice with nothing between (a double click) is one publish: no refusal comes back (persona walk)', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    core.edit('main', 'article-19', { title: { en: 'Published once' } });
    core.recordAction('main', 'article-19', 'publish');
    core.recordAction('main', 'article-19', 'publish');
    expect(main(core).pending).toBe(2);
    expect(await core.sync()).toMatchObject({ offline: false, conflicts: 0, problems: 0 });
    expect(main(core)).toMatchObject({ pending: 0, problems: [], conflicts: 0 });
    expect((await publishedValues('article-19'))['title']).toMatchObject({ en: 'Published once' });
    // An edit between two publishes still makes the second one count.
    core.edit('main', 'article-19', { title: { en: 'Published twice' } });
    core.recordAction('main', 'article-19', 'publish');
    expect(await core.sync()).toMatchObject({ conflicts: 0, problems: 0 });
    expect((await publishedValues('article-19'))['title']).toMatchObject({ en: 'Published twice' });
  });

  it('retry sends a refused op again after the fix; discard drops a refused write and its cells', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    const problem = await refusedPublish(core, 'article-16');
    expect(() => core.discardOp('main', 999_999)).toThrow(InputError);
    core.edit('main', 'article-16', { title: { en: 'Retried' } });
    core.retryOp('main', problem.seq);
    await core.sync();
    expect(main(core)).toMatchObject({ pending: 0, problems: [] });
    expect((await publishedValues('article-16'))['title']).toMatchObject({ en: 'Retried' });

    // A create the server refuses (an id another record has) is a problem; discarding it drops the local record.
    const id = core.create('main', 'author', { name: 'Twin' }, 'author-1');
    await core.sync();
    const [refusedCreate] = main(core).problems;
    expect(refusedCreate).toMatchObject({ kind: 'create', recordId: id });
    core.discardOp('main', refusedCreate!.seq);
    expect(main(core)).toMatchObject({ pending: 0, problems: [], drafts: 0 });
  });

  it('deleting a record made here and never sent drops it here: nothing reaches the server', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    const id = core.create('main', 'author', { name: 'Here and gone' });
    core.recordAction('main', id, 'delete');
    expect(main(core)).toMatchObject({ pending: 0, drafts: 0 });
    expect(await core.sync()).toMatchObject({ pushed: 0, problems: 0 });
    expect((await suite.admin.gql('query($id: ID!) { record(environment: "main", id: $id) { id } }', { id })).data).toEqual({ record: null });
  });

  it('delete acts on the version seen when pressed: a change someone made since makes it a problem, not a silent loss', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    // Own edits before the delete are part of what was seen.
    core.edit('main', 'article-28', { slug: 'mine-before-delete' });
    core.recordAction('main', 'article-28', 'delete');
    core.edit('main', 'article-29', { slug: 'seen' });
    await core.sync({ only: 'pull' });
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect((await suite.admin.gql('{ record(environment: "main", id: "article-28") { id } }')).data).toEqual({ record: null });

    core.recordAction('main', 'article-29', 'delete');
    const v = (await serverRecord('article-29')).version;
    await suite.admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-29", baseVersion: $v, values: { slug: "changed-meanwhile" }, clientMutationId: $c) { id } }', { v, c: cmid() });
    await core.sync();
    expect(main(core).problems).toEqual([expect.objectContaining({ kind: 'delete', recordId: 'article-29', code: 'VALIDATION' })]);
    expect((await serverRecord('article-29')).values['slug']).toBe('changed-meanwhile');
    // Reviewed, and deleted again on purpose: it goes.
    core.retryOp('main', main(core).problems[0]!.seq);
    await core.sync();
    expect(main(core)).toMatchObject({ pending: 0, problems: [] });
    expect((await suite.admin.gql('{ record(environment: "main", id: "article-29") { id } }')).data).toEqual({ record: null });
  });

  it('a problem on one record never holds back other records', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    core.edit('main', 'article-19', { title: { en: null } });
    core.recordAction('main', 'article-19', 'publish');
    core.edit('main', 'article-20', { slug: 'after-a-problem' });
    await core.sync();
    expect(main(core).problems.map((p) => p.recordId)).toEqual(['article-19']);
    expect((await serverRecord('article-20')).values['slug']).toBe('after-a-problem');
    // Later edits of the record with the problem stay visible and are sent.
    core.edit('main', 'article-19', { slug: 'still-sent' });
    await core.sync();
    expect((await serverRecord('article-19')).values['slug']).toBe('still-sent');
    expect(core.record('main', 'article-19').values['slug']).toBe('still-sent');
  });

  it('bug 5: publish acts on the values seen when pressed; a later edit is sent after it and does not go live', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    core.edit('main', 'article-22', { title: { fr: 'Vu au moment de publier' } });
    core.recordAction('main', 'article-22', 'publish');
    core.edit('main', 'article-22', { title: { fr: 'Écrit après' } });
    const r = await core.sync();
    expect(r).toMatchObject({ problems: 0, conflicts: 0 });
    const live = await publishedValues('article-22');
    expect(live['title']).toMatchObject({ fr: 'Vu au moment de publier' });
    const now = await serverRecord('article-22');
    expect(now.values['title']).toMatchObject({ fr: 'Écrit après' });
    expect(now.status).toBe('updated');
  });

  it('publish acts on the version seen: a change made on the server since is a problem, never published unseen (found by the model test)', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    const before = await serverRecord('article-24');
    core.edit('main', 'article-24', { title: { en: 'Seen when publishing' } });
    core.recordAction('main', 'article-24', 'publish');
    // Someone else changes the record before this client's publish reaches the server.
    await suite.admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-24", baseVersion: $v, values: { slug: "never-seen-here" }, clientMutationId: $c) { id } }', { v: before.version, c: cmid() });
    await core.sync();
    expect(main(core).problems).toEqual([expect.objectContaining({ kind: 'publish', recordId: 'article-24', code: 'VALIDATION' })]);
    const after = await serverRecord('article-24');
    expect(after.publishedVersion).toBe(before.publishedVersion);
    expect((after.values['title'] as Record<string, unknown>)['en']).toBe('Seen when publishing');
    // Reviewed (the pull brought the slug), and published again on purpose: now it goes, slug and all.
    expect(core.record('main', 'article-24').values['slug']).toBe('never-seen-here');
    core.retryOp('main', main(core).problems[0]!.seq);
    await core.sync();
    expect(main(core)).toMatchObject({ pending: 0, problems: [] });
    expect(await publishedValues('article-24')).toMatchObject({ slug: 'never-seen-here', title: expect.objectContaining({ en: 'Seen when publishing' }) });
  });

  it('publish of a record whose own change was refused is refused here until it is fixed (found by the model bench)', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    const id = core.create('main', 'author', { name: 'Soon nameless' });
    core.edit('main', id, { name: null });
    expect((await core.sync()).problems).toBe(1);
    expect(() => core.recordAction('main', id, 'publish')).toThrow(InputError);
    // Fixed and retried, it goes; then publishing publishes what is shown.
    core.edit('main', id, { name: 'Named again' });
    await core.sync();
    expect(main(core).problems).toEqual([]);
    core.recordAction('main', id, 'publish');
    await core.sync();
    expect(await publishedValues(id)).toMatchObject({ name: 'Named again' });
  });

  it('bug 6: a translator whose queued cell came back as a conflict sees no false refusal, and resolving sends the choice', async () => {
    const core = await coreFor(DEMO_USERS.translator);
    core.edit('main', 'author-2', { bio: { fr: 'Bio (traductrice)' } });
    const v = (await serverRecord('author-2')).version;
    await suite.admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "author-2", baseVersion: $v, values: { bio: { fr: "Bio (admin)" } }, clientMutationId: $c) { id } }', { v, c: cmid() });
    const r = await core.sync();
    expect(r.conflicts).toBe(1);
    expect(main(core)).toMatchObject({ problems: [], conflicts: 1 });
    const [c] = core.conflicts('main');
    expect(c).toMatchObject({ recordId: 'author-2', cell: 'bio.fr', label: expect.any(String), locale: 'fr', mine: 'Bio (traductrice)', theirs: 'Bio (admin)', theirsBy: expect.any(String) });
    expect(c!.title.length).toBeGreaterThan(0);
    expect(c!.theirsAt).toMatch(/^\d{4}-/);
    // Typed into while in conflict (an editor that had not heard of it yet): the typing is the
    // user's side now, nothing of it is sent, and "keep mine" keeps the latest of it.
    core.edit('main', 'author-2', { bio: { fr: 'typed meanwhile' } });
    expect(core.conflicts('main')).toEqual([expect.objectContaining({ cell: 'bio.fr', mine: 'typed meanwhile', theirs: 'Bio (admin)' })]);
    await core.sync();
    expect((await serverRecord('author-2')).values['bio']).toMatchObject({ fr: 'Bio (admin)' });
    expect(main(core)).toMatchObject({ problems: [], conflicts: 1 });
    core.resolveConflict('main', 'author-2', 'bio.fr', { keep: 'mine' });
    await core.sync();
    expect(main(core)).toMatchObject({ pending: 0, problems: [], conflicts: 0 });
    expect((await serverRecord('author-2')).values['bio']).toMatchObject({ fr: 'typed meanwhile' });
  });

  it('retrying a refused publish publishes the values seen at the retry, not text typed after it (an attack on the writes drafts owe: outbox.ts)', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    const problem = await refusedPublish(core, 'article-27');
    // The user fixes the title (a first edit since the sync: its write is owed), then presses Retry.
    core.edit('main', 'article-27', { title: { en: 'Seen when retrying' } });
    core.retryOp('main', problem.seq);
    // Typed after pressing Retry: like an edit after Publish, it must not go live.
    core.edit('main', 'article-27', { title: { en: 'Typed after the retry' } });
    expect(await core.sync()).toMatchObject({ problems: 0, conflicts: 0 });
    expect(main(core)).toMatchObject({ pending: 0, problems: [] });
    expect((await publishedValues('article-27'))['title']).toMatchObject({ en: 'Seen when retrying' });
    const now = await serverRecord('article-27');
    expect(now.values['title']).toMatchObject({ en: 'Typed after the retry' });
    expect(now.status).toBe('updated');
  });
});
