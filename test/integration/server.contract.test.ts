import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import tls from 'node:tls';
import { request } from 'undici';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/demo/seed';
import { currentTotp } from '../../server/auth/totp';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';

let ts: TestServer;
let admin: TestClient;
let editor: TestClient;
beforeAll(async () => {
  ts = await startTestServer({ maxBodyBytes: 64 * 1024 });
  admin = await ts.client.login(DEMO_USERS.admin);
  editor = await ts.client.login(DEMO_USERS.editor);
});
afterAll(async () => ts.stop());

const UPDATE = `mutation($env: ID!, $id: ID!, $v: Int!, $values: JSON!, $c: ID!) {
  updateRecord(environment: $env, id: $id, baseVersion: $v, values: $values, clientMutationId: $c) { id version values } }`;
const CREATE = `mutation($env: ID!, $model: ID!, $id: ID, $values: JSON!, $c: ID!) {
  createRecord(environment: $env, model: $model, id: $id, values: $values, clientMutationId: $c) { id version } }`;
const RECORD = 'query($id: ID!) { record(environment: "main", id: $id) { version values } }';
const auditCount = async () => (await admin.ok<{ auditLog: { nodes: unknown[] } }>('{ auditLog(first: 500) { nodes { id } } }')).auditLog.nodes.length;

describe('transport', () => {
  it('has no plain-HTTP listener', async () => {
    const err = await new Promise<Error | null>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: ts.server.port, path: '/graphql', method: 'POST' }, () => resolve(null));
      req.on('error', resolve);
      req.end('{}');
    });
    expect(err).not.toBeNull();
  });

  it('refuses a TLS 1.1 client and accepts TLS 1.2', async () => {
    const handshake = (maxVersion: tls.SecureVersion, minVersion: tls.SecureVersion) =>
      new Promise<string>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port: ts.server.port, ca: ts.server.ca, minVersion, maxVersion, servername: 'localhost' }, () => {
          resolve(`ok ${s.getProtocol()}`);
          s.end();
        });
        s.on('error', (e) => resolve(`error ${e.message}`));
      });
    expect(await handshake('TLSv1.1', 'TLSv1')).toMatch(/^error/);
    expect(await handshake('TLSv1.2', 'TLSv1.2')).toBe('ok TLSv1.2');
  });

  it('sends HSTS and refuses GET /graphql', async () => {
    const res = await request(ts.server.url, { method: 'GET', dispatcher: admin.agent });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.statusCode).toBe(405);
    await res.body.dump();
  });
});

