import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { DEMO_PASSWORD, DEMO_PROJECT_ID, DEMO_USERS } from '../../server/demo/seed';
import { exportProject } from '../../server/export';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';

let ts: TestServer;
let admin: TestClient;
let editor: TestClient;
beforeAll(async () => {
  ts = await startTestServer({ maxUploadBytes: 64 * 1024 });
  admin = await ts.client.login(DEMO_USERS.admin);
  editor = await ts.client.login(DEMO_USERS.editor);
});
afterAll(async () => ts.stop());

const SLOT = `mutation($folder: ID!, $name: String!, $size: Int!, $mime: String!, $sha: String!, $c: ID!) {
  createUploadSlot(environment: "main", folder: $folder, filename: $name, size: $size, mimeType: $mime, sha256: $sha, clientMutationId: $c) { slotId putUrl } }`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function slotFor(c: TestClient, bytes: Buffer, mime: string, opts: { size?: number; sha?: string; name?: string } = {}) {
  const d = await c.ok<{ createUploadSlot: { putUrl: string } }>(SLOT, {
    folder: 'editorial',
    name: opts.name ?? 'file.bin',
    size: opts.size ?? bytes.length,
    mime,
    sha: opts.sha ?? sha256(bytes),
    c: cmid(),
  });
  return d.createUploadSlot.putUrl;
}
async function put(c: TestClient | null, url: string, bytes: Buffer) {
  const res = await request(url, { method: 'PUT', dispatcher: editor.agent, headers: c?.token ? { authorization: `Bearer ${c.token}` } : {}, body: bytes });
  const text = await res.body.text();
  return { status: res.statusCode, body: text };
}

