import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { DEMO_USERS, seedDemo } from '../../server/demo/seed';
import { bodyToDast } from '../../server/store/body-to-dast';
import { MIGRATIONS } from '../../server/store/migrations';
import { migrate } from '../../shared/store/migrate';
import { FileStore } from '../../server/uploads/filestore';
import { startServer } from '../../server/http/server';
import { dastProblem, dastToText } from '../../shared/domain';
import type { DastDocument } from '../../shared/domain';
import { cmid, startTestServer, TestClient, type TestServer } from '../support/server';

let ts: TestServer;
let admin: TestClient;
let editor: TestClient;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
  editor = await ts.client.login(DEMO_USERS.editor);
});
afterAll(async () => ts.stop());

const UPDATE = `mutation($id: ID!, $v: Int!, $values: JSON!, $c: ID!) {
  updateRecord(environment: "main", id: $id, baseVersion: $v, values: $values, clientMutationId: $c) { version values } }`;
const CREATE = `mutation($env: ID!, $values: JSON!, $c: ID!) { createRecord(environment: $env, model: "article", values: $values, clientMutationId: $c) { id values } }`;
const RECORD = 'query($id: ID!) { record(environment: "main", id: $id) { version values } }';
const MODELS = 'query($env: ID!) { models(environment: $env) { apiKey fields { apiKey type } } }';

const para = (text: string) => ({ type: 'paragraph', children: [{ type: 'span', value: text }] });
const doc = (...children: unknown[]) => ({ schema: 'dast', document: { type: 'root', children } });
type RecordData = { record: { version: number; values: Record<string, Record<string, unknown>> } };

