import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { DEMO_PROJECT_ID, DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, cmid, type TestClient, type TestServer } from '../support/server';
import { openCore, signIn } from '../support/core';
import { startProxy } from '../support/proxy';
import type { InkstoneCore } from '../../electron/core/core';
import type { RunningServer } from '../../server/http/server';
import { dastFromText } from '../../shared/domain/dast';

/**
 * The snapshot stream (GET /sync/snapshot) against GraphQL `changes`, over real TLS, and the
 * desktop core's first pull from it: through a dropped connection, and with a real writer
 * changing records while the stream runs.
 */

interface Rec {
  id: string;
  version: number;
  values: unknown;
  status: string;
  publishedVersion: number | null;
}

async function snapshot(ts: TestServer, token: string, env: string): Promise<{ status: number; records: Map<string, Rec>; lines: string[] }> {
  const res = await request(`${ts.server.origin}/sync/snapshot?environment=${env}`, { dispatcher: ts.client.agent, headers: { authorization: `Bearer ${token}` } });
  const text = await res.body.text();
  const records = new Map<string, Rec>();
  const lines = text.split('\n').filter(Boolean);
  if (res.statusCode === 200) for (const l of lines) {
    const line = JSON.parse(l) as { record?: Rec };
    if (line.record) records.set(line.record.id, line.record);
  }
  return { status: res.statusCode, records, lines };
}

/** What GraphQL `changes` from the start leaves readable: the live records this viewer sees. */
async function viaGraphql(client: TestClient, env: string): Promise<Map<string, Rec>> {
  const out = new Map<string, Rec>();
  let since: string | null = null;
  for (;;) {
    const d: { changes: { changes: { kind: string; recordId: string; record: Rec | null }[]; nextCursor: string; hasMore: boolean } } = await client.ok(
      'query($e: ID!, $s: String) { changes(environment: $e, since: $s, limit: 1000) { changes { kind recordId record { id version values status publishedVersion } } nextCursor hasMore } }',
      { e: env, s: since },
    );
    for (const c of d.changes.changes) {
      if (c.kind === 'UPSERT' && c.record) out.set(c.recordId, c.record);
      else out.delete(c.recordId);
    }
    since = d.changes.nextCursor;
    if (!d.changes.hasMore) return out;
  }
}

const pick = (m: Map<string, Rec>) => [...m.values()].map((r) => ({ id: r.id, version: r.version, values: r.values, status: r.status, publishedVersion: r.publishedVersion })).sort((a, b) => a.id.localeCompare(b.id));