describe('uploads', () => {
  const text = Buffer.from('Plain notes for the editorial team.\n');
  it('verifies size and sha256, and is idempotent per slot', async () => {
    const url = await slotFor(editor, text, 'text/plain', { name: 'notes.txt' });
    expect((await put(editor, url, Buffer.concat([text, Buffer.from('extra')]))).status).toBe(400);
    expect((await put(editor, url, text.subarray(1))).status).toBe(400);
    const first = await put(editor, url, text);
    expect(first.status).toBe(201);
    const again = await put(editor, url, text);
    expect(again.status).toBe(201);
    expect(JSON.parse(again.body).id).toBe(JSON.parse(first.body).id);
    const wrongSha = await slotFor(editor, text, 'text/plain', { sha: 'a'.repeat(64) });
    expect(await put(editor, wrongSha, text)).toMatchObject({ status: 400 });
  });

  it('sniffs content: declared PNG that is text, and HTML, are refused', async () => {
    expect((await put(editor, await slotFor(editor, text, 'image/png', { name: 'fake.png' }), text)).body).toMatch(/does not look like image\/png/);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect(await editor.code(SLOT, { folder: 'editorial', name: 'x.html', size: html.length, mime: 'text/html', sha: sha256(html), c: cmid() })).toBeUndefined();
    expect((await put(editor, await slotFor(editor, html, 'text/html'), html)).status).toBe(400);
    expect((await put(editor, await slotFor(editor, html, 'text/plain'), html)).status).toBe(400);
  });

  it('401 without a token, 403 for another principal, 413 over the limit', async () => {
    const url = await slotFor(editor, text, 'text/plain');
    expect((await put(null, url, text)).status).toBe(401);
    expect((await put(admin, url, text)).status).toBe(403);
    const big = Buffer.alloc(65 * 1024, 'a');
    expect(await editor.code(SLOT, { folder: 'editorial', name: 'big.txt', size: big.length, mime: 'text/plain', sha: sha256(big), c: cmid() })).toBe('VALIDATION_FAILED');
    const small = await slotFor(editor, text, 'text/plain');
    expect((await put(editor, small, big)).status).toBe(413);
  });

  it('refuses path tricks in filenames and writes nothing', async () => {
    for (const name of ['../../etc/passwd', 'a/b.txt', '..', 'C:\\evil.txt', 'bad\u0000.txt']) {
      const r = await editor.gql(SLOT, { folder: 'editorial', name, size: text.length, mime: 'text/plain', sha: sha256(text), c: cmid() });
      expect(r.errors?.[0]?.extensions.code, name).toBe('VALIDATION_FAILED');
    }
    // Content-addressed store: every stored file is named by its hash, nothing else.
    const files = readdirSync(join(ts.dir, 'files'), { recursive: true }).map(String).filter((f) => !f.startsWith('tmp'));
    expect(files.filter((f) => f.includes('/')).every((f) => /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).toBe(true);
  });

  it('updates metadata per locale, moves and deletes assets', async () => {
    const url = await slotFor(editor, Buffer.from('move me\n'), 'text/plain');
    const asset = JSON.parse((await put(editor, url, Buffer.from('move me\n'))).body) as { id: string };
    const upd = await editor.ok<{ updateAsset: { metadata: Record<string, { alt: string }> } }>(
      'mutation($id: ID!, $c: ID!) { updateAsset(environment: "main", id: $id, metadata: { fr: { alt: "Texte" } }, clientMutationId: $c) { metadata } }',
      { id: asset.id, c: cmid() },
    );
    expect(upd.updateAsset.metadata.fr?.alt).toBe('Texte');
    expect(await editor.code('mutation($id: ID!, $c: ID!) { updateAsset(environment: "main", id: $id, metadata: { xx: { alt: "?" } }, clientMutationId: $c) { id } }', { id: asset.id, c: cmid() })).toBe('VALIDATION_FAILED');
    const moved = await editor.ok<{ moveAsset: { folder: string } }>('mutation($id: ID!, $c: ID!) { moveAsset(environment: "main", id: $id, folder: "legal", clientMutationId: $c) { folder } }', { id: asset.id, c: cmid() });
    expect(moved.moveAsset.folder).toBe('legal');
    expect((await editor.ok<{ deleteAsset: boolean }>('mutation($id: ID!, $c: ID!) { deleteAsset(environment: "main", id: $id, clientMutationId: $c) }', { id: asset.id, c: cmid() })).deleteAsset).toBe(true);
  });
});

describe('API tokens', () => {
  it('are shown once, scoped, never exceed the role, and die at once on rotation', async () => {
    const created = await admin.ok<{ createApiToken: { token: string; apiToken: { id: string; kind: string } } }>(
      'mutation($s: JSON!) { createApiToken(name: "staging reader", scope: $s) { token apiToken { id kind } } }',
      { s: { kind: 'custom', environments: ['staging'], recordRules: [{ effect: 'allow', models: ['article'], actions: ['read'] }], uploadRules: [] } },
    );
    expect(created.createApiToken.token).toMatch(/^ink_t_[A-Za-z0-9_-]{43}$/);
    const tok = admin.as(created.createApiToken.token);
    expect((await tok.ok<{ environments: { id: string }[] }>('{ environments { id } }')).environments.map((e) => e.id)).toEqual(['staging']);
    expect((await tok.ok<{ models: { id: string }[] }>('{ models(environment: "staging") { id } }')).models.map((m) => m.id)).toEqual(['article']);
    expect(await tok.code('{ records(environment: "staging", model: "author") { hasMore } }')).toBe('NOT_FOUND');
    expect(await tok.code('mutation($c: ID!) { updateRecord(environment: "staging", id: "article-01", baseVersion: 1, values: { slug: "x" }, clientMutationId: $c) { id } }', { c: cmid() })).toBe('FORBIDDEN');
    const listed = await admin.ok<{ apiTokens: { id: string; scope: unknown }[] }>('{ apiTokens { id scope } }');
    expect(JSON.stringify(listed)).not.toContain(created.createApiToken.token);

    const rotated = await admin.ok<{ rotateApiToken: { token: string } }>('mutation($id: ID!) { rotateApiToken(id: $id) { token } }', { id: created.createApiToken.apiToken.id });
    expect(await tok.code('{ environments { id } }')).toBe('UNAUTHENTICATED');
    expect(await admin.as(rotated.rotateApiToken.token).code('{ environments { id } }')).toBeUndefined();
    await admin.ok('mutation($id: ID!) { deleteApiToken(id: $id) }', { id: created.createApiToken.apiToken.id });
    expect(await admin.as(rotated.rotateApiToken.token).code('{ environments { id } }')).toBe('UNAUTHENTICATED');
  });

  it('read-only tokens read published content only', async () => {
    const created = await admin.ok<{ createApiToken: { token: string } }>('mutation { createApiToken(name: "site", scope: { kind: "read_only" }) { token } }');
    const ro = admin.as(created.createApiToken.token);
    // article-03 is a draft in the demo (every third article).
    expect((await ro.ok<{ record: null }>('{ record(environment: "main", id: "article-03") { id } }')).record).toBeNull();
    const pub = await ro.ok<{ record: { id: string } }>('{ record(environment: "main", id: "article-01") { id } }');
    expect(pub.record.id).toBe('article-01');
    const page = await ro.ok<{ records: { nodes: { status: string }[] } }>('{ records(environment: "main", model: "article", first: 100) { nodes { status } } }');
    expect(page.records.nodes.every((n) => n.status !== 'draft')).toBe(true);
    expect(await ro.code('mutation { createApiToken(name: "x", scope: { kind: "full_access" }) { token } }')).toBe('FORBIDDEN');
  });
});

describe('roles and collaborators', () => {
  it('invitation, a role change that takes effect on the next request, and removal that revokes sessions', async () => {
    const role = await admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', {
      i: { name: 'German translator', flags: {}, environmentsAccess: 'primary_only', recordRules: [{ effect: 'allow', models: 'all', actions: ['read'] }], uploadRules: [] },
    });
    const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation($r: ID!) { inviteCollaborator(email: "new.de@demo.test", role: $r) { token } }', { r: role.createRole.id });
    expect(await ts.client.code('mutation($t: String!) { acceptInvitation(token: $t, name: "Neu", password: "weak") { token } }', { t: inv.inviteCollaborator.token })).toBe('VALIDATION_FAILED');
    const accepted = await ts.client.ok<{ acceptInvitation: { token: string; viewer: { user: { id: string } } } }>(
      'mutation($t: String!) { acceptInvitation(token: $t, name: "Neu", password: "Strong-pass-9") { token viewer { user { id } } } }',
      { t: inv.inviteCollaborator.token },
    );
    const de = ts.client.as(accepted.acceptInvitation.token);
    const userId = accepted.acceptInvitation.viewer.user.id;
    const UPD = 'mutation($c: ID!) { updateRecord(environment: "main", id: "article-09", baseVersion: 999, values: { title: { de: "Regen" } }, clientMutationId: $c) { id } }';
    const fp1 = (await de.ok<{ viewer: { permissionsFingerprint: string } }>('{ viewer { permissionsFingerprint } }')).viewer.permissionsFingerprint;
    expect(await de.code(UPD, { c: cmid() })).toBe('FORBIDDEN');
    await admin.ok('mutation($id: ID!, $i: JSON!) { updateRole(id: $id, input: $i) { id } }', {
      id: role.createRole.id,
      i: {
        name: 'German translator',
        flags: {},
        environmentsAccess: 'primary_only',
        recordRules: [
          { effect: 'allow', models: 'all', actions: ['read'] },
          { effect: 'allow', models: ['article'], actions: ['update'], localizationScope: 'localized', locales: ['de'] },
        ],
        uploadRules: [],
      },
    });
    expect(await de.code(UPD, { c: cmid() })).toBe('STALE_VERSION');
    const fp2 = (await de.ok<{ viewer: { permissionsFingerprint: string } }>('{ viewer { permissionsFingerprint } }')).viewer.permissionsFingerprint;
    expect(fp2).not.toBe(fp1);

    expect(await admin.code('mutation { updateRole(id: "admin", input: { name: "x", flags: {}, environmentsAccess: "all", recordRules: [], uploadRules: [] }) { id } }')).toBe('FORBIDDEN');
    expect(await admin.code('mutation($id: ID!) { deleteRole(id: $id) }', { id: role.createRole.id })).toBe('CONFLICT');
    await admin.ok('mutation($u: ID!) { removeCollaborator(userId: $u) }', { u: userId });
    expect(await de.code('{ environments { id } }')).toBe('UNAUTHENTICATED');
    expect(await ts.client.code('mutation { login(email: "new.de@demo.test", password: "Strong-pass-9") { token } }')).toBe('INVALID_CREDENTIALS');
  });

  it('changing a role through changeCollaboratorRole is effective at once', async () => {
    const t = await ts.client.login(DEMO_USERS.translator);
    const collabs = await admin.ok<{ collaborators: { id: string; email: string }[] }>('{ collaborators { id email } }');
    const id = collabs.collaborators.find((c) => c.email === DEMO_USERS.translator)!.id;
    await admin.ok('mutation($u: ID!) { changeCollaboratorRole(userId: $u, role: "editor") }', { u: id });
    expect((await t.ok<{ environments: { id: string }[] }>('{ environments { id } }')).environments).toHaveLength(2);
    await admin.ok('mutation($u: ID!) { changeCollaboratorRole(userId: $u, role: "translator-fr") }', { u: id });
    expect((await t.ok<{ environments: { id: string }[] }>('{ environments { id } }')).environments).toHaveLength(1);
  });
});

