import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { DEMO_PROJECT_ID, DEMO_USERS } from '../../server/demo/seed';
import { cmid, openBehindServer, startTestServer, type TestClient, type TestServer } from '../support/server';

// Attacks on the per-generation caches (server/store/generation.ts) and the shared change
// tail (server/content/change-tail.ts), through the running server.

interface Change {
  seq: string;
  kind: string;
  recordId: string;
  record: { values: Record<string, unknown>; version: number } | null;
}
const CHANGES =
  'query($e: ID!, $s: String, $l: Int) { changes(environment: $e, since: $s, limit: $l) { changes { seq kind recordId record { version values } } nextCursor hasMore } }';
type Page = { changes: { changes: Change[]; nextCursor: string; hasMore: boolean } };

describe('attack: caches and the change tail', () => {
  let ts: TestServer;
  let admin: TestClient;
  let other: Database.Database;
  beforeAll(async () => {
    ts = await startTestServer();
    admin = await ts.client.login(DEMO_USERS.admin);
    other = openBehindServer(ts);
  });
  afterAll(async () => {
    other.close();
    await ts.stop();
  });

  const head = async (c: TestClient, env = 'main'): Promise<string> => {
    let since: string | null = null;
    for (;;) {
      const p: Page = await c.ok<Page>(CHANGES, { e: env, s: since, l: 1000 });
      since = p.changes.nextCursor;
      if (!p.changes.hasMore) return since;
    }
  };

  it('a read-only token reading through the warm shared tail never sees a draft', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    const ro = admin.as(
      (await admin.ok<{ createApiToken: { token: string } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "read_only" }) { token } }', { n: cmid('ro') }))
        .createApiToken.token,
    );
    const published = (await admin.ok<{ records: { nodes: { id: string; version: number; publishedVersion: number | null }[] } }>(
      '{ records(environment: "main", model: "article", first: 100) { nodes { id version publishedVersion } } }',
    )).records.nodes.find((n) => n.publishedVersion !== null)!;
    const cursor = await head(admin);
    // Warm the tail as a full reader first, so the read-only reader gets the very same row objects.
    await editor.ok(
      'mutation($id: ID!, $v: Int!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { title: { en: "SECRET DRAFT" } }, clientMutationId: $c) { version } }',
      { id: published.id, v: published.version, c: cmid() },
    );
    const created = await editor.ok<{ createRecord: { id: string } }>(
      'mutation($c: ID!) { createRecord(environment: "main", model: "author", values: { name: "SECRET NEW" }, clientMutationId: $c) { id } }',
      { c: cmid() },
    );
    const full = await admin.ok<Page>(CHANGES, { e: 'main', s: cursor, l: 10 });
    expect(JSON.stringify(full)).toContain('SECRET DRAFT');
    const seen = await ro.ok<Page>(CHANGES, { e: 'main', s: cursor, l: 10 });
    expect(JSON.stringify(seen)).not.toContain('SECRET');
    expect(seen.changes.changes.find((c) => c.recordId === created.createRecord.id)).toMatchObject({ kind: 'DELETE', record: null });
    expect(seen.changes.changes.find((c) => c.recordId === published.id)?.record?.version).toBe(published.publishedVersion);
  });

  it('cursor and limit abuse: refused or clamped, the same through the tail as through SQLite', async () => {
    for (const bad of ['-1', 'abc', '1e400', '9007199254740993', 'NaN', '1.5']) {
      expect(await admin.code(CHANGES, { e: 'main', s: bad, l: 5 }), bad).toBe('VALIDATION_FAILED');
    }
    const cursor = await head(admin);
    const huge = await admin.ok<Page>(CHANGES, { e: 'main', s: String(Number(cursor) + 1_000_000), l: 5 });
    expect(huge.changes).toMatchObject({ changes: [], hasMore: false });
    expect((await admin.ok<Page>(CHANGES, { e: 'main', s: '0', l: 0 })).changes.changes.length).toBe(1);
    expect((await admin.ok<Page>(CHANGES, { e: 'main', s: '0', l: 2147483647 })).changes.changes.length).toBeLessThanOrEqual(1000);
  });

  it('an environment deleted and recreated under the same id: the tail answers what SQLite answers for an old cursor', async () => {
    await admin.ok('mutation { createEnvironment(id: "att-sb", from: "main") { id } }');
    const editor = await ts.client.login(DEMO_USERS.editor);
    const first = (await admin.ok<{ records: { nodes: { id: string; version: number }[] } }>('{ records(environment: "att-sb", model: "article", first: 1) { nodes { id version } } }')).records
      .nodes[0]!;
    for (let i = 0; i < 3; i++) {
      const v = (await admin.ok<{ record: { version: number } }>('query($id: ID!) { record(environment: "att-sb", id: $id) { version } }', { id: first.id })).record.version;
      await editor.ok(
        'mutation($id: ID!, $v: Int!, $c: ID!) { updateRecord(environment: "att-sb", id: $id, baseVersion: $v, values: { title: { en: "old sandbox" } }, clientMutationId: $c) { version } }',
        { id: first.id, v, c: cmid() },
      );
    }
    const old = await head(admin, 'att-sb');
    await admin.ok('mutation { deleteEnvironment(id: "att-sb") }');
    await admin.ok('mutation { createEnvironment(id: "att-sb", from: "main") { id } }');
    for (const since of ['0', String(Number(old) - 2), old]) {
      const got = await admin.ok<Page>(CHANGES, { e: 'att-sb', s: since, l: 1000 });
      const sql = other
        .prepare('SELECT id FROM records WHERE project_id = ? AND environment = ? AND seq > ? ORDER BY seq LIMIT 1001')
        .all(DEMO_PROJECT_ID, 'att-sb', Number(since)) as { id: string }[];
      expect(got.changes.changes.map((c) => c.recordId), since).toEqual(sql.slice(0, 1000).map((r) => r.id));
      expect(JSON.stringify(got)).not.toContain('old sandbox');
    }
  });

  it('a request whose body arrives after its token was deleted does not run as the token (found by attack: the viewer was resolved at the headers)', async () => {
    const made = await admin.ok<{ createApiToken: { token: string } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "full_access" }) { token } }', { n: cmid('slow') });
    const body = new PassThrough();
    const pending = request(ts.server.url, {
      method: 'POST',
      dispatcher: ts.client.agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${made.createApiToken.token}` },
      body,
    });
    const query = JSON.stringify({ query: '{ records(environment: "main", model: "article", first: 1) { nodes { id } } }' });
    body.write(query.slice(0, 5));
    // The headers are in and the viewer resolved; the token is deleted before the rest of the body comes.
    await new Promise((r) => setTimeout(r, 300));
    other.prepare('DELETE FROM api_tokens WHERE project_id = ? AND name LIKE ?').run(DEMO_PROJECT_ID, 'slow-%');
    expect(await admin.as(made.createApiToken.token).code('{ viewer { role { id } } }')).toBe('UNAUTHENTICATED');
    body.end(query.slice(5));
    const res = await pending;
    const json = (await res.body.json()) as { data?: unknown; errors?: { extensions: { code?: string } }[] };
    expect(json.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('an upload whose bytes finish after its token was deleted is refused and leaves no asset', async () => {
    const made = await admin.ok<{ createApiToken: { token: string } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "full_access" }) { token } }', { n: cmid('slowup') });
    const uploader = admin.as(made.createApiToken.token);
    const bytes = Buffer.from('plain text bytes of a held upload\n'.repeat(20));
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const slot = await uploader.ok<{ createUploadSlot: { putUrl: string } }>(
      'mutation($s: Int!, $h: String!, $c: ID!) { createUploadSlot(environment: "main", folder: "editorial", filename: "held.txt", size: $s, mimeType: "text/plain", sha256: $h, clientMutationId: $c) { putUrl } }',
      { s: bytes.length, h: sha, c: cmid() },
    );
    const body = new PassThrough();
    const pending = request(slot.createUploadSlot.putUrl, { method: 'PUT', dispatcher: ts.client.agent, headers: { authorization: `Bearer ${made.createApiToken.token}`, 'content-length': String(bytes.length) }, body });
    body.write(bytes.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    other.prepare('DELETE FROM api_tokens WHERE project_id = ? AND name LIKE ?').run(DEMO_PROJECT_ID, 'slowup-%');
    body.end(bytes.subarray(10));
    const res = await pending;
    await res.body.text();
    expect(res.statusCode).toBe(401);
    expect(other.prepare('SELECT count(*) AS n FROM assets WHERE sha256 = ?').get(sha)).toEqual({ n: 0 });
  });

  it('a sandbox-only developer loses the sandbox the moment it is promoted, and its warm tail with it', async () => {
    const dev = await ts.client.login(DEMO_USERS.developer);
    await admin.ok('mutation { createEnvironment(id: "att-promo", from: "main") { id } }');
    expect(await dev.code(CHANGES, { e: 'main', s: null, l: 5 })).toBe('NOT_FOUND');
    await dev.ok<Page>(CHANGES, { e: 'att-promo', s: null, l: 5 });
    // Many reads in flight around the promotion: none after it answers the developer on the new primary.
    const inFlight = Array.from({ length: 20 }, () => dev.gql(CHANGES, { e: 'att-promo', s: null, l: 5 }));
    await admin.ok('mutation { promoteEnvironment(id: "att-promo") { id } }');
    await Promise.all(inFlight);
    try {
      expect(await dev.code(CHANGES, { e: 'att-promo', s: null, l: 5 })).toBe('NOT_FOUND');
      expect(await dev.code('{ records(environment: "att-promo", model: "article") { nodes { id } } }')).toBe('NOT_FOUND');
      expect((await dev.gql(CHANGES, { e: 'main', s: null, l: 5 })).errors).toBeUndefined();
    } finally {
      await admin.ok('mutation { promoteEnvironment(id: "main") { id } }');
    }
    expect(await dev.code(CHANGES, { e: 'main', s: null, l: 5 })).toBe('NOT_FOUND');
  });

  it('a read-only token made full-access behind the server (scope rewritten) reads drafts on the next request, and back', async () => {
    const made = await admin.ok<{ createApiToken: { token: string } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "read_only" }) { token } }', { n: cmid('flip') });
    const tok = admin.as(made.createApiToken.token);
    const editor = await ts.client.login(DEMO_USERS.editor);
    const cursor = await head(admin);
    await editor.ok('mutation($c: ID!) { createRecord(environment: "main", model: "author", values: { name: "FLIP DRAFT" }, clientMutationId: $c) { id } }', { c: cmid() });
    expect(JSON.stringify(await tok.ok<Page>(CHANGES, { e: 'main', s: cursor, l: 10 }))).not.toContain('FLIP DRAFT');
    other.prepare("UPDATE api_tokens SET scope = '{\"kind\":\"full_access\"}' WHERE name LIKE 'flip-%'").run();
    expect(JSON.stringify(await tok.ok<Page>(CHANGES, { e: 'main', s: cursor, l: 10 }))).toContain('FLIP DRAFT');
    other.prepare("UPDATE api_tokens SET scope = '{\"kind\":\"read_only\"}' WHERE name LIKE 'flip-%'").run();
    expect(JSON.stringify(await tok.ok<Page>(CHANGES, { e: 'main', s: cursor, l: 10 }))).not.toContain('FLIP DRAFT');
  });

  it('parallel requests in flight around a logout and a demotion: the next request after each sees it', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    const VIEWER = '{ viewer { role { id } } }';
    const inFlight = Array.from({ length: 40 }, () => editor.gql(VIEWER));
    other.prepare("UPDATE users SET role_id = 'translator-fr' WHERE email = ?").run(DEMO_USERS.editor);
    await Promise.all(inFlight);
    expect((await editor.ok<{ viewer: { role: { id: string } } }>(VIEWER)).viewer.role.id).toBe('translator-fr');
    other.prepare("UPDATE users SET role_id = 'editor' WHERE email = ?").run(DEMO_USERS.editor);
    const more = Array.from({ length: 40 }, () => editor.gql(VIEWER));
    await editor.ok('mutation { logout }');
    await Promise.all(more);
    expect(await editor.code(VIEWER)).toBe('UNAUTHENTICATED');
  });
});

/** A snapshot stream read up to its first chunk, then held (the server waits on drain), then read to its end or its cut. */
async function heldSnapshot(ts: TestServer, token: string, duringHold: () => void): Promise<{ text: string; cut: boolean }> {
  const res = await request(`${ts.server.origin}/sync/snapshot?environment=main`, { dispatcher: ts.client.agent, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  const body = res.body;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    body.once('data', (c: Buffer) => {
      chunks.push(c);
      body.pause();
      resolve();
    });
  });
  // Let the server fill the socket and wait for drain.
  await new Promise((r) => setTimeout(r, 300));
  duringHold();
  return await new Promise((resolve) => {
    let cut = false;
    body.on('data', (c: Buffer) => chunks.push(c));
    body.on('error', () => {
      cut = true;
    });
    body.on('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), cut }));
    body.resume();
  });
}

describe('attack: the snapshot stream when the principal loses access mid-stream', () => {
  let ts: TestServer;
  let other: Database.Database;
  beforeAll(async () => {
    ts = await startTestServer();
    other = openBehindServer(ts);
    // 1,500 heavy records: three batches of ~10 MB, more than the socket holds, so the server waits on drain between batches.
    const row = other.prepare("SELECT * FROM records WHERE project_id = ? AND environment = 'main' AND model_id = 'article' AND deleted = 0 LIMIT 1").get(DEMO_PROJECT_ID) as Record<
      string,
      unknown
    >;
    const data = JSON.stringify({ ...(JSON.parse(row['data'] as string) as object), pad: 'x'.repeat(20_000) });
    const cols = Object.keys(row);
    const insert = other.prepare(`INSERT INTO records (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
    other.transaction(() => {
      let seq = (other.prepare("SELECT seq FROM environments WHERE project_id = ? AND id = 'main'").get(DEMO_PROJECT_ID) as { seq: number }).seq;
      for (let i = 0; i < 1500; i++) insert.run({ ...row, id: `pad-${i}`, data, seq: ++seq });
      other.prepare("UPDATE environments SET seq = ? WHERE project_id = ? AND id = 'main'").run(seq, DEMO_PROJECT_ID);
    })();
  });
  afterAll(async () => {
    other.close();
    await ts.stop();
  });

  it('control: a session deleted mid-stream cuts the stream without its end line', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    const r = await heldSnapshot(ts, editor.token!, () => other.prepare('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ?)').run(DEMO_USERS.editor));
    expect(r.text.includes('{"end":'), 'the stream reached its end line').toBe(false);
  });

  it('two-factor authentication required mid-stream cuts the stream of a user without it (found by attack)', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    const r = await heldSnapshot(ts, editor.token!, () => other.prepare('UPDATE projects SET require_two_factor = 1 WHERE id = ?').run(DEMO_PROJECT_ID));
    // GraphQL refuses this session from now on; the stream, which says a revoked principal ends it "as it would end GraphQL", runs to its end.
    expect(await editor.code('{ changes(environment: "main") { nextCursor } }')).toBe('TWO_FACTOR_REQUIRED');
    try {
      expect(r.text.includes('{"end":'), 'the stream reached its end line').toBe(false);
    } finally {
      other.prepare('UPDATE projects SET require_two_factor = 0 WHERE id = ?').run(DEMO_PROJECT_ID);
    }
  });
});
