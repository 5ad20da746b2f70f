/**
 * Group commit (server/store/commit-group.ts): record mutations of one event-loop turn share a
 * transaction. Over real HTTPS: each is still answered and written as if alone, and none runs
 * with rights its principal lost while it waited for its group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid, openBehindServer, startTestServer, type TestClient, type TestServer } from '../support/server';
import { CommitGroup } from '../../server/store/commit-group';

let ts: TestServer;
let admin: TestClient;
beforeAll(async () => {
  ts = await startTestServer({ requestsPerMinutePerIp: 1_000_000, requestsPerMinutePerPrincipal: 1_000_000 });
  admin = await ts.client.login(DEMO_USERS.admin);
});
afterAll(async () => ts.stop());

const CREATE = 'mutation($c: ID!, $n: String!) { createRecord(environment: "main", model: "author", values: { name: $n }, clientMutationId: $c) { id version } }';
const UPDATE = 'mutation($id: ID!, $v: Int!, $b: String!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { bio: { en: $b } }, clientMutationId: $c) { version } }';
const count = (sql: string, ...params: unknown[]) => (ts.server.db.prepare(sql).get(...params) as { n: number }).n;

async function newRecord(client: TestClient, name: string): Promise<string> {
  return (await client.ok<{ createRecord: { id: string } }>(CREATE, { c: cmid(), n: name })).createRecord.id;
}

describe('group commit of record mutations', () => {
  it('a refused mutation in a group writes nothing, its neighbours are committed whole', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => newRecord(admin, `Group ${i}`)));
    const before = { ...ts.server.commitGroups };
    // Twelve edits of one record from version 1: one wins, eleven are STALE_VERSION. Eight edits
    // of other records beside them all succeed. All sent at once, so they share groups.
    const [target, ...others] = ids as [string, ...string[]];
    const results = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => admin.gql<{ updateRecord: { version: number } }>(UPDATE, { id: target, v: 1, b: `racer ${i}`, c: cmid('race') })),
      ...others.map((id) => admin.gql<{ updateRecord: { version: number } }>(UPDATE, { id, v: 1, b: 'beside', c: cmid('beside') })),
    ]);
    const grouped = { groups: ts.server.commitGroups.groups - before.groups, items: ts.server.commitGroups.items - before.items };
    expect(grouped.items).toBe(19);
    // Without sharing, this test would not test the group: 19 items took fewer commits.
    expect(grouped.groups).toBeLessThan(grouped.items);

    const racers = results.slice(0, 12);
    expect(racers.filter((r) => r.data?.updateRecord.version === 2)).toHaveLength(1);
    expect(racers.filter((r) => r.errors?.[0]?.extensions.code === 'STALE_VERSION')).toHaveLength(11);
    expect(results.slice(12).every((r) => r.data?.updateRecord.version === 2)).toBe(true);
    // Exactly what the winners wrote: one version, one audit entry and one idempotency key each.
    for (const id of ids) {
      expect(count('SELECT count(*) AS n FROM record_versions WHERE record_id = ?', id)).toBe(2);
      expect(count("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action = 'record.update'", id)).toBe(1);
    }
    expect(count("SELECT count(*) AS n FROM idempotency WHERE client_mutation_id LIKE 'race-%'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM idempotency WHERE client_mutation_id LIKE 'beside-%'")).toBe(7);
  });

  it('a mutation waiting for its group when its token is deleted does not run: nothing of that token is written after the deletion', async () => {
    for (let trial = 0; trial < 15; trial++) {
      const made = await admin.ok<{ createApiToken: { token: string; apiToken: { id: string } } }>('mutation($n: String!) { createApiToken(name: $n, scope: { kind: "full_access" }) { token apiToken { id } } }', {
        n: `doomed-${trial}`,
      });
      const doomed = admin.as(made.createApiToken.token);
      const tokenId = made.createApiToken.apiToken.id;
      // Connections open first, so that the creates and the deletion reach the server in one
      // turn of its event loop (it runs in this process): the creates are read first and wait
      // for their group, the deletion is read next and commits before the group does.
      await Promise.all(Array.from({ length: 6 }, () => doomed.ok('{ viewer { user { id } } }')));
      const creates = Array.from({ length: 6 }, (_, i) => doomed.gql<{ createRecord: { id: string } }>(CREATE, { c: cmid(`doomed-${trial}`), n: `Doomed ${trial}.${i}` }));
      const deleted = admin.ok('mutation($id: ID!) { deleteApiToken(id: $id) }', { id: tokenId });
      const answers = await Promise.all(creates);
      await deleted;
      const deletion = ts.server.db.prepare("SELECT seq FROM audit_log WHERE action = 'apiToken.delete' AND target_id = ?").get(tokenId) as { seq: number };
      expect(count('SELECT count(*) AS n FROM audit_log WHERE token_id = ? AND seq > ?', tokenId, deletion.seq), `trial ${trial}`).toBe(0);
      // Each create either ran before the deletion (and is there) or was refused (and is not).
      for (const a of answers) {
        if (a.data) expect(count('SELECT count(*) AS n FROM records WHERE id = ?', a.data.createRecord.id)).toBe(1);
        else expect(a.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('a group in which a write moved the cache generation is rolled back whole and refused, not committed with stale views', async () => {
    const group = new CommitGroup(ts.server.db);
    const seen: number[] = [];
    const ctx = { revalidate: (generation: number) => void seen.push(generation) };
    const before = count('SELECT count(*) AS n FROM audit_log');
    const fine = group.run(ctx, () => ts.server.db.prepare("INSERT INTO audit_log (project_id, at, action, target_type, details) VALUES ('p', 'now', 'test.fine', 'test', '{}')").run());
    // A role change is tracked by the generation: not something a grouped write may do.
    const tracked = group.run(ctx, () => ts.server.db.prepare('UPDATE roles SET name = name').run());
    await expect(fine).rejects.toThrow(/changed the cache generation/);
    await expect(tracked).rejects.toThrow(/changed the cache generation/);
    expect(count('SELECT count(*) AS n FROM audit_log')).toBe(before);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });

  it('another process committing while a group runs costs at most its own item, not the whole group (the group holds the write lock from its start)', async () => {
    const other = openBehindServer(ts);
    try {
      other.pragma('busy_timeout = 0');
      const group = new CommitGroup(ts.server.db);
      const ctx = { revalidate: () => undefined };
      const insert = (db: typeof other, action: string) =>
        db.prepare("INSERT INTO audit_log (project_id, at, action, target_type, details) VALUES ('p', 'now', ?, 'test', '{}')").run(action);
      // The first item has another connection write: with the group's write lock held, that
      // connection is told BUSY at once and this item fails. Had it committed, the group's read
      // snapshot would be stale and every later item unable to write (SQLITE_BUSY_SNAPSHOT).
      const outsider = group.run(ctx, () => insert(other, 'test.outsider'));
      const neighbour = group.run(ctx, () => insert(ts.server.db, 'test.neighbour'));
      await expect(outsider).rejects.toThrow(/locked|busy/i);
      await expect(neighbour).resolves.toBeTruthy();
      expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'test.neighbour'")).toBe(1);
    } finally {
      other.close();
    }
  });
});
