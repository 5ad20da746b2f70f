import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/demo/seed';
import { collaboratorWithRole } from '../support/security';
import { PermissionError } from '../../electron/core/core';
import { newDataDir, serverWithCores } from '../support/core';
import { dastFromText, type Json } from '../../shared/domain';

const suite = serverWithCores();
const coreFor = (email: string) => suite.coreFor(email);
const serverRecord = async (env: string, id: string) =>
  (await suite.admin.ok<{ record: { version: number; values: Record<string, Record<string, string> | string> } }>('query($e: ID!, $id: ID!) { record(environment: $e, id: $id) { version values } }', { e: env, id })).record;

describe('the French translator through the core', () => {
  it('syncs a fr edit; an en edit is refused before it is queued, with a clear reason', async () => {
    const core = await coreFor(DEMO_USERS.translator);
    expect(core.environments()).toEqual([{ id: 'main', primary: true }]);
    expect(core.records('main', 'article').length).toBe(30);
    core.edit('main', 'article-03', { title: { fr: 'Typographie, partie 1' } });
    expect(core.status().environments['main']?.pending).toBe(1);

    const before = core.exportDrafts().operations.length;
    expect(() => core.edit('main', 'article-03', { title: { en: 'Typography!' } })).toThrow(PermissionError);
    expect(() => core.edit('main', 'article-03', { title: { en: 'Typography!' } })).toThrow(/may not edit title\.en/);
    expect(() => core.edit('main', 'article-03', { slug: 'typo' })).toThrow(/slug/);
    expect(core.exportDrafts().operations.length).toBe(before);
    expect(core.record('main', 'article-03').values['title']).toMatchObject({ en: 'Typography, part 1', fr: 'Typographie, partie 1' });

    const report = await core.sync();
    expect(report).toMatchObject({ pushed: 1, conflicts: 0, problems: 0, offline: false });
    expect((await serverRecord('main', 'article-03')).values['title']).toMatchObject({ fr: 'Typographie, partie 1', en: 'Typography, part 1' });
    expect(core.status().environments['main']).toMatchObject({ pending: 0, drafts: 0 });
    expect(() => core.create('main', 'article', { title: { en: 'x' }, body: { en: dastFromText('y') as unknown as Json } })).toThrow(PermissionError);
    expect(() => core.recordAction('main', 'article-03', 'publish')).toThrow(PermissionError);
  });
});

describe('the media manager through the core', () => {
  it('uploads into /Marketing/Campaigns; /Legal is refused at once', async () => {
    const core = await coreFor(DEMO_USERS.media);
    const file = join(newDataDir(), 'brief.txt');
    writeFileSync(file, 'Campaign brief, spring.\n');
    const id = core.queueUpload('main', '/Marketing/Campaigns', file, 'text/plain');
    expect(() => core.queueUpload('main', '/Legal', file, 'text/plain')).toThrow(PermissionError);
    const report = await core.sync();
    expect(report.uploaded).toBe(1);
    const up = (core.uploads() as { id: string; state: string; assetId: string }[]).find((u) => u.id === id)!;
    expect(up.state).toBe('done');
    const assets = await suite.admin.ok<{ assets: { nodes: { id: string; filename: string }[] } }>('{ assets(environment: "main", folder: "campaigns", first: 100) { nodes { id filename } } }');
    expect(assets.assets.nodes.find((a) => a.id === up.assetId)?.filename).toBe('brief.txt');
    // The same bytes again into the same folder: deduplicated, not uploaded twice.
    core.queueUpload('main', 'campaigns', file, 'text/plain');
    await core.sync();
    const again = await suite.admin.ok<{ assets: { nodes: { filename: string }[] } }>('{ assets(environment: "main", folder: "campaigns", first: 100) { nodes { filename } } }');
    expect(again.assets.nodes.filter((a) => a.filename === 'brief.txt')).toHaveLength(1);
  });
});

