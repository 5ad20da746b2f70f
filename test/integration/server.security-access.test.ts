/**
 * Issue 9, access rows: each test replays one break of the outside attack against the real
 * server over TLS and checks it stays closed (A, B, F and the "also weak" reads and writes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { currentTotp } from '../../server/auth/totp';
import { startTestServer, type TestClient, type TestServer } from '../support/server';
import { CREATE_RECORD, DELETE_RECORD, UPDATE_RECORD, cmid, collaboratorWithRole, createToken } from '../support/security';

let ts: TestServer;
let admin: TestClient;
let editor: TestClient;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
  editor = await ts.client.login(DEMO_USERS.editor);
});
afterAll(async () => ts.stop());

const READ_ALL = [{ effect: 'allow', models: 'all', actions: ['read'] }];
type AuditNode = { action: string; environment: string | null; targetId: string | null; details: Record<string, unknown> };
const AUDIT = 'query($r: ID) { auditLog(first: 500, recordId: $r) { nodes { action environment targetId details } } }';
const audit = async (c: TestClient, recordId: string | null = null) => (await c.ok<{ auditLog: { nodes: AuditNode[] } }>(AUDIT, { r: recordId })).auditLog.nodes;

describe('A: token management acts on the caller’s own tokens, Admin excepted and audited', () => {
  it('a token manager cannot list, rotate or delete the Admin’s token; the Admin acting on theirs is audited', async () => {
    const keeper = await collaboratorWithRole(admin, { name: 'Token keeper', flags: { canManageApiTokens: true } as never, recordRules: READ_ALL as never });
    const adminToken = await createToken(admin, { kind: 'full_access' }, 'admin deploy');
    const own = await createToken(keeper.client, { kind: 'read_only' }, 'keeper feed');

    const listed = await keeper.client.ok<{ apiTokens: { id: string }[] }>('{ apiTokens { id } }');
    expect(listed.apiTokens.map((t) => t.id)).toEqual([own.id]);
    expect(await keeper.client.code('mutation($id: ID!) { rotateApiToken(id: $id) { token } }', { id: adminToken.id })).toBe('NOT_FOUND');
    expect(await keeper.client.code('mutation($id: ID!) { deleteApiToken(id: $id) }', { id: adminToken.id })).toBe('NOT_FOUND');
    // The Admin's token still works and is still the Admin's.
    expect((await adminToken.client.ok<{ viewer: { role: { id: string } } }>('{ viewer { role { id } } }')).viewer.role.id).toBe('admin');
    // Its own token it may rotate.
    await keeper.client.ok('mutation($id: ID!) { rotateApiToken(id: $id) { token } }', { id: own.id });

    const all = await admin.ok<{ apiTokens: { id: string }[] }>('{ apiTokens { id } }');
    expect(all.apiTokens.map((t) => t.id)).toEqual(expect.arrayContaining([own.id, adminToken.id]));
    await admin.ok('mutation($id: ID!) { deleteApiToken(id: $id) }', { id: own.id });
    const entry = (await audit(admin)).find((e) => e.action === 'apiToken.delete' && e.targetId === own.id);
    expect(entry?.details).toEqual({ owner: keeper.userId, onBehalfOfOwner: true });
  });
});

describe('B and the change feed: history and changes are filtered as the record is', () => {
  it('a read_only token sees only the published copy in recordVersions, never a draft', async () => {
    const id = `versions-${Date.now()}`;
    await editor.ok(CREATE_RECORD, { env: 'main', model: 'author', id, values: { name: 'Public name' }, c: cmid() });
    await editor.ok('mutation($id: ID!, $c: ID!) { publishRecord(environment: "main", id: $id, clientMutationId: $c) { id } }', { id, c: cmid() });
    await editor.ok(UPDATE_RECORD, { env: 'main', id, v: 2, values: { name: 'SECRET DRAFT name' }, c: cmid() });
    const feed = await createToken(admin, { kind: 'read_only' }, 'site feed');
    const q = 'query($id: ID!) { record(environment: "main", id: $id) { version values } recordVersions(environment: "main", id: $id) { version values } }';
    const seen = await feed.client.ok<{ record: { version: number; values: unknown }; recordVersions: { version: number; values: unknown }[] }>(q, { id });
    expect(JSON.stringify(seen.recordVersions)).not.toContain('SECRET DRAFT');
    expect(seen.recordVersions).toEqual([{ version: seen.record.version, values: seen.record.values }]);
    // The editor still sees the whole history.
    expect((await editor.ok<{ recordVersions: unknown[] }>(q, { id })).recordVersions).toHaveLength(3);
  });

  it('an own-records-only reader gets no DELETE (nor any change) for a record it could never read', async () => {
    const own = await collaboratorWithRole(admin, {
      name: 'Own records only',
      flags: { canAccessAuditLog: true } as never,
      recordRules: [{ effect: 'allow', models: 'all', actions: ['read', 'create', 'update', 'delete'], onCreator: 'self' }] as never,
    });
    const CHANGES = 'query($s: String) { changes(environment: "main", since: $s, limit: 1000) { changes { kind recordId } nextCursor hasMore } }';
    let cursor: string | null = null;
    for (;;) {
      const page: { changes: { nextCursor: string; hasMore: boolean } } = await own.client.ok(CHANGES, { s: cursor });
      cursor = page.changes.nextCursor;
      if (!page.changes.hasMore) break;
    }
    const theirs = `others-${Date.now()}`;
    await editor.ok(CREATE_RECORD, { env: 'main', model: 'author', id: theirs, values: { name: 'Not yours' }, c: cmid() });
    await editor.ok(DELETE_RECORD, { env: 'main', id: theirs, v: 1, c: cmid() });
    const mine = `mine-${Date.now()}`;
    await own.client.ok(CREATE_RECORD, { env: 'main', model: 'author', id: mine, values: { name: 'Mine' }, c: cmid() });
    await own.client.ok(DELETE_RECORD, { env: 'main', id: mine, v: 1, c: cmid() });
    const after = await own.client.ok<{ changes: { changes: { kind: string; recordId: string }[] } }>(CHANGES, { s: cursor });
    expect(after.changes.changes).toEqual([{ kind: 'DELETE', recordId: mine }]);
    // Nor does its audit log tell of the other's record.
    expect(await audit(own.client, theirs)).toEqual([]);
    expect((await audit(own.client, mine)).map((e) => e.action)).toEqual(['record.delete', 'record.create']);
  });

  it('canAccessAuditLog on a sandbox-only role shows no entry of main', async () => {
    const auditor = await collaboratorWithRole(admin, { name: 'Sandbox auditor', environmentsAccess: 'sandbox_only', flags: { canAccessAuditLog: true } as never, recordRules: READ_ALL as never });
    await editor.ok(CREATE_RECORD, { env: 'main', model: 'author', values: { name: 'In main' }, c: cmid() });
    await editor.ok(CREATE_RECORD, { env: 'staging', model: 'author', values: { name: 'In staging' }, c: cmid() });
    const entries = await audit(auditor.client);
    expect(entries.some((e) => e.environment === 'staging')).toBe(true);
    expect(entries.filter((e) => e.environment === 'main')).toEqual([]);
    expect((await audit(admin)).some((e) => e.environment === 'main')).toBe(true);
  });

  it('acceptInvitation writes an audit entry', async () => {
    const guest = await collaboratorWithRole(admin, { name: 'Joiner', recordRules: READ_ALL as never });
    expect((await audit(admin)).find((e) => e.action === 'collaborator.join' && e.targetId === guest.userId)?.details).toMatchObject({ email: guest.email });
  });
});

describe('requests bound to what they say', () => {
  it('replaying a clientMutationId with a different payload is a CONFLICT and changes nothing', async () => {
    const q = 'query { record(environment: "main", id: "article-08") { version values } }';
    const before = await editor.ok<{ record: { version: number; values: { slug: string } } }>(q);
    const c = cmid('replay');
    await editor.ok(UPDATE_RECORD, { env: 'main', id: 'article-08', v: before.record.version, values: { slug: 'first-payload' }, c });
    const replay = await editor.gql(UPDATE_RECORD, { env: 'main', id: 'article-08', v: before.record.version, values: { slug: 'second-payload' }, c });
    expect(replay.errors?.[0]?.extensions.code).toBe('CONFLICT');
    const after = await editor.ok<{ record: { version: number; values: { slug: string } } }>(q);
    expect(after.record).toMatchObject({ version: before.record.version + 1, values: { slug: 'first-payload' } });
    // The same payload again is still the idempotent retry.
    expect(await editor.code(UPDATE_RECORD, { env: 'main', id: 'article-08', v: before.record.version, values: { slug: 'first-payload' }, c })).toBeUndefined();
  });

  it('folder and file names refuse NUL, C0/C1 controls and bidi overrides', async () => {
    const FOLDER = 'mutation($n: String!, $c: ID!) { createFolder(environment: "main", name: $n, clientMutationId: $c) { id } }';
    for (const name of ['Spring\u202Egpj.exe', 'a\u0000b', 'tab\there', 'next\u0085line', 'iso\u2066late']) {
      const r = await editor.gql(FOLDER, { n: name, c: cmid() });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED' } });
      expect(r.errors?.[0]?.message).toMatch(/control|bidirectional|\/ or \\/);
    }
    const SLOT = `mutation($n: String!, $c: ID!) { createUploadSlot(environment: "main", folder: "editorial", filename: $n, size: 3, mimeType: "text/plain",
      sha256: "${'a'.repeat(64)}", clientMutationId: $c) { slotId } }`;
    for (const name of ['invoice\u202Efdp.exe', 'c1\u009b.txt', 'mark\u200f.txt']) {
      expect(await editor.code(SLOT, { n: name, c: cmid() })).toBe('VALIDATION_FAILED');
    }
    expect(await editor.code(SLOT, { n: 'Crème brûlée – menu.txt', c: cmid() })).toBeUndefined();
    const folders = await editor.ok<{ folders: { name: string }[] }>('{ folders(environment: "main") { name } }');
    expect(folders.folders.every((f) => /^[\w ]+$/.test(f.name))).toBe(true);
  });

  it('introspection is closed to callers without credentials and open to signed-in ones', async () => {
    for (const q of ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }']) {
      const anon = await ts.client.gql(q);
      expect(anon.data).toBeNull();
      expect(anon.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect((await editor.gql(q)).errors).toBeUndefined();
    }
    expect((await ts.client.gql('{ __typename }')).errors).toBeUndefined();
  });
});

describe('F: 2FA binds a user’s tokens', () => {
  it('under "require 2FA", a token of an Admin without 2FA stops (TWO_FACTOR_REQUIRED) until its owner enables it', async () => {
    const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation { inviteCollaborator(email: "second.admin@demo.test", role: "admin") { token } }');
    const second = admin.as(
      (
        await ts.client.ok<{ acceptInvitation: { token: string } }>('mutation($t: String!) { acceptInvitation(token: $t, name: "Second", password: "Second-pass-1") { token } }', {
          t: inv.inviteCollaborator.token,
        })
      ).acceptInvitation.token,
    );
    const old = await createToken(second, { kind: 'full_access' }, 'made before the switch');
    const setup = await admin.ok<{ setupTwoFactor: { secret: string } }>('mutation { setupTwoFactor { secret } }');
    await admin.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(setup.setupTwoFactor.secret) });
    await admin.ok('mutation { updateProjectSettings(input: { requireTwoFactor: true }) { requireTwoFactor } }');
    try {
      expect(await old.client.code('{ environments { id } }')).toBe('TWO_FACTOR_REQUIRED');
      expect(await old.client.code('{ viewer { role { id } } }')).toBe('TWO_FACTOR_REQUIRED');
      expect(await old.client.code('mutation { createApiToken(name: "minted", scope: { kind: "full_access" }) { token } }')).toBe('TWO_FACTOR_REQUIRED');
      const own = await second.ok<{ setupTwoFactor: { secret: string } }>('mutation { setupTwoFactor { secret } }');
      await second.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(own.setupTwoFactor.secret) });
      expect(await old.client.code('{ environments { id } }')).toBeUndefined();
    } finally {
      await admin.ok('mutation { updateProjectSettings(input: { requireTwoFactor: false }) { requireTwoFactor } }');
    }
  });
});