describe('records: changes feed, versions, audit', () => {
  it('pages changes by cursor and reports deletes as tombstones', async () => {
    let cursor: string | null = null;
    let seen = 0;
    let pages = 0;
    for (;;) {
      const d: { changes: { changes: unknown[]; nextCursor: string; hasMore: boolean } } = await editor.ok(
        'query($s: String) { changes(environment: "main", since: $s, limit: 10) { changes { seq kind recordId record { id } } nextCursor hasMore } }',
        { s: cursor },
      );
      seen += d.changes.changes.length;
      pages++;
      cursor = d.changes.nextCursor;
      if (!d.changes.hasMore) break;
    }
    expect(seen).toBeGreaterThanOrEqual(38);
    expect(pages).toBeGreaterThan(3);
    const v = (await editor.ok<{ record: { version: number } }>('{ record(environment: "main", id: "author-8") { version } }')).record.version;
    await editor.ok('mutation($v: Int!, $c: ID!) { deleteRecord(environment: "main", id: "author-8", baseVersion: $v, clientMutationId: $c) }', { v, c: cmid() });
    const after = await editor.ok<{ changes: { changes: { kind: string; recordId: string; record: null }[]; hasMore: boolean } }>(
      'query($s: String) { changes(environment: "main", since: $s) { changes { kind recordId record { id } } hasMore } }',
      { s: cursor },
    );
    expect(after.changes.changes).toEqual([{ kind: 'DELETE', recordId: 'author-8', record: null }]);
  });

  it('keeps every version and restores one, checked per cell', async () => {
    const v = (await editor.ok<{ record: { version: number } }>('{ record(environment: "main", id: "article-10") { version } }')).record.version;
    await editor.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-10", baseVersion: $v, values: { title: { en: "Changed" } }, clientMutationId: $c) { id } }', { v, c: cmid() });
    const versions = await editor.ok<{ recordVersions: { version: number; values: { title: { en: string } } }[] }>('{ recordVersions(environment: "main", id: "article-10") { version values } }');
    expect(versions.recordVersions[0]!.values.title.en).toBe('Changed');
    const t = await ts.client.login(DEMO_USERS.translator);
    expect(await t.code('mutation($c: ID!) { restoreRecordVersion(environment: "main", id: "article-10", version: 1, clientMutationId: $c) { id } }', { c: cmid() })).toBe('FORBIDDEN');
    const restored = await editor.ok<{ restoreRecordVersion: { version: number; values: { title: { en: string } } } }>(
      'mutation($c: ID!) { restoreRecordVersion(environment: "main", id: "article-10", version: 1, clientMutationId: $c) { version values } }',
      { c: cmid() },
    );
    expect(restored.restoreRecordVersion.values.title.en).toBe('Markets, part 1');
    const log = await admin.ok<{ auditLog: { nodes: { action: string; userId: string }[] } }>('{ auditLog(recordId: "article-10") { nodes { action userId } } }');
    expect(log.auditLog.nodes.map((n) => n.action)).toEqual(['record.restore', 'record.update']);
  });

  it("restores a version as an edit held to today's model: an asset deleted since is refused, naming the cell, and nothing changes", async () => {
    await admin.ok('mutation { createEnvironment(id: "restore-sbx", from: "main") { id } }');
    const rec = async (id: string) => (await admin.ok<{ record: { version: number; values: Record<string, unknown> } }>('query($id: ID!) { record(environment: "restore-sbx", id: $id) { version values } }', { id })).record;
    const update = async (id: string, values: object) => admin.ok('mutation($id: ID!, $v: Int!, $b: JSON!, $c: ID!) { updateRecord(environment: "restore-sbx", id: $id, baseVersion: $v, values: $b, clientMutationId: $c) { id } }', { id, v: (await rec(id)).version, b: values, c: cmid() });
    const restore = (id: string, version: number) => admin.gql('mutation($id: ID!, $n: Int!, $c: ID!) { restoreRecordVersion(environment: "restore-sbx", id: $id, version: $n, clientMutationId: $c) { version values } }', { id, n: version, c: cmid() });

    // An article whose cover was deleted since: restoring the version naming it would bring back
    // a reference deleteAsset's guard keeps out; it is refused, naming the cell, and changes nothing.
    const article = await rec('article-04');
    const cover = article.values['cover'] as string;
    expect(cover).toBeTruthy();
    // An asset in use cannot be deleted: it is taken out of every record (and published so) first.
    const del = () => admin.gql('mutation($id: ID!, $c: ID!) { deleteAsset(environment: "restore-sbx", id: $id, clientMutationId: $c) }', { id: cover, c: cmid() });
    const inUse = await del();
    expect(inUse.errors?.[0]?.extensions.code).toBe('CONFLICT');
    for (const id of inUse.errors![0]!.extensions['records'] as string[]) {
      await update(id, { cover: null });
      await admin.ok('mutation($id: ID!, $c: ID!) { publishRecord(environment: "restore-sbx", id: $id, clientMutationId: $c) { id } }', { id, c: cmid() });
    }
    expect((await del()).data).toEqual({ deleteAsset: true });
    const before = await rec('article-04');
    const refused = await restore('article-04', article.version);
    expect(refused.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(refused.errors?.[0]?.extensions['fields']).toEqual({ cover: `no asset "${cover}" in restore-sbx` });
    expect(await rec('article-04')).toEqual(before);
    await admin.ok('mutation { deleteEnvironment(id: "restore-sbx") }');
  });
});

describe('environments and export', () => {
  it('forks, promotes (old primary becomes a sandbox) and deletes', async () => {
    await admin.ok('mutation { createEnvironment(id: "next", from: "main") { id } }');
    const rec = await admin.ok<{ record: { id: string } }>('{ record(environment: "next", id: "article-01") { id } }');
    expect(rec.record.id).toBe('article-01');
    const p = await admin.ok<{ promoteEnvironment: { primary: boolean } }>('mutation { promoteEnvironment(id: "next") { primary } }');
    expect(p.promoteEnvironment.primary).toBe(true);
    const envs = await admin.ok<{ environments: { id: string; primary: boolean }[] }>('{ environments { id primary } }');
    expect(envs.environments.find((e) => e.id === 'main')?.primary).toBe(false);
    expect(await admin.code('mutation { deleteEnvironment(id: "next") }')).toBe('CONFLICT');
    await admin.ok('mutation { promoteEnvironment(id: "main") { id } }');
    expect((await admin.ok<{ deleteEnvironment: boolean }>('mutation { deleteEnvironment(id: "next") }')).deleteEnvironment).toBe(true);
  });

  it('a fork carries the role rules that name its source, and a delete takes them away', async () => {
    const rules = {
      name: 'Main reviewer',
      flags: {},
      environmentsAccess: 'all',
      recordRules: [{ effect: 'allow', models: 'all', actions: ['read'], environment: 'main' }],
      uploadRules: [{ effect: 'allow', actions: ['read'], folders: 'all', environment: 'main' }],
    };
    const role = await admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', { i: rules });
    const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation($r: ID!) { inviteCollaborator(email: "reviewer@demo.test", role: $r) { token } }', { r: role.createRole.id });
    const accepted = await ts.client.ok<{ acceptInvitation: { token: string } }>(
      'mutation($t: String!) { acceptInvitation(token: $t, name: "Rev", password: "Strong-pass-9") { token } }',
      { t: inv.inviteCollaborator.token },
    );
    const reviewer = ts.client.as(accepted.acceptInvitation.token);
    // An unreadable record reads as null, exactly like a missing one.
    const read = async (env: string) => (await reviewer.ok<{ record: { id: string } | null }>(`{ record(environment: "${env}", id: "article-01") { id } }`)).record;
    const definition = async () =>
      (await admin.ok<{ roles: { id: string; definition: { recordRules: { environment: string }[]; uploadRules: { environment: string }[] } }[] }>('{ roles { id definition } }')).roles.find(
        (r) => r.id === role.createRole.id,
      )!.definition;

    expect(await read('staging')).toBeNull();
    await admin.ok('mutation { createEnvironment(id: "review", from: "main") { id } }');
    expect(await read('review')).toEqual({ id: 'article-01' });
    expect(await read('staging')).toBeNull();
    const forked = await definition();
    expect(forked.recordRules.map((r) => r.environment)).toEqual(['main', 'review']);
    expect(forked.uploadRules.map((r) => r.environment)).toEqual(['main', 'review']);
    // A fork of a sandbox the role has no rule for adds nothing.
    await admin.ok('mutation { createEnvironment(id: "scratch", from: "staging") { id } }');
    expect((await definition()).recordRules).toHaveLength(2);

    await admin.ok('mutation { deleteEnvironment(id: "review") }');
    await admin.ok('mutation { deleteEnvironment(id: "scratch") }');
    expect((await definition()).recordRules.map((r) => r.environment)).toEqual(['main']);
    await admin.ok('mutation { createEnvironment(id: "review", from: "staging") { id } }');
    expect(await read('review')).toBeNull();
    await admin.ok('mutation { deleteEnvironment(id: "review") }');
  });

  it('exports the whole project as JSON + files, with no secret in it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'inkstone-export-'));
    const r = exportProject(ts.server.db, ts.dir, DEMO_PROJECT_ID, out);
    expect(r.records).toBeGreaterThan(70);
    expect(r.files).toBeGreaterThan(3);
    const json = readFileSync(join(out, 'project.json'), 'utf8');
    const data = JSON.parse(json) as { project: { name: string }; environments: { id: string; records: unknown[] }[] };
    expect(data.project.name).toBe('Demo Magazine');
    expect(data.environments.map((e) => e.id).sort()).toEqual(['main', 'staging']);
    expect(json).not.toMatch(/\$argon2|password|ink_[st]_/);
    expect(json).not.toContain(DEMO_PASSWORD);
    expect(existsSync(join(out, 'files'))).toBe(true);
  });
});