describe('error codes', () => {
  it('UNAUTHENTICATED without a token or with a made-up one', async () => {
    expect(await ts.client.code('{ viewer { role { id } } }')).toBe('UNAUTHENTICATED');
    expect(await ts.client.as('ink_s_notarealtokenatallnotarealtoken').code('{ environments { id } }')).toBe('UNAUTHENTICATED');
  });

  it('INVALID_CREDENTIALS for a wrong password and for an unknown account, alike', async () => {
    const wrong = await ts.client.gql('mutation { login(email: "editor@demo.test", password: "Wrong-pass-1") { token } }');
    const unknown = await ts.client.gql('mutation { login(email: "nobody@demo.test", password: "Wrong-pass-1") { token } }');
    expect(wrong.errors?.[0]?.extensions.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it('RATE_LIMITED with retryAfter after repeated failed sign-ins to one account', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++) codes.push(await ts.client.code('mutation { login(email: "brute@demo.test", password: "Wrong-pass-1") { token } }'));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    const r = await ts.client.gql('mutation { login(email: "brute@demo.test", password: "Wrong-pass-1") { token } }');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.errors?.[0]?.extensions['retryAfter']).toBeGreaterThan(0);
  });

  it('NOT_FOUND for an unknown record and environment; FORBIDDEN carries a reason', async () => {
    expect(await editor.code('query { recordVersions(environment: "main", id: "nope") { version } }')).toBe('NOT_FOUND');
    expect(await editor.code('{ models(environment: "prod") { id } }')).toBe('NOT_FOUND');
    const f = await editor.gql('{ auditLog { nodes { id } } }');
    expect(f.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FLAG_MISSING' });
  });

  it('STALE_VERSION carries the current record', async () => {
    const cur = (await editor.ok<{ record: { version: number } }>(RECORD, { id: 'article-05' })).record.version;
    const r = await editor.gql(UPDATE, { env: 'main', id: 'article-05', v: cur - 1 || 99, values: { slug: 'x-y' }, c: cmid() });
    expect(r.errors?.[0]?.extensions.code).toBe('STALE_VERSION');
    expect(r.errors?.[0]?.extensions['current']).toMatchObject({ id: 'article-05', version: cur });
  });

  it('VALIDATION_FAILED names each bad cell, and nothing is written', async () => {
    const before = await editor.ok<{ record: { version: number; values: unknown } }>(RECORD, { id: 'article-06' });
    const audits = await auditCount();
    const r = await editor.gql(UPDATE, {
      env: 'main',
      id: 'article-06',
      v: before.record.version,
      values: { title: { fr: 42 }, slug: 'Not a slug', published_on: '2026-02-30x', nope: 1 },
      c: cmid(),
    });
    expect(r.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(r.errors?.[0]?.extensions['fields'] as object).sort()).toEqual(['nope', 'published_on', 'slug', 'title.fr']);
    expect(await editor.ok(RECORD, { id: 'article-06' })).toEqual(before);
    expect(await auditCount()).toBe(audits);
    expect(await editor.code(UPDATE, { env: 'main', id: 'article-06', v: before.record.version, values: [1, 2], c: cmid() })).toBe('VALIDATION_FAILED');
    expect(await editor.code(CREATE, { env: 'main', model: 'author', values: { bio: { en: 'no name' } }, c: cmid() })).toBe('VALIDATION_FAILED');
    expect(await editor.code(CREATE, { env: 'main', model: 'author', id: '../../etc', values: { name: 'x' }, c: cmid() })).toBe('VALIDATION_FAILED');
    // Hostile JSON shapes are refused whole as input, never a crash, never a quiet partial write.
    const hostile: unknown[] = [
      'text',
      { toString: '' },
      { title: { toString: '' } },
      { title: { en: { toString: '' } } },
      JSON.parse('{"__proto__": {"title": {"en": "x"}}}'),
      JSON.parse('{"slug": "ok-slug", "title": {"__proto__": {"en": "x"}}}'),
      { constructor: { prototype: { polluted: true } } },
      { title: { en: ['a', { b: [] }] } },
      { author: { toString: '' } },
    ];
    for (const values of hostile) {
      expect(await editor.code(UPDATE, { env: 'main', id: 'article-06', v: before.record.version, values, c: cmid() }), JSON.stringify(values)).toBe('VALIDATION_FAILED');
    }
    const proto = await editor.gql(UPDATE, { env: 'main', id: 'article-06', v: before.record.version, values: JSON.parse('{"__proto__": {}}'), c: cmid() });
    expect(proto.errors?.[0]?.extensions['fields']).toEqual({ values: 'the key "__proto__" is not allowed' });
    const nul = await editor.gql(UPDATE, { env: 'main', id: 'article-06', v: before.record.version, values: null, c: cmid() });
    expect(nul.errors?.[0]).toMatchObject({ message: expect.stringMatching(/\$values.*must not be null/), extensions: { code: 'VALIDATION_FAILED' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(await editor.ok(RECORD, { id: 'article-06' })).toEqual(before);
  });

  it('CONFLICT when another principal reuses a record id', async () => {
    const id = `dup-${Date.now()}`;
    await editor.ok(CREATE, { env: 'main', model: 'author', id, values: { name: 'First' }, c: cmid() });
    expect(await admin.code(CREATE, { env: 'main', model: 'author', id, values: { name: 'Second' }, c: cmid() })).toBe('CONFLICT');
  });

  it('OTP_REQUIRED once 2FA is on, and TWO_FACTOR_REQUIRED when the project demands it of a user without it', async () => {
    const media = await ts.client.login(DEMO_USERS.media);
    const setup = await media.ok<{ setupTwoFactor: { secret: string; otpauthUrl: string } }>('mutation { setupTwoFactor { secret otpauthUrl } }');
    expect(setup.setupTwoFactor.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(await media.code('mutation { confirmTwoFactor(otp: "000000") }')).toBe('INVALID_CREDENTIALS');
    await media.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(setup.setupTwoFactor.secret) });
    expect(await ts.client.code(`mutation { login(email: "${DEMO_USERS.media}", password: "${DEMO_PASSWORD}") { token } }`)).toBe('OTP_REQUIRED');
    // The confirming code's step is used up (a step is accepted once): sign in with the next one.
    const withOtp = await ts.client.login(DEMO_USERS.media, DEMO_PASSWORD, currentTotp(setup.setupTwoFactor.secret, 1));
    expect((await withOtp.ok<{ viewer: { user: { twoFactorEnabled: boolean } } }>('{ viewer { user { twoFactorEnabled } } }')).viewer.user.twoFactorEnabled).toBe(true);

    expect(await admin.code('mutation { updateProjectSettings(input: { requireTwoFactor: true }) { requireTwoFactor } }')).toBe('CONFLICT');
    const adminSetup = await admin.ok<{ setupTwoFactor: { secret: string } }>('mutation { setupTwoFactor { secret } }');
    await admin.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(adminSetup.setupTwoFactor.secret) });
    await admin.ok('mutation { updateProjectSettings(input: { requireTwoFactor: true }) { requireTwoFactor } }');
    try {
      expect(await editor.code('{ environments { id } }')).toBe('TWO_FACTOR_REQUIRED');
      expect(await withOtp.code('{ environments { id } }')).toBeUndefined();
      expect(await editor.code('mutation { setupTwoFactor { secret } }')).toBeUndefined();
    } finally {
      await admin.ok('mutation { updateProjectSettings(input: { requireTwoFactor: false }) { requireTwoFactor } }');
    }
  });
});

describe('idempotency', () => {
  it('a retried clientMutationId applies once and answers the first result', async () => {
    const v = (await editor.ok<{ record: { version: number } }>(RECORD, { id: 'article-07' })).record.version;
    const c = cmid('retry');
    const first = await editor.ok<{ updateRecord: { version: number } }>(UPDATE, { env: 'main', id: 'article-07', v, values: { slug: 'retry-once' }, c });
    const second = await editor.ok<{ updateRecord: { version: number } }>(UPDATE, { env: 'main', id: 'article-07', v, values: { slug: 'retry-once' }, c });
    expect(second).toEqual(first);
    expect((await editor.ok<{ record: { version: number } }>(RECORD, { id: 'article-07' })).record.version).toBe(v + 1);
  });

  it('concurrent sends of one clientMutationId apply once', async () => {
    const id = `conc-${Date.now()}`;
    const c = cmid('conc');
    const results = await Promise.all(Array.from({ length: 12 }, () => editor.gql<{ createRecord: { id: string; version: number } }>(CREATE, { env: 'main', model: 'author', id, values: { name: 'Once' }, c })));
    expect(results.every((r) => r.data?.createRecord.id === id)).toBe(true);
    const versions = await editor.ok<{ recordVersions: { version: number }[] }>('query($id: ID!) { recordVersions(environment: "main", id: $id) { version } }', { id });
    expect(versions.recordVersions).toHaveLength(1);
    const v = 1;
    const uc = cmid('conc-upd');
    await Promise.all(Array.from({ length: 8 }, () => editor.gql(UPDATE, { env: 'main', id, v, values: { bio: { en: 'once' } }, c: uc })));
    expect((await editor.ok<{ record: { version: number } }>(RECORD, { id })).record.version).toBe(2);
  });

  it('a clientMutationId reused for another operation is a CONFLICT', async () => {
    const c = cmid('reuse');
    await editor.ok(CREATE, { env: 'main', model: 'author', values: { name: 'Reuse' }, c });
    expect(await editor.code('mutation($c: ID!) { publishRecord(environment: "main", id: "author-1", clientMutationId: $c) { id } }', { c })).toBe('CONFLICT');
  });
});

describe('request limits', () => {
  it('refuses an oversized body with 413 and a too-deep query', async () => {
    const res = await request(ts.server.url, {
      method: 'POST',
      dispatcher: editor.agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${editor.token}` },
      body: JSON.stringify({ query: '{ viewer { role { id } } }', variables: { pad: 'x'.repeat(100_000) } }),
    });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
    const nest = (n: number) => `{ __schema { types { fields { type ${'{ ofType '.repeat(n)}{ name }${' }'.repeat(n)} } } } }`;
    expect((await editor.gql(nest(3))).errors).toBeUndefined();
    const r = await editor.gql(nest(20));
    expect(r.errors?.[0]?.message ?? '').toMatch(/depth/i);
  });

  it('answers malformed JSON with an error and no data', async () => {
    const res = await request(ts.server.url, {
      method: 'POST',
      dispatcher: editor.agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${editor.token}` },
      body: '{"query": ',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    const body = (await res.body.json()) as { data?: unknown; errors: { extensions?: { code?: string } }[] };
    expect(body.errors.map((e) => e.extensions?.code)).toEqual(['VALIDATION_FAILED']);
    expect(body.data ?? null).toBeNull();
  });

  it('errors GraphQL raises itself carry a contract code too', async () => {
    for (const [query, variables] of [
      ['{ environments { id ', {}],
      ['{ environments { nope } }', {}],
      ['query($id: ID!) { record(environment: "main", id: $id) { id } }', { id: null }],
      ['query($id: ID!) { record(environment: "main", id: $id) { id } }', { id: { toString: '' } }],
    ] as const) {
      const r = await editor.gql(query, variables);
      expect(r.errors?.[0]?.extensions.code, query).toBe('VALIDATION_FAILED');
      expect(r.errors?.[0]?.message).not.toMatch(/^Unexpected error/);
    }
  });
});

describe('asset cells', () => {
  it('name an asset of the environment the writer may read, of a kind the field takes; anything else is VALIDATION_FAILED and changes nothing', async () => {
    const before = await editor.ok<{ record: { version: number; values: Record<string, unknown> } }>(RECORD, { id: 'article-07' });
    const audits = await auditCount();
    const cover = async (id: string | null) => editor.gql(UPDATE, { env: 'main', id: 'article-07', v: before.record.version, values: { cover: id }, c: cmid() });
    // The Article cover takes images: a Markdown brief is refused, naming the file and its kind.
    const brief = await cover('note-marketing');
    expect(brief.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(brief.errors?.[0]?.extensions['fields']).toEqual({ cover: 'takes image files; marketing-brief.md is text' });
    // An id that names no asset (here, or in another environment only) is refused as such.
    const none = await cover('no-such-asset');
    expect(none.errors?.[0]?.extensions['fields']).toEqual({ cover: 'no asset "no-such-asset" in main' });
    // A record id is not an asset id.
    expect((await cover('article-01')).errors?.[0]?.extensions['fields']).toEqual({ cover: 'no asset "article-01" in main' });
    expect(await editor.ok(RECORD, { id: 'article-07' })).toEqual(before);
    expect(await auditCount()).toBe(audits);
    // A picture is taken; clearing the cell needs no asset.
    expect((await cover('img-marketing-1')).data).not.toBeNull();
    expect((await editor.gql(UPDATE, { env: 'main', id: 'article-07', v: before.record.version + 1, values: { cover: null }, c: cmid() })).data).not.toBeNull();
    // A create is held to the same rule.
    const created = await editor.gql(CREATE, { env: 'main', model: 'article', values: { title: { en: 'Briefed' }, slug: 'briefed', cover: 'note-campaigns' }, c: cmid() });
    expect(created.errors?.[0]?.extensions['fields']).toMatchObject({ cover: 'takes image files; campaigns-brief.md is text' });
  });
});

describe('link cells', () => {
  it("name, when they name a record the writer may read, one of the models the field takes; an id the writer cannot see passes alike, so nothing is learned of it", async () => {
    const before = await editor.ok<{ record: { version: number; values: Record<string, unknown> } }>(RECORD, { id: 'article-07' });
    const audits = await auditCount();
    const author = (id: unknown, v = before.record.version) => editor.gql(UPDATE, { env: 'main', id: 'article-07', v, values: { author: id }, c: cmid() });
    // The Article's author takes Author records: an Article is refused, naming both.
    const wrong = await author('article-01');
    expect(wrong.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(wrong.errors?.[0]?.extensions['fields']).toEqual({ author: 'takes Author records; "article-01" is an Article' });
    expect(await editor.ok(RECORD, { id: 'article-07' })).toEqual(before);
    expect(await auditCount()).toBe(audits);
    // A create is held to the same rule, beside its other problems.
    const created = await editor.gql(CREATE, { env: 'main', model: 'article', values: { title: { en: 'Linked' }, author: 'article-02' }, c: cmid() });
    expect(created.errors?.[0]?.extensions['fields']).toMatchObject({ author: 'takes Author records; "article-02" is an Article' });
    // An Author is taken; so is an id no record has here (one made offline elsewhere, not yet sent).
    expect((await author('author-2')).data).not.toBeNull();
    expect((await author('made-offline-elsewhere', before.record.version + 1)).data).not.toBeNull();

    // A role that reads only its own articles: an Article it cannot read passes as an unknown id
    // would, while one of its own is refused; the answer tells it nothing of the others.
    const role = await admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', {
      i: {
        name: 'Own articles',
        flags: {},
        environmentsAccess: 'primary_only',
        recordRules: [
          { effect: 'allow', models: ['article'], actions: ['read', 'create', 'update'], onCreator: 'self' },
          { effect: 'allow', models: ['author'], actions: ['read'] },
        ],
        uploadRules: [],
      },
    });
    const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation($r: ID!) { inviteCollaborator(email: "own.links@demo.test", role: $r) { token } }', { r: role.createRole.id });
    const accepted = await ts.client.ok<{ acceptInvitation: { token: string } }>('mutation($t: String!) { acceptInvitation(token: $t, name: "Own", password: "Strong-pass-9") { token } }', { t: inv.inviteCollaborator.token });
    const own = ts.client.as(accepted.acceptInvitation.token);
    const body = { en: { schema: 'dast', document: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'span', value: 'x' }] }] } } };
    const mine = async (id: string) => (await own.ok<{ createRecord: { version: number } }>(CREATE, { env: 'main', model: 'article', id, values: { title: { en: id }, body }, c: cmid() })).createRecord.version;
    const v = await mine('own-links-a');
    await mine('own-links-b');
    const link = (to: string) => own.gql(UPDATE, { env: 'main', id: 'own-links-a', v, values: { author: to }, c: cmid() });
    expect((await link('own-links-b')).errors?.[0]?.extensions['fields']).toEqual({ author: 'takes Author records; "own-links-b" is an Article' });
    const unseen = await link('article-01');
    expect(unseen.errors).toBeUndefined();
    expect(unseen.data).not.toBeNull();
  });
});

describe('the per-principal request rate', () => {
  it('counts each GraphQL request once, refuses the principal over it with 429 RATE_LIMITED and retry-after, and leaves other principals on the same address alone', async () => {
    const limited = await startTestServer({ requestsPerMinutePerPrincipal: 6, requestsPerMinutePerIp: 1_000 });
    try {
      // Sign-in itself is anonymous: it does not count against the editor.
      const ed = await limited.client.login(DEMO_USERS.editor);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await ed.gql('{ viewer { user { email } } }')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      const refused = await ed.gql('{ viewer { user { email } } }');
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(refused.errors?.[0]?.extensions['retryAfter']).toBeGreaterThan(0);
      expect(refused.data).toBeNull();
      // A refused mutation does not run.
      const before = (limited.server.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
      expect(await ed.code(CREATE, { env: 'main', model: 'author', values: { name: 'Over the rate' }, c: cmid() })).toBe('RATE_LIMITED');
      expect((limited.server.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n).toBe(before);
      // The limit is the principal's, not the address's.
      const other = await limited.client.login(DEMO_USERS.translator);
      expect((await other.gql('{ viewer { user { email } } }')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
