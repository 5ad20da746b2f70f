import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ClientDb from 'better-sqlite3-multiple-ciphers';
import { DEMO_USERS } from '../../server/demo/seed';
import { STORE_MIGRATIONS } from '../../electron/core/store/migrations';
import { migrate } from '../../shared/store/migrate';
import { startTestServer, cmid, type TestClient, type TestServer } from '../support/server';
import { openCore, signIn } from '../support/core';
import type { InkstoneCore } from '../../electron/core/core';

/**
 * Incremental sync must cost what the changes cost, not what the project weighs (DESIGN §5):
 * every SQL statement that a sync runs, on the server (changes, the writes, the bearer check)
 * and in the desktop store (the pull, the push, the status counts), is captured as it is
 * prepared during a real sync over TLS, and its EXPLAIN QUERY PLAN may not SCAN a table that
 * grows with the project.
 */

const BIG = ['records', 'record_versions', 'audit_log', 'idempotency', 'sessions', 'api_tokens', 'bases', 'drafts', 'conflicts'];

type Prep = { prepare(sql: string): { all(...a: unknown[]): unknown[] } };

/** Records every SQL text prepared through `db` from now on. */
function capture(db: Prep, into: Set<string>): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    into.add(sql);
    return prepare(sql);
  };
}

/** The plan's full-table scans of big tables, for each statement that has a plan. */
function scans(db: Prep, sqls: Iterable<string>): { sql: string; plan: string[] }[] {
  const bad: { sql: string; plan: string[] }[] = [];
  for (const sql of sqls) {
    if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(sql)) continue;
    const names = [...new Set(sql.match(/@\w+/g) ?? [])];
    const args: unknown[] = names.length ? [Object.fromEntries(names.map((n) => [n.slice(1), null]))] : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    if (plan.some((d) => BIG.some((t) => new RegExp(`^SCAN ${t}\\b`).test(d)))) bad.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 200), plan });
  }
  return bad;
}

describe('incremental sync: every query on an index', () => {
  let ts: TestServer;
  let admin: TestClient;
  let core: InkstoneCore;
  const serverSql = new Set<string>();
  const clientSql = new Set<string>();
  const clientPrepare = ClientDb.prototype.prepare;

  beforeAll(async () => {
    ts = await startTestServer();
    admin = await ts.client.login(DEMO_USERS.admin);
    capture(ts.server.db as unknown as Prep, serverSql);
    // The desktop store prepares through the driver's prototype (shared/store/statement-cache binds it at open).
    ClientDb.prototype.prepare = function (this: ClientDb.Database, sql: string) {
      clientSql.add(sql);
      return clientPrepare.call(this, sql);
    } as typeof clientPrepare;
    core = await openCore();
    await signIn(core, ts.server, DEMO_USERS.editor);
  });
  afterAll(async () => {
    ClientDb.prototype.prepare = clientPrepare;
    await core?.close();
    await ts?.stop();
  });

  it('changes(since), the pushes, the pull and the status line: no SCAN of a big table', async () => {
    serverSql.clear();
    clientSql.clear();
    // Remote edits, a remote create and delete, a local edit and a local create: pull, rebase and push.
    const made = await admin.ok<{ createRecord: { id: string } }>('mutation($c: ID!) { createRecord(environment: "main", model: "author", values: { name: "Plan" }, clientMutationId: $c) { id } }', { c: cmid() });
    await admin.ok('mutation($id: ID!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: 1, values: { name: "Plan 2" }, clientMutationId: $c) { version } }', { id: made.createRecord.id, c: cmid() });
    const article = core.records('main', 'article', { limit: 1 })[0]!;
    core.edit('main', article.id, { title: { en: 'Edited for the plan' } });
    core.create('main', 'author', { name: 'Local plan' });
    await core.sync();
    await admin.ok('mutation($id: ID!, $c: ID!) { deleteRecord(environment: "main", id: $id, baseVersion: 2, clientMutationId: $c) }', { id: made.createRecord.id, c: cmid() });
    await core.sync();
    core.status();
    expect(core.countRecords('main', 'article')).toBe(core.records('main', 'article', { limit: 500 }).length);
    expect(serverSql.size).toBeGreaterThan(5);
    expect(clientSql.size).toBeGreaterThan(5);

    const serverScans = scans(ts.server.db as unknown as Prep, serverSql);
    expect(serverScans, JSON.stringify(serverScans, null, 1)).toEqual([]);
    // The client's file is encrypted with a key in the keychain; its plans are read on the same schema, migrated the same way.
    const plain = new ClientDb(':memory:');
    migrate(plain, STORE_MIGRATIONS, 'plan copy');
    const clientScans = scans(plain as unknown as Prep, clientSql);
    plain.close();
    expect(clientScans, JSON.stringify(clientScans, null, 1)).toEqual([]);
    // Counts are kept as rows come and go: no count over the records on the way.
    expect([...clientSql].filter((s) => /count\(\*\)[^)]*FROM bases/i.test(s))).toEqual([]);
  });
});