describe('structured_text through the API', () => {
  it('the demo Article body is structured text holding valid DAST in every locale', async () => {
    const { models } = await editor.ok<{ models: { apiKey: string; fields: { apiKey: string; type: string }[] }[] }>(MODELS, { env: 'main' });
    expect(models.find((m) => m.apiKey === 'article')!.fields.find((f) => f.apiKey === 'body')!.type).toBe('structured_text');
    const { record } = await editor.ok<RecordData>(RECORD, { id: 'article-01' });
    for (const locale of ['en', 'fr', 'de']) expect(dastProblem(record.values['body']![locale])).toBeNull();
    expect(JSON.stringify(record.values['body']!['en'])).toMatch(/"type":"heading".*"type":"list".*"type":"link"/);
  });

  it('takes a DAST cell and serves it back unchanged; refuses a bad one with VALIDATION_FAILED naming the cell', async () => {
    const { record } = await editor.ok<RecordData>(RECORD, { id: 'article-02' });
    const body = doc({ type: 'heading', level: 1, children: [{ type: 'span', value: 'Hi', marks: ['strong'] }] }, para('there'));
    const r = await editor.ok<{ updateRecord: { version: number; values: RecordData['record']['values'] } }>(UPDATE, { id: 'article-02', v: record.version, values: { body: { fr: body } }, c: cmid() });
    expect(r.updateRecord.values['body']!['fr']).toEqual(body);
    expect(r.updateRecord.values['body']!['en']).toEqual(record.values['body']!['en']);

    const bad = await editor.gql(UPDATE, { id: 'article-02', v: r.updateRecord.version, values: { body: { en: doc({ type: 'block', item: 'x' }) } }, c: cmid() });
    expect(bad.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(bad.errors?.[0]?.message).toMatch(/body\.en .*not a supported node/);
    const text = await editor.gql(UPDATE, { id: 'article-02', v: r.updateRecord.version, values: { body: { en: 'plain text' } }, c: cmid() });
    expect(text.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect((await editor.ok<RecordData>(RECORD, { id: 'article-02' })).record.version).toBe(r.updateRecord.version);
  });

  it('a required body that is an empty document is refused at create', async () => {
    const r = await editor.gql(CREATE, { env: 'main', values: { title: { en: 'Empty' }, body: { en: doc(para('')) } }, c: cmid() });
    expect(r.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(r.errors?.[0]?.message).toMatch(/body\.en is required/);
  });

  it('a hostile document (huge, or deep, within the body limit) is VALIDATION_FAILED, fast', async () => {
    const { record } = await editor.ok<RecordData>(RECORD, { id: 'article-03' });
    const wide = { schema: 'dast', document: { type: 'root', children: Array.from({ length: 30_000 }, () => ({ type: 'thematicBreak' })) } };
    // Written out by hand: JSON.stringify itself overflows the stack on a document this deep.
    const levels = 12_000;
    const deep = `{"schema":"dast","document":{"type":"root","children":[${'{"type":"list","style":"bulleted","children":[{"type":"listItem","children":['.repeat(levels)}${JSON.stringify(para('x'))}${']}]}'.repeat(levels)}]}}`;
    let lists: unknown = para('x');
    for (let i = 0; i < 13; i++) lists = { type: 'list', style: 'bulleted', children: [{ type: 'listItem', children: [lists] }] };
    for (const [cell, reason] of [
      [JSON.stringify(wide), /body\.en is too large/],
      [deep, /JSON is nested too deeply/],
      [JSON.stringify(doc(lists)), /body\.en is nested too deeply: more than 24 levels/],
    ] as const) {
      const started = performance.now();
      const variables = `{"id":"article-03","v":${record.version},"c":"${cmid()}","values":{"body":{"en":${cell}}}}`;
      const res = await request(ts.server.url, {
        method: 'POST',
        dispatcher: editor.agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${editor.token}` },
        body: `{"query":${JSON.stringify(UPDATE)},"variables":${variables}}`,
      });
      const r = (await res.body.json()) as { errors?: { message: string; extensions: { code?: string } }[] };
      const ms = performance.now() - started;
      expect(r.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
      expect(r.errors?.[0]?.message).toMatch(reason);
      expect(r.errors?.[0]?.message.length).toBeLessThan(500);
      expect(ms).toBeLessThan(1_500);
    }
    expect((await editor.ok<{ viewer: { role: { id: string } } }>('{ viewer { role { id } } }')).viewer.role.id).toBe('editor');
  });

  it('a schema editor may add a structured_text field', async () => {
    const r = await admin.ok<{ createField: { fields: { apiKey: string; type: string }[] } }>(
      'mutation($f: JSON!) { createField(environment: "main", model: "author", field: $f) { fields { apiKey type } } }',
      { f: { apiKey: 'long_bio', label: 'Long bio', type: 'structured_text', localized: false, required: false } },
    );
    expect(r.createField.fields.at(-1)).toEqual({ apiKey: 'long_bio', type: 'structured_text' });
  });
});

describe('the migration of a demo database made before structured text', () => {
  it('turns the text body (field type, current, published and past values, every environment) into DAST, and feeds the change to clients', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-oldbody-'));
    try {
      // A database at the schema version before this step, with the demo as the old seed wrote it.
      const db = new Database(join(dir, 'inkstone.sqlite'));
      migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(bodyToDast)), 'old');
      await seedDemo(db, new FileStore(join(dir, 'files')));
      const oldBody = (id: string) => ({ en: `Notes on ${id}.\n\nSecond paragraph.`, fr: `Notes sur ${id}.`, de: null });
      const toOld = (data: string, id: string) => JSON.stringify({ ...JSON.parse(data), body: oldBody(id) });
      for (const m of db.prepare("SELECT environment, definition FROM models WHERE id = 'article'").all() as { environment: string; definition: string }[]) {
        const def = JSON.parse(m.definition) as { fields: { apiKey: string; type: string }[] };
        def.fields.find((f) => f.apiKey === 'body')!.type = 'text';
        db.prepare("UPDATE models SET definition = ? WHERE environment = ? AND id = 'article'").run(JSON.stringify(def), m.environment);
      }
      for (const r of db.prepare("SELECT environment, id, data, published_data FROM records WHERE model_id = 'article'").all() as { environment: string; id: string; data: string; published_data: string | null }[]) {
        db.prepare('UPDATE records SET data = ?, published_data = ? WHERE environment = ? AND id = ?').run(toOld(r.data, r.id), r.published_data && toOld(r.published_data, r.id), r.environment, r.id);
        db.prepare('UPDATE record_versions SET data = ? WHERE environment = ? AND record_id = ?').run(toOld(r.data, r.id), r.environment, r.id);
      }
      const cursorBefore = (db.prepare("SELECT seq FROM environments WHERE id = 'main'").get() as { seq: number }).seq;
      db.close();

      const server = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true });
      try {
        const ed = await new TestClient(server).login(DEMO_USERS.editor);
        for (const env of ['main', 'staging']) {
          const { models } = await ed.ok<{ models: { apiKey: string; fields: { apiKey: string; type: string }[] }[] }>(MODELS, { env });
          expect(models.find((m) => m.apiKey === 'article')!.fields.find((f) => f.apiKey === 'body')!.type).toBe('structured_text');
        }
        const { record } = await ed.ok<RecordData>(RECORD, { id: 'article-01' });
        const en = record.values['body']!['en'] as DastDocument;
        expect(dastProblem(en)).toBeNull();
        expect(en.document.children).toHaveLength(2);
        expect(dastToText(en)).toBe('Notes on article-01.\n\nSecond paragraph.');
        expect(record.values['body']!['de']).toBeNull();
        const versions = await ed.ok<{ recordVersions: { values: RecordData['record']['values'] }[] }>('{ recordVersions(environment: "main", id: "article-01") { values } }');
        expect(versions.recordVersions.every((v) => dastProblem(v.values['body']!['fr']) === null)).toBe(true);
        const feed = await ed.ok<{ changes: { changes: { recordId: string }[] } }>('query($s: String) { changes(environment: "main", since: $s, limit: 100) { changes { recordId } } }', { s: String(cursorBefore) });
        expect(feed.changes.changes.filter((c) => c.recordId.startsWith('article-'))).toHaveLength(30);
        // The migrated values pass the server's own checks: publishing one works.
        const pub = await ed.gql('mutation { publishRecord(environment: "main", id: "article-03", clientMutationId: "pub-old-body") { status } }');
        expect(pub.errors).toBeUndefined();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
