import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { request } from 'undici';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';
import { createToken } from '../support/security';

let ts: TestServer;
let admin: TestClient;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
});
afterAll(async () => ts.stop());

type Rec = { version: number; values: Record<string, unknown> };
const record = async (id: string) => (await admin.ok<{ record: Rec }>('query($id: ID!) { record(environment: "main", id: $id) { version values } }', { id })).record;
const update = (id: string, v: number, values: Record<string, unknown>) =>
  admin.ok<{ updateRecord: Rec }>('mutation($id: ID!, $v: Int!, $b: JSON!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: $b, clientMutationId: $c) { version values } }', {
    id,
    v,
    b: values,
    c: cmid(),
  });
const PUBLISH = 'mutation($id: ID!, $c: ID!) { publishRecord(environment: "main", id: $id, clientMutationId: $c) { version } }';
const addField = (apiKey: string, type: string) =>
  admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', { f: { apiKey, label: apiKey, type, localized: false, required: false } });
/** Every record's values as one reader gets them: from `record`, from `changes` and from the snapshot stream. */
async function everyRead(client: TestClient, id: string): Promise<Record<string, unknown>[]> {
  const one = (await client.ok<{ record: Rec }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record.values;
  const feed = await client.ok<{ changes: { changes: { recordId: string; record: Rec | null }[] } }>(
    '{ changes(environment: "main", limit: 1000) { changes { recordId record { values } } } }',
  );
  const fromFeed = feed.changes.changes.find((c) => c.recordId === id)!.record!.values;
  const res = await request(`${ts.server.origin}/sync/snapshot?environment=main`, { dispatcher: ts.client.agent, headers: { authorization: `Bearer ${client.token}` } });
  const lines = (await res.body.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { record?: { id: string; values: Record<string, unknown> } });
  const fromSnapshot = lines.find((l) => l.record?.id === id)!.record!.values;
  return [one, fromFeed, fromSnapshot];
}

describe('deleting a field', () => {
  it('leaves no record unpublishable and serves its values nowhere: not checked, published or read; each record drops them when written; no new field inherits them', async () => {
    await addField('subtitle', 'string');
    for (const id of ['article-03', 'article-04']) await update(id, (await record(id)).version, { subtitle: 'Old words' });
    await admin.ok(PUBLISH, { id: 'article-03', c: cmid() });
    await admin.ok(PUBLISH, { id: 'article-04', c: cmid() });
    const site = await createToken(admin, { kind: 'read_only' }, 'site');
    expect((await everyRead(site.client, 'article-04')).map((v) => v['subtitle'])).toEqual(['Old words', 'Old words', 'Old words']);

    const deleted = await admin.ok<{ deleteField: { fields: { apiKey: string }[] } }>('mutation { deleteField(environment: "main", model: "article", field: "subtitle") { fields { apiKey } } }');
    expect(deleted.deleteField.fields.map((f) => f.apiKey)).not.toContain('subtitle');

    // Not served: not to editors, not to the site's read-only token, from no read path.
    for (const reader of [admin, site.client]) for (const values of await everyRead(reader, 'article-04')) expect(values).not.toHaveProperty('subtitle');

    // Publishing checked the whole record against today's model: "unknown field subtitle", for good.
    expect(await admin.code(PUBLISH, { id: 'article-03', c: cmid() })).toBeUndefined();
    expect((await record('article-03')).values).not.toHaveProperty('subtitle');
    // An edit of another cell writes the record without it.
    const other = await record('article-04');
    expect((await update('article-04', other.version, { slug: 'night-trains-again' })).updateRecord.values).not.toHaveProperty('subtitle');

    // The key is retired: a new field under it would have shown the old strings, whatever its type.
    expect(await admin.code('mutation($f: JSON!) { createField(environment: "main", model: "article", field: $f) { id } }', { f: { apiKey: 'subtitle', label: 'Subtitle', type: 'integer', localized: false, required: false } })).toBe('CONFLICT');
    await addField('subtitle_count', 'integer');
    const audit = await admin.ok<{ auditLog: { nodes: { action: string; details: Record<string, unknown> | null }[] } }>('{ auditLog(first: 50) { nodes { action details } } }');
    expect(audit.auditLog.nodes.find((n) => n.action === 'field.delete')?.details).toEqual({ field: 'subtitle' });
  });

  it('a create sent again by its creator after a field of it was deleted answers without the deleted field', async () => {
    await addField('kicker', 'string');
    const CREATE = 'mutation($id: ID!, $v: JSON!, $c: ID!) { createRecord(environment: "main", model: "article", id: $id, values: $v, clientMutationId: $c) { id values } }';
    const body = { en: { schema: 'dast', document: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'span', value: 'Twice.' }] }] } } };
    const values = { title: { en: 'Sent twice' }, slug: 'sent-twice', body };
    await admin.ok(CREATE, { id: 'sent-twice', v: { ...values, kicker: 'Gone soon' }, c: cmid() });
    await admin.ok('mutation { deleteField(environment: "main", model: "article", field: "kicker") { id } }');
    // The same record from the same creator (a new mutation id: its first answer was lost and the
    // client built the create again from today's model): the record as it is served everywhere.
    const again = await admin.ok<{ createRecord: { id: string; values: Record<string, unknown> } }>(CREATE, { id: 'sent-twice', v: values, c: cmid() });
    expect(again.createRecord.values).toEqual(values);
    expect((await record('sent-twice')).values).toEqual(values);
  });

  it('a mutation replayed by its clientMutationId after a field was deleted answers without the field', async () => {
    await admin.ok('mutation($f: JSON!) { createField(environment: "main", model: "author", field: $f) { id } }', { f: { apiKey: 'nick', label: 'Nick', type: 'string', localized: false, required: false } });
    const CREATE = 'mutation($v: JSON!, $c: ID!) { createRecord(environment: "main", model: "author", id: "author-nick", values: $v, clientMutationId: $c) { values } }';
    const created = { v: { name: 'Nick Named', nick: 'Secret' }, c: cmid() };
    await admin.ok(CREATE, created);
    const { version } = (await admin.ok<{ record: Rec }>('{ record(environment: "main", id: "author-nick") { version } }')).record;
    const UPDATE = 'mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "author-nick", baseVersion: $v, values: { nick: "Updated" }, clientMutationId: $c) { values } }';
    const updated = { v: version, c: cmid() };
    await admin.ok(UPDATE, updated);
    await admin.ok('mutation { deleteField(environment: "main", model: "author", field: "nick") { id } }');
    // The same requests again (their answers lost): the first results, as the record is served now.
    expect((await admin.ok<{ createRecord: Rec }>(CREATE, created)).createRecord.values).toEqual({ name: 'Nick Named' });
    expect((await admin.ok<{ updateRecord: Rec }>(UPDATE, updated)).updateRecord.values).toEqual({ name: 'Nick Named' });
  });
});