/** `n` articles written straight into the server's database (as the bench's generator does), each with the next seq. */
function bulkArticles(server: RunningServer, n: number, prefix: string): void {
  const db = server.db;
  const at = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO records (project_id, environment, id, model_id, version, published_version, status, data, published_data, created_at, updated_at, created_by, updated_by, seq)
     VALUES (?, 'main', ?, 'article', 1, NULL, 'draft', ?, NULL, ?, ?, NULL, NULL, ?)`,
  );
  db.transaction(() => {
    let seq = (db.prepare("SELECT seq FROM environments WHERE project_id = ? AND id = 'main'").get(DEMO_PROJECT_ID) as { seq: number }).seq;
    for (let i = 0; i < n; i++) {
      const values = { title: { en: `Bulk ${prefix} ${i}`, fr: `Vrac ${i}`, de: `Masse ${i}` }, slug: `${prefix}-${i}`, body: { en: dastFromText('x'.repeat(600)), fr: dastFromText('y'), de: dastFromText('z') } };
      insert.run(DEMO_PROJECT_ID, `${prefix}-${String(i).padStart(6, '0')}`, JSON.stringify(values), at, at, ++seq);
    }
    db.prepare("UPDATE environments SET seq = ? WHERE project_id = ? AND id = 'main'").run(seq, DEMO_PROJECT_ID);
  })();
}

/** Every article of the core's local copy: id -> version. */
function localArticles(core: InkstoneCore): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (let offset = 0; ; offset += 500) {
    const page = core.records('main', 'article', { limit: 500, offset });
    for (const r of page) {
      if (out.has(r.id)) throw new Error(`record ${r.id} listed twice`);
      out.set(r.id, r.version);
    }
    if (page.length < 500) return out;
  }
}

describe('snapshot stream: what each role sees', () => {
  let ts: TestServer;
  let admin: TestClient;
  beforeAll(async () => {
    ts = await startTestServer();
    admin = await ts.client.login(DEMO_USERS.admin);
    // A draft, a published record edited since (published copy differs), and a deleted one.
    const mk = async (title: string) =>
      (await admin.ok<{ createRecord: { id: string; version: number } }>('mutation($c: ID!, $v: JSON!) { createRecord(environment: "main", model: "article", values: $v, clientMutationId: $c) { id version } }', { c: cmid(), v: { title: { en: title }, body: { en: dastFromText(title) }, slug: title } })).createRecord;
    await mk('snap-draft');
    const pub = await mk('snap-published');
    await admin.ok('mutation($id: ID!, $c: ID!) { publishRecord(environment: "main", id: $id, clientMutationId: $c) { version } }', { id: pub.id, c: cmid() });
    await admin.ok('mutation($id: ID!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: 2, values: { slug: "snap-published-2" }, clientMutationId: $c) { version } }', { id: pub.id, c: cmid() });
    const gone = await mk('snap-deleted');
    await admin.ok('mutation($id: ID!, $c: ID!) { deleteRecord(environment: "main", id: $id, baseVersion: 1, clientMutationId: $c) }', { id: gone.id, c: cmid() });
  });
  afterAll(() => ts.stop());

  const token = (c: TestClient) => c.token!;

  it('shows each persona exactly what GraphQL changes shows it, in main and in staging', async () => {
    const readOnly = (await admin.ok<{ createApiToken: { token: string } }>('mutation { createApiToken(name: "site", scope: { kind: "read_only" }) { token } }')).createApiToken.token;
    const personas: [string, TestClient][] = [
      ['editor', await ts.client.login(DEMO_USERS.editor)],
      ['translator', await ts.client.login(DEMO_USERS.translator)],
      ['sandbox developer', await ts.client.login(DEMO_USERS.developer)],
      ['media manager', await ts.client.login(DEMO_USERS.media)],
      ['read-only token', ts.client.as(readOnly)],
    ];
    const seen: Record<string, number> = {};
    for (const [name, client] of personas) {
      for (const env of ['main', 'staging']) {
        const gql = await client.gql('query($e: ID!) { changes(environment: $e, limit: 1) { nextCursor } }', { e: env });
        const snap = await snapshot(ts, token(client), env);
        if (gql.errors?.length) {
          // Not reachable through GraphQL: not through the stream either, told the same way.
          expect(snap.status, `${name} ${env}`).toBe(404);
          expect(JSON.parse(snap.lines[0]!).errors[0].extensions.code).toBe(gql.errors[0]!.extensions.code);
          continue;
        }
        expect(snap.status, `${name} ${env}`).toBe(200);
        expect(JSON.parse(snap.lines.at(-1)!), `${name} ${env}`).toHaveProperty('end');
        expect(pick(snap.records), `${name} ${env}`).toEqual(pick(await viaGraphql(client, env)));
        seen[`${name} ${env}`] = snap.records.size;
      }
    }
    // The personas differ: the filter is doing something (a read-only token sees published copies only).
    expect(seen['sandbox developer main']).toBeUndefined();
    expect(seen['sandbox developer staging']).toBeGreaterThan(0);
    expect(seen['read-only token main']).toBeLessThan(seen['editor main']!);
    const ro = await snapshot(ts, readOnly, 'main');
    expect([...ro.records.values()].every((r) => r.publishedVersion !== null && r.status !== 'draft')).toBe(true);
    expect([...ro.records.values()].some((r) => JSON.stringify(r.values).includes('snap-published-2'))).toBe(false);
  });

  it('refuses no token, a bad token and a bad cursor as GraphQL does', async () => {
    const none = await request(`${ts.server.origin}/sync/snapshot?environment=main`, { dispatcher: ts.client.agent });
    expect(none.statusCode).toBe(401);
    await none.body.dump();
    expect((await snapshot(ts, 'ink_s_notatokenatall123', 'main')).status).toBe(401);
    const bad = await request(`${ts.server.origin}/sync/snapshot?environment=main&since=-1`, { dispatcher: ts.client.agent, headers: { authorization: `Bearer ${admin.token!}` } });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
    expect((await snapshot(ts, admin.token!, 'nowhere')).status).toBe(404);
  });
});

describe('first pull from the snapshot, with faults', () => {
  let ts: TestServer;
  let admin: TestClient;
  beforeAll(async () => {
    ts = await startTestServer({ requestsPerMinutePerIp: 1_000_000, requestsPerMinutePerPrincipal: 1_000_000 });
    admin = await ts.client.login(DEMO_USERS.admin);
    bulkArticles(ts.server, 6000, 'snapbulk');
  });
  afterAll(() => ts.stop());

  const serverArticles = () =>
    new Map(
      (ts.server.db.prepare("SELECT id, version FROM records WHERE project_id = ? AND environment = 'main' AND model_id = 'article' AND deleted = 0").all(DEMO_PROJECT_ID) as { id: string; version: number }[]).map((r) => [
        r.id,
        r.version,
      ]),
    );

  it('a connection dropped mid-snapshot resumes from the last row applied: every row once', async () => {
    const proxy = await startProxy(ts.server);
    proxy.cutMidAnswer = { match: 'GET /sync/snapshot', bytes: 3_000_000, times: 2 };
    const core = await openCore();
    try {
      await signIn(core, { ...ts.server, url: proxy.url } as RunningServer, DEMO_USERS.editor);
      expect(proxy.cuts).toBe(2);
      const snaps = proxy.requests.filter((r) => r.includes('/sync/snapshot?environment=main'));
      expect(snaps.length).toBe(3);
      // The resumed requests start after what arrived, not from the beginning.
      expect(snaps.slice(1).every((r) => /since=[1-9]/.test(r) && /until=[1-9]/.test(r))).toBe(true);
      const local = localArticles(core);
      expect(local).toEqual(serverArticles());
      expect(core.countRecords('main', 'article')).toBe(local.size);
      // The search index holds each row once (filled after the bulk load).
      expect(core.records('main', 'article', { search: 'bulk snapbulk 4242' }).map((r) => r.id)).toEqual(['snapbulk-004242']);
      expect(core.countRecords('main', 'article', { search: 'snapbulk-00424' })).toBe(10);
    } finally {
      await core.close();
      await proxy.close();
    }
  });

  it('writes made by another editor while the snapshot streams are all there after it', async () => {
    const ids = [...serverArticles().keys()].filter((id) => id.startsWith('snapbulk-'));
    let writing = true;
    let writes = 0;
    const deleted: string[] = [];
    const updated: string[] = [];
    let created = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        // Spread over the whole range, so rows not yet streamed are moved past its end.
        const id = ids[(i * 977) % ids.length]!;
        const cur = (ts.server.db.prepare("SELECT version, deleted FROM records WHERE project_id = ? AND environment = 'main' AND id = ?").get(DEMO_PROJECT_ID, id) as { version: number; deleted: number });
        if (cur.deleted) continue;
        if (i % 7 === 3) {
          await admin.ok('mutation($id: ID!, $v: Int!, $c: ID!) { deleteRecord(environment: "main", id: $id, baseVersion: $v, clientMutationId: $c) }', { id, v: cur.version, c: cmid() });
          deleted.push(id);
        } else if (i % 5 === 1) {
          await admin.ok('mutation($c: ID!, $v: JSON!) { createRecord(environment: "main", model: "article", values: $v, clientMutationId: $c) { id } }', ((c: string) => ({ c, v: { title: { en: 'during' }, body: { en: dastFromText('during') }, slug: c } }))(cmid('during')));
          created++;
        } else {
          updated.push(id);
          await admin.ok('mutation($id: ID!, $v: Int!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { slug: $c }, clientMutationId: $c) { version } }', { id, v: cur.version, c: cmid('w') });
        }
        writes++;
      }
    })();
    const core = await openCore();
    try {
      // Slow the stream a little (a proxy in between), so the writer gets many writes in.
      const proxy = await startProxy(ts.server);
      const before = writes;
      await signIn(core, { ...ts.server, url: proxy.url } as RunningServer, DEMO_USERS.editor);
      const during = writes - before;
      writing = false;
      await writer;
      expect(during).toBeGreaterThan(3);
      // What the writer did after the first pull's last changes page comes with the next sync.
      const report = await core.sync();
      await proxy.close();
      expect(report.offline).toBe(false);
      const local = localArticles(core);
      const server = serverArticles();
      expect(local).toEqual(server);
      for (const id of deleted) expect(local.has(id)).toBe(false);
      // The indexes the first pull builds after its load (store.bulkLoad) agree with the rows,
      // rows the writer changed mid-stream included: the list's total and the search index.
      expect(core.countRecords('main', 'article')).toBe(local.size);
      for (const id of updated.filter((id) => local.has(id)).slice(0, 30)) expect(core.records('main', 'article', { search: id, limit: 5 }).map((r) => r.id)).toEqual([id]);
      expect(core.records('main', 'article', { search: 'during', limit: 500 })).toHaveLength(created);
    } finally {
      writing = false;
      await writer;
      await core.close();
    }
  });
});
