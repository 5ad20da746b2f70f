import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';

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
const feed = async (since: string | null) =>
  (
    await admin.ok<{ changes: { changes: { recordId: string; record: Rec | null }[]; nextCursor: string; hasMore: boolean } }>(
      'query($s: String) { changes(environment: "main", since: $s, limit: 1000) { changes { recordId record { version values } } nextCursor hasMore } }',
      { s: since },
    )
  ).changes;

describe('deleting a field', () => {
  it('takes its values out of every record, published copy too: the records publish again, sync without them, and a new field of the same key starts empty', async () => {
    await addField('subtitle', 'string');
    const before = await record('article-03');
    await update('article-03', before.version, { subtitle: 'Old words' });
    await admin.ok(PUBLISH, { id: 'article-03', c: cmid() });
    const published = await record('article-03');
    expect(published.values['subtitle']).toBe('Old words');
    const cursor = (await feed(null)).nextCursor;

    const deleted = await admin.ok<{ deleteField: { fields: { apiKey: string }[] } }>('mutation { deleteField(environment: "main", model: "article", field: "subtitle") { fields { apiKey } } }');
    expect(deleted.deleteField.fields.map((f) => f.apiKey)).not.toContain('subtitle');

    // Gone from the record, its version kept (nobody's edit was undone); syncing clients hear of it.
    const after = await record('article-03');
    expect(after.values).not.toHaveProperty('subtitle');
    expect(after.version).toBe(published.version);
    const news = await feed(cursor);
    expect(news.changes.map((c) => c.recordId)).toEqual(['article-03']);
    expect(news.changes[0]!.record!.values).not.toHaveProperty('subtitle');

    // It publishes again (it was refused: "unknown field subtitle"), and what is live lacks it too.
    const next = await update('article-03', after.version, { slug: 'typography-part-1-again' });
    expect(await admin.code(PUBLISH, { id: 'article-03', c: cmid() })).toBeUndefined();
    expect(next.updateRecord.values).not.toHaveProperty('subtitle');

    // A new field of the same key, of another type, does not inherit the old string.
    await addField('subtitle', 'integer');
    expect((await record('article-03')).values).not.toHaveProperty('subtitle');
    const audit = await admin.ok<{ auditLog: { nodes: { action: string; details: Record<string, unknown> | null }[] } }>('{ auditLog(first: 50) { nodes { action details } } }');
    expect(audit.auditLog.nodes.find((n) => n.action === 'field.delete')?.details).toEqual({ field: 'subtitle', records: 1 });
  });
});
