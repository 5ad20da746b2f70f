/**
 * Attacks on the group commit of record mutations (server/store/commit-group.ts) and on what
 * changed with it (RequestContext.revalidate, the bearer resolved once after the body), over
 * real HTTPS against a real server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { DEMO_USERS } from '../../server/demo/seed';
import { CommitGroup } from '../../server/store/commit-group';
import { cmid, openBehindServer, startTestServer, type TestClient, type TestServer } from '../support/server';

let ts: TestServer;
let admin: TestClient;
let developer: TestClient;
let developerId: string;
let other: Database.Database;
const SANDBOX = 'attack-sb';

beforeAll(async () => {
  ts = await startTestServer({ requestsPerMinutePerIp: 1_000_000, requestsPerMinutePerPrincipal: 1_000_000 });
  admin = await ts.client.login(DEMO_USERS.admin);
  developer = await ts.client.login(DEMO_USERS.developer);
  developerId = (ts.server.db.prepare('SELECT id FROM users WHERE email = ?').get(DEMO_USERS.developer) as { id: string }).id;
  await admin.ok('mutation($id: ID!) { createEnvironment(id: $id, from: "main") { id } }', { id: SANDBOX });
  other = openBehindServer(ts);
});
afterAll(async () => {
  other.close();
  await ts.stop();
});

const count = (sql: string, ...params: unknown[]) => (ts.server.db.prepare(sql).get(...params) as { n: number }).n;

/**
 * A schema edit (createModel; deleteModel and deleteEnvironment alike) ends with
 * `ctx.invalidate()` and reads no cache after it: the request's cache view is left unread,
 * so its generation is only read when the next grouped field of the same document
 * revalidates, inside the flush, where it is the group's own generation. `revalidate` then
 * sees "no change" and keeps the viewer resolved when the body arrived, though a role change
 * (or a removal, a logout, a revoked token) committed while the record mutation waited.
 */
const SCHEMA_THEN_RECORD = `mutation($e: ID!, $k: String!, $c: ID!, $n: String!) {
  m: createModel(environment: $e, apiKey: $k, name: "Probe") { id }
  r: createRecord(environment: $e, model: "author", values: { name: $n }, clientMutationId: $c) { id }
}`;

