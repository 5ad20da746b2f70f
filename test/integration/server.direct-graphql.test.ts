import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { startServer, type RunningServer } from '../../server/http/server';
import { startTestServer, type TestServer } from '../support/server';
import { DEMO_USERS } from '../../server/demo/seed';

/**
 * The direct GraphQL path (server/graphql/direct.ts) against yoga, the reference: two servers on
 * one data directory, one answering through the direct path where it can, the other through yoga
 * alone, asked the same random requests (documents valid and not, hostile variables, other
 * principals' records, odd headers and bodies). Status, content type and length, CORS headers and
 * body must be the same.
 * A mutation asked of both carries one clientMutationId: the second answer is the replay of the
 * first, so it is equal only if both paths said the same thing the first time.
 */

const LIMITS = { requestsPerMinutePerIp: 1_000_000, requestsPerMinutePerPrincipal: 1_000_000 };

const deep = `{ __schema { types { fields { type ${'{ ofType '.repeat(14)}{ name }${' }'.repeat(14)} } } } }`;
const DOCS = {
  typename: '{ __typename }',
  viewer: '{ viewer { user { id email } role { name } permissionsFingerprint } }',
  changes: 'query($s: String, $l: Int) { changes(environment: "main", since: $s, limit: $l) { changes { seq kind recordId record { id version values } } nextCursor hasMore } }',
  record: 'query($e: ID!, $id: ID!) { record(environment: $e, id: $id) { id version status values } }',
  records: 'query($m: ID!, $f: Int) { records(environment: "main", model: $m, first: $f) { nodes { id version status } hasMore } }',
  update:
    'mutation($id: ID!, $v: Int!, $b: JSON!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: $b, clientMutationId: $c) { id version values } }',
  publish: 'mutation($id: ID!, $c: ID!) { publishRecord(environment: "main", id: $id, clientMutationId: $c) { id version status } }',
  create: 'mutation($m: ID!, $b: JSON!, $c: ID!) { createRecord(environment: "main", model: $m, values: $b, clientMutationId: $c) { model version values } }',
  schema: '{ __schema { queryType { name } } }',
  twoOps: 'query A { __typename } query B { viewer { user { id } } }',
  syntax: '{ viewer { ',
  unknownField: '{ nope }',
  deep,
  aliases: `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  tokens: `query(${'$a:Int '.repeat(1_300)}) { __typename }`,
} as const;
type DocName = keyof typeof DOCS;

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'text/plain', 'application/graphql+json'];
const ACCEPTS = [
  undefined,
  '*/*',
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json',
  'application/json, application/graphql-response+json',
  'text/html',
  'application/json; charset=latin1',
  'multipart/mixed, application/json',
];

interface Ask {
  principal: 'anonymous' | 'admin' | 'translator';
  doc: DocName;
  vars: Record<string, unknown>;
  operationName: string | null | undefined;
  framing: 'plain' | 'extraKey' | 'variablesArray' | 'queryNumber' | 'notJson' | 'empty';
  contentType: string;
  accept: string | undefined;
}

describe('the direct GraphQL path answers as yoga does', () => {
  let a: TestServer;
  let b: RunningServer;
  let agent: Agent;
  const tokens: Record<string, string> = {};
  let recordIds: string[] = [];

  beforeAll(async () => {
    a = await startTestServer(LIMITS);
    b = await startServer({ dataDir: a.dir, host: '127.0.0.1', port: 0, limits: LIMITS, directGraphql: false });
    agent = new Agent({ connect: { ca: a.server.ca }, connections: 4 });
    tokens['admin'] = (await a.client.login(DEMO_USERS.admin)).token!;
    tokens['translator'] = (await a.client.login(DEMO_USERS.translator)).token!;
    const page = await a.client.as(tokens['admin']!).ok<{ records: { nodes: { id: string }[] } }>('{ records(environment: "main", model: "article", first: 4) { nodes { id } } }');
    recordIds = page.records.nodes.map((n) => n.id);
  });
  afterAll(async () => {
    await agent.close();
    await b.close();
    await a.stop();
  });

  async function ask(server: RunningServer, q: Pick<Ask, 'principal' | 'contentType' | 'accept'>, body: string, extraHeaders: Record<string, string> = {}) {
    const headers: Record<string, string> = { 'content-type': q.contentType, ...extraHeaders };
    if (q.accept !== undefined) headers['accept'] = q.accept;
    if (q.principal !== 'anonymous') headers['authorization'] = `Bearer ${tokens[q.principal]}`;
    const res = await request(server.url, { method: 'POST', dispatcher: agent, headers, body });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Compared as text.
    }
    // The framing and CORS headers too: a client (or a browser) reads them.
    const { 'content-type': contentType, 'content-length': contentLength, 'access-control-allow-origin': allowOrigin, 'access-control-allow-credentials': allowCredentials, vary } = res.headers;
    return { status: res.statusCode, contentType, contentLength, allowOrigin, allowCredentials, vary, body: parsed };
  }

  function bodyOf(q: Ask): string {
    const query = DOCS[q.doc];
    const params: Record<string, unknown> = { query, variables: q.vars };
    if (q.operationName !== undefined) params['operationName'] = q.operationName;
    switch (q.framing) {
      case 'plain':
        return JSON.stringify(params);
      case 'extraKey':
        return JSON.stringify({ ...params, persisted: true });
      case 'variablesArray':
        return JSON.stringify({ query, variables: [1] });
      case 'queryNumber':
        return JSON.stringify({ query: 42 });
      case 'notJson':
        return `{"query": ${JSON.stringify(query)}`;
      case 'empty':
        return '';
    }
  }

  it('gives the same status, headers and body for 300 random requests; most valid ones take the direct path', async () => {
    let n = 0;
    let directly = 0;
    const id = () => fc.oneof(fc.constantFrom(...recordIds), fc.constantFrom('nope', '', 'x'.repeat(300)));
    const values = fc.oneof(
      { weight: 4, arbitrary: fc.constant({ title: { en: 'Direct' } }) },
      fc.constant({ name: 'Direct' }),
      fc.constant({ name: { en: 'Direct' } }),
      fc.constant({ title: { fr: 'Direct' } }),
      fc.constant({ title: { xx: 'nope' } }),
      // An own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype and send `{}`).
      fc.constant(JSON.parse('{"__proto__": {"x": 1}}') as unknown),
      fc.constant('not an object'),
      fc.constant(JSON.parse('{"a":'.repeat(80) + '1' + '}'.repeat(80)) as unknown),
    );
    const version = fc.oneof({ weight: 3, arbitrary: fc.constant('current' as const) }, fc.integer({ min: -1, max: 3 }), fc.constant('seven' as const));
    const cmid = fc.oneof({ weight: 4, arbitrary: fc.constant('fresh' as const) }, fc.constant('bad id!'));
    const vars = (doc: DocName): fc.Arbitrary<Record<string, unknown>> => {
      switch (doc) {
        case 'changes':
          return fc.record({ s: fc.oneof(fc.constant(null), fc.constant('0'), fc.constant('garbage'), fc.constant(7)), l: fc.oneof(fc.constant(500), fc.integer({ min: -5, max: 5 })) });
        case 'record':
          return fc.record({ e: fc.constantFrom('main', 'sandbox', 'nope'), id: id() });
        case 'records':
          return fc.record({ m: fc.constantFrom('article', 'author', 'nope'), f: fc.oneof(fc.constant(2), fc.constant(0), fc.constant('two')) });
        case 'update':
          return fc.record({ id: id(), v: version, b: values, c: cmid });
        case 'publish':
          return fc.record({ id: id(), c: cmid });
        case 'create':
          return fc.record({ m: fc.constantFrom('article', 'author'), b: values, c: cmid });
        default:
          return fc.constant({});
      }
    };
    const arb = fc
      .constantFrom(...(Object.keys(DOCS) as DocName[]))
      .chain((doc) =>
        fc.record({
          principal: fc.constantFrom('anonymous', 'admin', 'admin', 'translator') as fc.Arbitrary<Ask['principal']>,
          doc: fc.constant(doc),
          vars: vars(doc),
          operationName: fc.constantFrom(undefined, null, 'A', 'B', 'C'),
          framing: fc.oneof({ weight: 8, arbitrary: fc.constant('plain' as const) }, { weight: 1, arbitrary: fc.constantFrom('extraKey', 'variablesArray', 'queryNumber', 'notJson', 'empty') as fc.Arbitrary<Ask['framing']> }),
          contentType: fc.oneof({ weight: 6, arbitrary: fc.constant(CONTENT_TYPES[0]!) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
          accept: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom(...ACCEPTS) }),
        }),
      );

    await fc.assert(
      fc.asyncProperty(arb, async (q) => {
        const v = { ...q.vars };
        if (v['c'] === 'fresh') v['c'] = `direct-${n++}`;
        if (v['v'] === 'current') {
          const r = await a.client.as(tokens['admin']!).ok<{ record: { version: number } | null }>('query($id: ID!) { record(environment: "main", id: $id) { version } }', { id: v['id'] });
          v['v'] = r.record?.version ?? 1;
        }
        const body = bodyOf({ ...q, vars: v });
        const before = a.server.graphqlAnswers.direct;
        const direct = await ask(a.server, q, body);
        const tookDirect = a.server.graphqlAnswers.direct - before === 1;
        const reference = await ask(b, q, body);
        expect(direct, JSON.stringify(q)).toEqual(reference);
        // Not a test of nothing: a plain JSON request that executed (its answer has data) took the direct path.
        const executed = typeof reference.body === 'object' && reference.body !== null && 'data' in reference.body;
        const plain = q.framing === 'plain' && /^application\/json(;|$)/.test(q.contentType) && !['text/html', 'application/json; charset=latin1'].includes(q.accept ?? '');
        if (executed && plain) expect(tookDirect, JSON.stringify(q)).toBe(true);
        if (tookDirect) directly++;
      }),
      { numRuns: 300 },
    );
    expect(b.graphqlAnswers.direct).toBe(0);
    expect(directly).toBeGreaterThan(30);
  });

  it('answers the corners random requests rarely reach as yoga does', async () => {
    // Each: principal, body (params, or raw JSON text), extra request headers.
    const corners: [Ask['principal'], Record<string, unknown> | string, Record<string, string>?][] = [
      // A browser names its origin: neither path adds CORS headers (compared by ask()).
      ['admin', { query: '{ __typename }' }, { origin: 'https://elsewhere.example' }],
      ['anonymous', { query: '{ viewer { role { name } } }' }, { origin: 'null' }],
      // `$__proto__`: yoga's executor loses it (value and default alike), graphql-js keeps it.
      ['admin', { query: 'query($__proto__: Int = 1) { records(environment: "main", model: "article", first: $__proto__) { hasMore } }' }],
      ['admin', '{"query": "query($__proto__: ID!) { record(environment: \\"main\\", id: $__proto__) { id } }", "variables": {"__proto__": "article-01"}}'],
      ['admin', { query: '{ __proto__: __typename viewer { toJSON: role { name } } }' }],
      ['admin', { query: 'query A { __typename } mutation B { __typename }', operationName: 'B' }],
      ['admin', { query: 'query($b: Boolean!) { __typename @include(if: $b) v: __typename @skip(if: $b) }', variables: { b: false } }],
      // A null for a nullable variable with a default, where a non-null is needed: errors, with and without a path.
      ['admin', { query: 'query($b: Boolean = true) { __typename @include(if: $b) }', variables: { b: null } }],
      ['translator', { query: 'query($a: ID = "x") { people(ids: [$a]) { id } }', variables: { a: null } }],
      ['admin', { query: '{ __typename }', extensions: { persistedQuery: { version: 1 } }, variables: null, operationName: null }],
      ['admin', '{"query": "{ nope }", "query": "{ \\u005f_typename }"}'],
      ['admin', { query: '{ __typename }' }, { accept: 'application/*' }],
      ['admin', { query: '{ __typename }' }, { accept: 'text/event-stream, application/json' }],
      ['admin', { query: '{ __typename }' }, { accept: 'application/json;q=0.1, application/graphql-response+json; charset=UTF-8' }],
      ['anonymous', { query: '{ viewer { role { name } } }' }, { accept: 'application/graphql-response+json' }],
      // Nested past the parse bound (armor.ts), within the token bound: refused by both, not a stack overflow.
      ['admin', { query: `{ records(environment: "main", model: ${'['.repeat(2_500)}1${']'.repeat(2_500)}) { hasMore } }` }],
      ['anonymous', { query: `{ __typename ${'('.repeat(200)} }` }],
    ];
    for (const [principal, params, headers] of corners) {
      const body = typeof params === 'string' ? params : JSON.stringify(params);
      const q = { principal, contentType: 'application/json', accept: undefined };
      expect(await ask(a.server, q, body, headers), body).toEqual(await ask(b, q, body, headers));
    }
  });
});
