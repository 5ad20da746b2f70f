import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { DEMO_PROJECT_ID, DEMO_USERS } from '../../server/demo/seed';
import { openDatabase, type Db } from '../../server/store/db';
import { cacheAt, currentGeneration } from '../../server/store/generation';
import { cmid, openBehindServer, startTestServer, type TestClient, type TestServer } from '../support/server';

// The server caches the viewer, project, schema and permissions per cache generation
// (server/store/generation.ts). These check that the caches never outlive what they were
// made of: whoever writes the tables, through which code or connection, and when a write
// is rolled back.

describe('cache generation: what moves it', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-gen-'));
    db = openDatabase(join(dir, 'x.sqlite'));
    db.exec(`INSERT INTO projects (id, name, locales, created_at) VALUES ('p', 'P', '["en"]', 'now');
      INSERT INTO roles (project_id, id, name, definition) VALUES ('p', 'r', 'R', '{}');
      INSERT INTO users (id, project_id, email, name, password_hash, role_id, created_at) VALUES ('u', 'p', 'u@x', 'U', 'h', 'r', 'now');
      INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('s', 'u', 'now', 'later');
      INSERT INTO api_tokens (id, project_id, user_id, name, scope, secret_hash, created_at) VALUES ('t', 'p', 'u', 'T', '{}', 'th', 'now');
      INSERT INTO environments (project_id, id, is_primary, created_at) VALUES ('p', 'main', 1, 'now');`);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const moves = (sql: string) => {
    const before = currentGeneration(db);
    db.exec(sql);
    return currentGeneration(db) !== before;
  };

  it('every write to what a viewer, a schema or permissions are made of moves it', () => {
    const writes = [
      "UPDATE projects SET require_two_factor = 1 WHERE id = 'p'",
      "UPDATE projects SET locales = '[\"en\",\"fr\"]' WHERE id = 'p'",
      "UPDATE roles SET definition = '{\"x\":1}' WHERE id = 'r'",
      "INSERT INTO roles (project_id, id, name, definition) VALUES ('p', 'r2', 'R2', '{}')",
      "DELETE FROM roles WHERE id = 'r2'",
      "UPDATE users SET role_id = 'r2' WHERE id = 'u'",
      "UPDATE users SET removed_at = 'now' WHERE id = 'u'",
      "UPDATE users SET totp_secret = 'x' WHERE id = 'u'",
      "UPDATE sessions SET expires_at = 'sooner' WHERE token_hash = 's'",
      "DELETE FROM sessions WHERE token_hash = 's'",
      "UPDATE api_tokens SET scope = '{\"kind\":\"read_only\"}' WHERE id = 't'",
      "UPDATE api_tokens SET secret_hash = 'th2' WHERE id = 't'",
      "INSERT INTO environments (project_id, id, is_primary, forked_from, created_at) VALUES ('p', 'sandbox', 0, 'main', 'now')",
      "UPDATE environments SET is_primary = 0 WHERE id = 'main'",
      "DELETE FROM environments WHERE id = 'sandbox'",
      "INSERT INTO models (project_id, environment, id, api_key, position, definition) VALUES ('p', 'main', 'm', 'm', 0, '{}')",
      "UPDATE models SET definition = '{\"a\":1}' WHERE id = 'm'",
      "DELETE FROM models WHERE id = 'm'",
      "INSERT INTO folders (project_id, environment, id, name) VALUES ('p', 'main', 'f', 'F')",
      "UPDATE folders SET name = 'G' WHERE id = 'f'",
      "DELETE FROM folders WHERE id = 'f'",
      "DELETE FROM api_tokens WHERE id = 't'",
    ];
    expect(writes.filter((w) => !moves(w))).toEqual([]);
  });

  it('the writes of every request (the change counter, a token marked used) leave it', () => {
    db.exec("INSERT INTO api_tokens (id, project_id, user_id, name, scope, secret_hash, created_at) VALUES ('t3', 'p', 'u', 'T', '{}', 'th3', 'now')");
    expect(moves("UPDATE environments SET seq = seq + 1 WHERE id = 'main'")).toBe(false);
    expect(moves("UPDATE api_tokens SET last_used_at = 'now' WHERE id = 't3'")).toBe(false);
  });

  it('a value read inside a transaction that then rolls back is never served', () => {
    const role = () => (db.prepare("SELECT definition FROM roles WHERE id = 'r'").get() as { definition: string }).definition;
    db.exec("UPDATE roles SET definition = 'committed' WHERE id = 'r'");
    const before = cacheAt(db);
    expect(before.get('role', 'r', role)).toBe('committed');
    expect(() =>
      db.transaction(() => {
        db.exec("UPDATE roles SET definition = 'rolled back' WHERE id = 'r'");
        // Both a view taken before the write and one taken inside the transaction read the uncommitted value...
        expect(cacheAt(db).get('role2', 'r', role)).toBe('rolled back');
        expect(before.get('role3', 'r', role)).toBe('rolled back');
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    // ...and neither is served once it is gone.
    const after = cacheAt(db);
    expect(after.generation).toBe(before.generation);
    expect(after.get('role', 'r', role)).toBe('committed');
    expect(after.get('role2', 'r', role)).toBe('committed');
    expect(after.get('role3', 'r', role)).toBe('committed');
  });

  it('is read once an event-loop turn: again at once after a write of its own, from the next turn after one by another connection', async () => {
    const other = openDatabase(join(dir, 'x.sqlite'));
    try {
      await new Promise((r) => setImmediate(r));
      const first = currentGeneration(db);
      other.exec("UPDATE roles SET definition = '{\"turn\":1}' WHERE id = 'r'");
      // Another connection's write, in the same turn: this turn's requests are answered as of its first read.
      expect(currentGeneration(db)).toBe(first);
      // Inside a transaction it is always read.
      expect(db.transaction(() => currentGeneration(db))()).not.toBe(first);
      await new Promise((r) => setImmediate(r));
      const second = currentGeneration(db);
      expect(second).not.toBe(first);
      // A write of its own connection, in the same turn, is seen at once.
      db.exec("UPDATE roles SET definition = '{\"turn\":2}' WHERE id = 'r'");
      expect(currentGeneration(db)).not.toBe(second);
    } finally {
      other.close();
    }
  });

  it('shares what it caches frozen, so no request can change what the next one sees', () => {
    const v = cacheAt(db).get('obj', 'k', () => ({ fields: [{ id: 'a' }] }));
    expect(() => v.fields.push({ id: 'b' })).toThrow(TypeError);
    expect(() => ((v.fields[0] as { id: string }).id = 'c')).toThrow(TypeError);
    expect(cacheAt(db).get('obj', 'k', () => ({ fields: [] }))).toBe(v);
  });
});

describe('cache generation: a running server', () => {
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

  const VIEWER = '{ viewer { role { id } permissionsFingerprint } }';
  const EDIT = `mutation($id: ID!, $v: Int!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { title: { en: "Changed" } }, clientMutationId: $c) { version } }`;

  it('a role changed behind the server takes effect on the very next request', async () => {
    const editor = await ts.client.login(DEMO_USERS.editor);
    const first = await editor.ok<{ viewer: { role: { id: string }; permissionsFingerprint: string } }>(VIEWER);
    expect(first.viewer.role.id).toBe('editor');
    const article = await editor.ok<{ records: { nodes: { id: string; version: number }[] } }>('{ records(environment: "main", model: "article", first: 1) { nodes { id version } } }');
    const { id, version } = article.records.nodes[0]!;
    other.prepare("UPDATE users SET role_id = 'translator-fr' WHERE email = ?").run(DEMO_USERS.editor);
    const next = await editor.ok<{ viewer: { role: { id: string }; permissionsFingerprint: string } }>(VIEWER);
    expect(next.viewer.role.id).toBe('translator-fr');
    expect(next.viewer.permissionsFingerprint).not.toBe(first.viewer.permissionsFingerprint);
    expect(await editor.code(EDIT, { id, v: version, c: cmid() })).toBe('FORBIDDEN');
    other.prepare("UPDATE users SET role_id = 'editor' WHERE email = ?").run(DEMO_USERS.editor);
    expect((await editor.ok<{ updateRecord: { version: number } }>(EDIT, { id, v: version, c: cmid() })).updateRecord.version).toBe(version + 1);
  });

  it('a token deleted behind the server is refused on the very next request', async () => {
    const made = await admin.ok<{ createApiToken: { token: string } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "full_access" }) { token } }', { n: cmid('tok') });
    const token = admin.as(made.createApiToken.token);
    expect((await token.gql(VIEWER)).errors).toBeUndefined();
    other.prepare('DELETE FROM api_tokens WHERE project_id = ? AND name LIKE ?').run(DEMO_PROJECT_ID, 'tok-%');
    expect(await token.code(VIEWER)).toBe('UNAUTHENTICATED');
  });
});