describe('attack: rights lost while a record mutation waits for its group', () => {
  const realRun = CommitGroup.prototype.run;
  afterEach(() => {
    CommitGroup.prototype.run = realRun;
    ts.server.db.prepare("UPDATE users SET role_id = 'sandbox-developer' WHERE id = ?").run(developerId);
  });

  it('a record mutation after a schema edit in the same document runs with the role its user lost while it waited (deterministic)', async () => {
    // The demotion is committed the moment the record mutation is queued, before its group
    // runs: what the admin's changeCollaboratorRole, read in the same event-loop turn, does.
    let armed = true;
    CommitGroup.prototype.run = function (this: CommitGroup, ctx, work) {
      if (armed) {
        armed = false;
        other.prepare("UPDATE users SET role_id = 'media-manager' WHERE id = ?").run(developerId);
      }
      return realRun.call(this, ctx, work);
    } as typeof realRun;
    const name = `After demotion ${cmid()}`;
    const r = await developer.gql<{ r: { id: string } | null }>(SCHEMA_THEN_RECORD, { e: SANDBOX, k: `probe_${Date.now()}`, c: cmid('demoted'), n: name });
    expect(armed).toBe(false);
    // media-manager is primary_only: the sandbox is out of its reach, so the create must be refused.
    expect(r.data?.r ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(count("SELECT count(*) AS n FROM records WHERE environment = ? AND json_extract(data, '$.name') = ?", SANDBOX, name)).toBe(0);
  });

  it('the same over HTTP: the admin demotes the developer in the same turn; no record of the developer is written after the demotion', async () => {
    let bad = 0;
    for (let trial = 0; trial < 20; trial++) {
      // Connections open first, so both requests reach the server in one turn of its event loop.
      await Promise.all([...Array.from({ length: 2 }, () => developer.ok('{ viewer { user { id } } }')), admin.ok('{ viewer { user { id } } }')]);
      const name = `Race ${trial} ${cmid()}`;
      const attempt = developer.gql(SCHEMA_THEN_RECORD, { e: SANDBOX, k: `race_${trial}_${Date.now()}`, c: cmid('race-demoted'), n: name });
      const demote = admin.ok('mutation($u: ID!) { changeCollaboratorRole(userId: $u, role: "media-manager") }', { u: developerId });
      await Promise.all([attempt, demote]);
      const demotion = ts.server.db
        .prepare("SELECT max(seq) AS seq FROM audit_log WHERE action = 'collaborator.changeRole' AND target_id = ?")
        .get(developerId) as { seq: number };
      bad += count("SELECT count(*) AS n FROM audit_log WHERE user_id = ? AND action = 'record.create' AND seq > ?", developerId, demotion.seq);
      ts.server.db.prepare("UPDATE users SET role_id = 'sandbox-developer' WHERE id = ?").run(developerId);
    }
    expect(bad, 'records created by the developer after its demotion had committed').toBe(0);
  });
});

// What held: kept as guards.
const CREATE = 'mutation($c: ID!, $n: String!) { createRecord(environment: "main", model: "author", values: { name: $n }, clientMutationId: $c) { id version } }';
const UPDATE = 'mutation($id: ID!, $v: Int!, $b: String!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { bio: { en: $b } }, clientMutationId: $c) { version } }';

describe('attack: what held', () => {
  it('the same clientMutationId twice in one group: both answered alike, applied once', async () => {
    const id = (await admin.ok<{ createRecord: { id: string } }>(CREATE, { c: cmid(), n: 'Twice' })).createRecord.id;
    await Promise.all(Array.from({ length: 4 }, () => admin.ok('{ viewer { user { id } } }')));
    const before = { ...ts.server.commitGroups };
    const c = cmid('twice');
    const answers = await Promise.all(Array.from({ length: 4 }, () => admin.gql<{ updateRecord: { version: number } }>(UPDATE, { id, v: 1, b: 'once', c })));
    expect(ts.server.commitGroups.groups - before.groups).toBeLessThan(4);
    expect(answers.map((a) => a.data?.updateRecord.version)).toEqual([2, 2, 2, 2]);
    expect(count('SELECT count(*) AS n FROM record_versions WHERE record_id = ?', id)).toBe(2);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'record.update'", id)).toBe(1);
  });

  it('a client that goes away while its mutation waits: the write is whole, and its retry gets the same answer', async () => {
    const id = (await admin.ok<{ createRecord: { id: string } }>(CREATE, { c: cmid(), n: 'Gone' })).createRecord.id;
    const c = cmid('gone');
    const ac = new AbortController();
    const { request } = await import('undici');
    const sent = request(ts.server.url, {
      method: 'POST',
      dispatcher: admin.agent,
      signal: ac.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: UPDATE, variables: { id, v: 1, b: 'gone', c } }),
    }).catch(() => null);
    setImmediate(() => ac.abort());
    await sent;
    await new Promise((r) => setTimeout(r, 100));
    const retry = await admin.gql<{ updateRecord: { version: number } }>(UPDATE, { id, v: 1, b: 'gone', c });
    expect(retry.data?.updateRecord.version).toBe(2);
    expect(count('SELECT count(*) AS n FROM record_versions WHERE record_id = ?', id)).toBe(2);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'record.update'", id)).toBe(1);
  });

  it('server close while mutations are queued: close settles, and what was answered or written is whole', async () => {
    const t2 = await startTestServer({ requestsPerMinutePerIp: 1_000_000, requestsPerMinutePerPrincipal: 1_000_000 });
    const a2 = await t2.client.login(DEMO_USERS.admin);
    await Promise.all(Array.from({ length: 8 }, () => a2.ok('{ viewer { user { id } } }')));
    const realRun = CommitGroup.prototype.run;
    let closing: Promise<void> | null = null;
    let n = 0;
    CommitGroup.prototype.run = function (this: CommitGroup, ctx, work) {
      if (++n === 3) closing = t2.server.close();
      return realRun.call(this, ctx, work);
    } as typeof realRun;
    try {
      const names = Array.from({ length: 8 }, (_, i) => `Closing ${i} ${cmid()}`);
      const answers = await Promise.all(names.map((nm) => a2.gql(CREATE, { c: cmid('closing'), n: nm }).catch(() => null)));
      expect(closing).not.toBeNull();
      await Promise.race([closing, new Promise((_, reject) => setTimeout(() => reject(new Error('close never settled')), 10_000))]);
      const db = new (await import('better-sqlite3')).default(`${t2.dir}/${(await import('../../server/store/data-dir')).DATABASE_FILE}`);
      try {
        for (const nm of names) {
          const row = db.prepare("SELECT id FROM records WHERE json_extract(data, '$.name') = ?").get(nm) as { id: string } | undefined;
          if (!row) continue;
          expect((db.prepare('SELECT count(*) AS n FROM record_versions WHERE record_id = ?').get(row.id) as { n: number }).n).toBe(1);
          expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'record.create'").get(row.id) as { n: number }).n).toBe(1);
        }
        // Every success the server answered is in the database.
        for (const a of answers) {
          const id = (a?.data as { createRecord?: { id: string } } | null)?.createRecord?.id;
          if (id) expect(db.prepare('SELECT 1 FROM records WHERE id = ?').get(id)).toBeTruthy();
        }
      } finally {
        db.close();
      }
    } finally {
      CommitGroup.prototype.run = realRun;
      const { rmSync } = await import('node:fs');
      rmSync(t2.dir, { recursive: true, force: true });
    }
  });
});