describe('environments', () => {
  it('a sandbox draft never reaches main, and an op whose environment becomes unreachable is blocked, not redirected', async () => {
    const dev = await coreFor(DEMO_USERS.developer);
    expect(dev.environments().map((e) => e.id)).toEqual(['staging']);
    expect(() => dev.edit('main', 'article-01', { slug: 'x' })).toThrow(/not reachable/);
    dev.edit('staging', 'article-01', { slug: 'sandbox-only' });
    await dev.sync();
    expect((await serverRecord('staging', 'article-01')).values['slug']).toBe('sandbox-only');
    expect((await serverRecord('main', 'article-01')).values['slug']).toBe('spring-1');

    const editor = await coreFor(DEMO_USERS.editor);
    editor.edit('staging', 'article-02', { slug: 'queued-for-staging' });
    const collabs = await suite.admin.ok<{ collaborators: { id: string; email: string }[] }>('{ collaborators { id email } }');
    const editorId = collabs.collaborators.find((c) => c.email === DEMO_USERS.editor)!.id;
    const role = await suite.admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', {
      i: { name: 'Main editor', flags: {}, environmentsAccess: 'primary_only', recordRules: [{ effect: 'allow', models: 'all', actions: ['read', 'create', 'update', 'publish', 'unpublish', 'delete'] }], uploadRules: [] },
    });
    await suite.admin.ok('mutation($u: ID!, $r: ID!) { changeCollaboratorRole(userId: $u, role: $r) }', { u: editorId, r: role.createRole.id });
    try {
      const report = await editor.sync();
      expect(report.permissionsChanged).toBe(true);
      const st = editor.status().environments['staging'];
      expect(st?.problems).toHaveLength(1);
      expect(st?.problems[0]?.code).toBe('ENVIRONMENT');
      expect(st?.problems[0]?.message).toMatch(/environment "staging" is not reachable/);
      expect((await serverRecord('main', 'article-02')).values['slug']).not.toBe('queued-for-staging');
      expect((await serverRecord('staging', 'article-02')).values['slug']).not.toBe('queued-for-staging');
      expect(editor.exportDrafts().drafts.find((d) => d.recordId === 'article-02')).toBeTruthy();
    } finally {
      await suite.admin.ok('mutation($u: ID!) { changeCollaboratorRole(userId: $u, role: "editor") }', { u: editorId });
    }
    await editor.sync();
    expect((await serverRecord('staging', 'article-02')).values['slug']).toBe('queued-for-staging');
  });
});

const ANYWHERE = { effect: 'allow', localizationScope: 'all', locales: 'all', environment: 'all' } as const;

describe('a role that may update only the records it created, through the core', () => {
  it('edits its own record; an edit of another’s is refused whole before anything is saved', async () => {
    const { email } = await collaboratorWithRole(
      suite.admin,
      {
        name: 'Own articles',
        environmentsAccess: 'primary_only',
        recordRules: [
          { ...ANYWHERE, models: 'all', actions: ['read'], onCreator: 'anyone' },
          { ...ANYWHERE, models: ['article'], actions: ['create', 'update'], onCreator: 'self' },
        ],
      },
      DEMO_PASSWORD,
    );
    const core = await coreFor(email);
    const id = core.create('main', 'article', { title: { en: 'Mine' }, body: { en: dastFromText('My text') as unknown as Json } });
    expect(await core.sync()).toMatchObject({ pushed: 1, problems: 0 });
    // The server's copy now says who created it; the edit is judged against that copy.
    core.edit('main', id, { title: { en: 'Mine, edited' } });
    expect(core.record('main', id).values['title']).toMatchObject({ en: 'Mine, edited' });

    const saved = () => ({ ...core.exportDrafts(), exportedAt: null });
    const before = saved();
    expect(() => core.edit('main', 'article-03', { title: { en: 'Not mine' } })).toThrow(PermissionError);
    expect(saved()).toEqual(before);
    expect(core.record('main', 'article-03').values['title']).toMatchObject({ en: 'Typography, part 1' });

    expect(await core.sync()).toMatchObject({ pushed: 1, problems: 0 });
    expect((await serverRecord('main', id)).values['title']).toMatchObject({ en: 'Mine, edited' });
  });
});

describe('a field deleted on the server, through the core', () => {
  it('a record pulled with a value of it shows and checks without it, and publishes', async () => {
    await suite.admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', {
      f: { apiKey: 'kicker', label: 'Kicker', type: 'string', localized: false, required: false },
    });
    const before = await serverRecord('main', 'article-07');
    await suite.admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-07", baseVersion: $v, values: { kicker: "Breaking" }, clientMutationId: $c) { version } }', {
      v: before.version,
      c: `kicker-${process.pid}`,
    });
    const core = await coreFor(DEMO_USERS.editor);
    expect(core.record('main', 'article-07').values['kicker']).toBe('Breaking');

    await suite.admin.ok('mutation { deleteField(environment: "main", model: "article", field: "kicker") { id } }');
    await core.sync();
    // The local copy still holds it (the record did not change on the server): it is no longer
    // the record's, so the editor neither shows it nor counts it as a problem blocking Publish.
    const shown = core.record('main', 'article-07');
    expect(shown.values).not.toHaveProperty('kicker');
    core.recordAction('main', 'article-07', 'publish');
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect((await serverRecord('main', 'article-07')).values).not.toHaveProperty('kicker');
  });
});

