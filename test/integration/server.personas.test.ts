import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';
import type { EffectivePermissions } from '../../shared/permissions';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => ts.stop());

const RECORD = 'query($env: ID!, $id: ID!) { record(environment: $env, id: $id) { id version status values createdBy } }';
const UPDATE = `mutation($env: ID!, $id: ID!, $v: Int!, $values: JSON!, $c: ID!) {
  updateRecord(environment: $env, id: $id, baseVersion: $v, values: $values, clientMutationId: $c) { id version status values } }`;
const CREATE = `mutation($env: ID!, $model: ID!, $id: ID, $values: JSON!, $c: ID!) {
  createRecord(environment: $env, model: $model, id: $id, values: $values, clientMutationId: $c) { id version status createdBy } }`;
const PUBLISH = 'mutation($env: ID!, $id: ID!, $c: ID!) { publishRecord(environment: $env, id: $id, clientMutationId: $c) { version status publishedVersion } }';
const DELETE = 'mutation($env: ID!, $id: ID!, $v: Int!, $c: ID!) { deleteRecord(environment: $env, id: $id, baseVersion: $v, clientMutationId: $c) }';
const SLOT = `mutation($env: ID!, $folder: ID!, $name: String!, $size: Int!, $mime: String!, $sha: String!, $c: ID!) {
  createUploadSlot(environment: $env, folder: $folder, filename: $name, size: $size, mimeType: $mime, sha256: $sha, clientMutationId: $c) { slotId putUrl } }`;

async function version(c: TestClient, env: string, id: string): Promise<number> {
  const d = await c.ok<{ record: { version: number } }>(RECORD, { env, id });
  return d.record.version;
}

describe('admin', () => {
  it('sees every environment and may edit the schema', async () => {
    const admin = await ts.client.login(DEMO_USERS.admin);
    const d = await admin.ok<{ environments: { id: string; primary: boolean }[]; viewer: { permissions: EffectivePermissions } }>(
      '{ environments { id primary } viewer { permissions } }',
    );
    expect(d.environments).toEqual([
      { id: 'main', primary: true },
      { id: 'staging', primary: false },
    ]);
    expect(d.viewer.permissions.flags.canEditSchema).toBe(true);
    const m = await admin.ok<{ createModel: { apiKey: string } }>('mutation { createModel(environment: "staging", apiKey: "page", name: "Page") { apiKey } }');
    expect(m.createModel.apiKey).toBe('page');
  });
});

describe('editor', () => {
  it('creates, edits, publishes and deletes records in both environments, but holds no flag', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    for (const env of ['main', 'staging']) {
      const id = `ed-${env}-${Date.now()}`;
      const created = await editor.ok<{ createRecord: { version: number; status: string } }>(CREATE, {
        env,
        model: 'author',
        id,
        values: { name: 'New Author', bio: { en: 'Hi' } },
        c: cmid(),
      });
      expect(created.createRecord).toMatchObject({ version: 1, status: 'draft' });
      const upd = await editor.ok<{ updateRecord: { version: number } }>(UPDATE, { env, id, v: 1, values: { bio: { de: 'Hallo' } }, c: cmid() });
      expect(upd.updateRecord.version).toBe(2);
      const pub = await editor.ok<{ publishRecord: { status: string; publishedVersion: number } }>(PUBLISH, { env, id, c: cmid() });
      expect(pub.publishRecord).toMatchObject({ status: 'published', publishedVersion: 3 });
      expect((await editor.ok<{ deleteRecord: boolean }>(DELETE, { env, id, v: 3, c: cmid() })).deleteRecord).toBe(true);
      expect((await editor.ok<{ record: null }>(RECORD, { env, id })).record).toBeNull();
    }
    expect(await editor.code('mutation { createModel(environment: "main", apiKey: "nope", name: "Nope") { id } }')).toBe('FORBIDDEN');
    expect(await editor.code('{ roles { id } }')).toBe('FORBIDDEN');
  });
});

describe('French translator', () => {
  let t: TestClient;
  beforeAll(async () => {
    t = await ts.client.login(DEMO_USERS.translator);
  });

  it('is told, in effective permissions, that only fr cells are writable and only main is reachable', async () => {
    const d = await t.ok<{ viewer: { role: { name: string }; permissions: EffectivePermissions } }>('{ viewer { role { name } permissions } }');
    expect(d.viewer.role.name).toBe('French translator');
    expect(Object.keys(d.viewer.permissions.environments)).toEqual(['main']);
    const article = d.viewer.permissions.environments['main']!.models['article']!;
    expect(article.update.others.cells).toEqual(['title.fr', 'body.fr']);
    expect(article.create).toEqual({ record: false, cells: [] });
    expect(article.publish).toEqual({ own: false, others: false });
    expect(article.read).toEqual({ own: true, others: true });
  });

  it('edits title.fr; an en edit, a slug edit and a mixed edit are refused whole', async () => {
    const v = await version(t, 'main', 'article-02');
    const ok = await t.ok<{ updateRecord: { version: number; values: { title: Record<string, string> } } }>(UPDATE, {
      env: 'main',
      id: 'article-02',
      v,
      values: { title: { fr: 'Le port, partie 1' } },
      c: cmid(),
    });
    expect(ok.updateRecord.version).toBe(v + 1);
    expect(ok.updateRecord.values.title).toMatchObject({ fr: 'Le port, partie 1', en: 'Harbour, part 1' });

    for (const values of [{ title: { en: 'Harbour!' } }, { slug: 'harbour' }, { title: { fr: 'Port', de: 'Hafen' } }]) {
      const r = await t.gql(UPDATE, { env: 'main', id: 'article-02', v: v + 1, values, c: cmid() });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_ALLOW_RULE' });
      expect(r.errors?.[0]?.extensions['cell']).toMatch(/^(title\.en|slug|title\.de)$/);
    }
    const after = await t.ok<{ record: { version: number; values: { title: Record<string, string> } } }>(RECORD, { env: 'main', id: 'article-02' });
    expect(after.record.version).toBe(v + 1);
    expect(after.record.values.title.fr).toBe('Le port, partie 1');
  });

  it('may not create, publish or delete, and does not see staging', async () => {
    expect(await t.code(CREATE, { env: 'main', model: 'author', values: { name: 'X' }, c: cmid() })).toBe('FORBIDDEN');
    expect(await t.code(PUBLISH, { env: 'main', id: 'article-03', c: cmid() })).toBe('FORBIDDEN');
    expect(await t.code(DELETE, { env: 'main', id: 'article-03', v: 1, c: cmid() })).toBe('FORBIDDEN');
    expect(await t.code('{ models(environment: "staging") { id } }')).toBe('NOT_FOUND');
    expect((await t.ok<{ environments: { id: string }[] }>('{ environments { id } }')).environments.map((e) => e.id)).toEqual(['main']);
  });
});