describe('a field deleted on the server while edited here, through the core', () => {
  it('what was typed in it is set aside as a conflict the user sees, not dropped; the record’s other cells are sent; discarding is the way out', async () => {
    await suite.admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', {
      f: { apiKey: 'standfirst', label: 'Standfirst', type: 'string', localized: false, required: false },
    });
    const core = await coreFor(DEMO_USERS.editor);
    core.edit('main', 'article-08', { standfirst: 'Typed offline', title: { en: 'Kept title' } });
    // A record whose only local cell is in the deleted field: nothing is left to send for it.
    core.edit('main', 'article-09', { standfirst: 'Only this' });
    await suite.admin.ok('mutation { deleteField(environment: "main", model: "article", field: "standfirst") { id } }');

    // The rights changed (no cell of the field may be written now), not what may be read: nothing
    // is pulled again (it was every record of every environment, minutes at 200k).
    expect(await core.sync()).toMatchObject({ pushed: 1, problems: 0, permissionsChanged: true, pulled: 0 });
    expect((await serverRecord('main', 'article-08')).values['title']).toMatchObject({ en: 'Kept title' });
    expect(core.status().environments['main']).toMatchObject({ conflicts: 2, pending: 0, problems: [] });
    // Named as the editor knew the field: by its label, which the model no longer holds.
    const cards = core.conflicts('main').map((c) => ({ recordId: c.recordId, cell: c.cell, label: c.label, fieldDeleted: c.fieldDeleted, mine: c.mine }));
    expect(cards).toEqual(
      expect.arrayContaining([
        { recordId: 'article-08', cell: 'standfirst', label: 'Standfirst', fieldDeleted: true, mine: 'Typed offline' },
        { recordId: 'article-09', cell: 'standfirst', label: 'Standfirst', fieldDeleted: true, mine: 'Only this' },
      ]),
    );
    // Kept through the export of last resort too.
    expect(JSON.stringify(core.exportDrafts().conflicts)).toContain('Typed offline');
    // "Keep mine" has nowhere to go, and says so; discarding ends it.
    expect(() => core.resolveConflict('main', 'article-08', 'standfirst', { keep: 'mine' })).toThrow(/was deleted on the server/);
    core.resolveConflict('main', 'article-08', 'standfirst', { keep: 'theirs' });
    core.resolveConflict('main', 'article-09', 'standfirst', { keep: 'theirs' });
    expect(core.status().environments['main']).toMatchObject({ conflicts: 0, pending: 0, drafts: 0 });
    expect(await core.sync()).toMatchObject({ problems: 0, conflicts: 0 });
  });

  it('a record deleted on the server as well, in either order: "keep mine as a new record" keeps the cells of fields that still exist, and the deleted field’s text stays a card of its own', async () => {
    const addField = (apiKey: string) =>
      suite.admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', { f: { apiKey, label: apiKey, type: 'string', localized: false, required: false } });
    const deleteField = (apiKey: string) => suite.admin.ok('mutation($k: ID!) { deleteField(environment: "main", model: "article", field: $k) { id } }', { k: apiKey });
    const deleteRecord = async (id: string) =>
      suite.admin.ok('mutation($id: ID!, $v: Int!, $c: ID!) { deleteRecord(environment: "main", id: $id, baseVersion: $v, clientMutationId: $c) }', { id, v: (await serverRecord('main', id)).version, c: `del-${id}-${process.pid}` });
    await addField('dek');
    await addField('dek_two');
    const v = (await serverRecord('main', 'article-19')).version;
    await suite.admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-19", baseVersion: $v, values: { dek_two: "On the server" }, clientMutationId: $c) { id } }', { v, c: `dek-${process.pid}` });
    const core = await coreFor(DEMO_USERS.editor);
    // 18: the record's deletion is pulled first, then the field's; 19: the other way round.
    // (Pulls alone until the end: nothing typed reaches the server before both deletions.)
    core.edit('main', 'article-18', { dek: 'Mine, 18', slug: 'kept-eighteen' });
    await deleteRecord('article-18');
    await core.sync({ only: 'pull' });
    core.edit('main', 'article-19', { dek_two: 'Mine, 19', slug: 'kept-nineteen' });
    await deleteField('dek');
    await deleteField('dek_two');
    await core.sync({ only: 'pull' });
    await deleteRecord('article-19');
    await core.sync();

    const cards = core.conflicts('main').filter((c) => c.recordId === 'article-18' || c.recordId === 'article-19');
    expect(cards.map((c) => [c.recordId, c.cell, c.fieldDeleted]).sort()).toEqual([
      ['article-18', '*', false],
      ['article-18', 'dek', true],
      ['article-19', '*', false],
      ['article-19', 'dek_two', true],
    ]);
    expect(cards.find((c) => c.recordId === 'article-18' && c.cell === '*')!.mine).toEqual({ slug: 'kept-eighteen' });
    core.resolveConflict('main', 'article-18', '*', { keep: 'mine' });
    core.resolveConflict('main', 'article-19', '*', { keep: 'mine' });
    expect(await core.sync()).toMatchObject({ problems: 0 });
    const slugs = (await suite.admin.ok<{ records: { nodes: { values: Record<string, unknown> }[] } }>('{ records(environment: "main", model: "article", first: 500) { nodes { values } } }')).records.nodes.map((r) => r.values);
    for (const slug of ['kept-eighteen', 'kept-nineteen']) {
      const made = slugs.filter((r) => r['slug'] === slug);
      expect(made).toHaveLength(1);
      expect(Object.keys(made[0]!)).not.toContain('dek');
      expect(Object.keys(made[0]!)).not.toContain('dek_two');
    }
    expect(core.conflicts('main').filter((c) => c.fieldDeleted).map((c) => c.mine).sort()).toEqual(['Mine, 18', 'Mine, 19']);
  });
});