describe('media manager', () => {
  it('uploads into /Marketing/Campaigns and not into /Legal; sees only the Marketing folders', async () => {
    const media = await ts.client.login(DEMO_USERS.media);
    const folders = await media.ok<{ folders: { id: string; path: string }[] }>('{ folders(environment: "main") { id path } }');
    expect(folders.folders.map((f) => f.path)).toEqual(['/Marketing', '/Marketing/Campaigns']);

    const bytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const vars = { env: 'main', name: 'banner.png', size: bytes.length, mime: 'image/png', sha };
    const slot = await media.ok<{ createUploadSlot: { slotId: string; putUrl: string } }>(SLOT, { ...vars, folder: 'campaigns', c: cmid() });
    const put = await request(slot.createUploadSlot.putUrl, { method: 'PUT', dispatcher: media.agent, headers: { authorization: `Bearer ${media.token}` }, body: bytes });
    expect(put.statusCode).toBe(201);
    const asset = (await put.body.json()) as { folder: string; sha256: string; filename: string };
    expect(asset).toMatchObject({ folder: 'campaigns', sha256: sha, filename: 'banner.png' });
    const listed = await media.ok<{ assets: { nodes: { id: string }[] } }>('{ assets(environment: "main", folder: "campaigns") { nodes { id } } }');
    expect(listed.assets.nodes.length).toBeGreaterThan(4);

    expect(await media.code(SLOT, { ...vars, folder: 'legal', c: cmid() })).toBe('NOT_FOUND');
    expect(await media.code(SLOT, { ...vars, env: 'staging', folder: 'campaigns', c: cmid() })).toBe('NOT_FOUND');
    expect(await media.code(UPDATE, { env: 'main', id: 'article-01', v: 1, values: { slug: 'x' }, c: cmid() })).toBe('FORBIDDEN');
  });
});

describe('sandbox developer', () => {
  it('never reaches main, and edits schema and records in sandboxes', async () => {
    const dev = await ts.client.login(DEMO_USERS.developer);
    const d = await dev.ok<{ environments: { id: string }[]; viewer: { permissions: EffectivePermissions } }>('{ environments { id } viewer { permissions } }');
    expect(d.environments.map((e) => e.id)).toEqual(['staging']);
    expect(Object.keys(d.viewer.permissions.environments)).toEqual(['staging']);
    expect(await dev.code(RECORD, { env: 'main', id: 'article-01' })).toBe('NOT_FOUND');
    expect(await dev.code(UPDATE, { env: 'main', id: 'article-01', v: 1, values: { slug: 'x' }, c: cmid() })).toBe('NOT_FOUND');
    expect(await dev.code('mutation { createModel(environment: "main", apiKey: "x", name: "X") { id } }')).toBe('NOT_FOUND');
    const m = await dev.ok<{ createModel: { id: string } }>('mutation { createModel(environment: "staging", apiKey: "promo", name: "Promo") { id } }');
    const f = await dev.ok<{ createField: { fields: { apiKey: string }[] } }>(
      'mutation($m: ID!) { createField(environment: "staging", model: $m, field: { apiKey: "headline", label: "Headline", type: "string", localized: true, required: false }) { fields { apiKey } } }',
      { m: m.createModel.id },
    );
    expect(f.createField.fields.map((x) => x.apiKey)).toEqual(['headline']);
    const fork = await dev.ok<{ createEnvironment: { id: string; primary: boolean; forkedFrom: string } }>(
      'mutation { createEnvironment(id: "dev-sandbox", from: "staging") { id primary forkedFrom } }',
    );
    expect(fork.createEnvironment).toEqual({ id: 'dev-sandbox', primary: false, forkedFrom: 'staging' });
    expect(await dev.code('mutation { createEnvironment(id: "from-main", from: "main") { id } }')).toBe('NOT_FOUND');
    expect(await dev.code('mutation { promoteEnvironment(id: "staging") { id } }')).toBe('FORBIDDEN');
  });
});
