/**
 * Session 7's attack on the GraphQL endpoint (both of its paths, direct.ts and yoga): what a web
 * page or a hostile document could make of it. Each test fails on the code before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, type TestServer } from '../support/server';

let ts: TestServer;
let agent: Agent;
beforeAll(async () => {
  ts = await startTestServer();
  agent = new Agent({ connect: { ca: ts.server.ca } });
});
afterAll(async () => {
  await agent.close();
  await ts.stop();
});

async function post(body: string, headers: Record<string, string>) {
  const res = await request(ts.server.url, { method: 'POST', dispatcher: agent, headers, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const sessions = () => (ts.server.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
const LOGIN = `mutation { login(email: "${DEMO_USERS.editor}", password: "${DEMO_PASSWORD}") { token } }`;

describe('the GraphQL endpoint and the web', () => {
  it('a form or text/plain POST (one a page may send anywhere without a preflight) is refused, and its mutation does not run', async () => {
    const before = sessions();
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(LOGIN)}`],
      ['text/plain', JSON.stringify({ query: LOGIN })],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${LOGIN}\r\n--x--\r\n`],
    ] as const) {
      const res = await post(body, { 'content-type': type, origin: 'https://evil.example' });
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect(res.text).not.toContain('token"');
    }
    expect(sessions()).toBe(before);
  });

  it('no answer, from either path, lets a page of another origin read it (no CORS headers)', async () => {
    for (const query of ['{ __typename }', '{ nope }', '{ viewer { role { name } } }']) {
      const res = await post(JSON.stringify({ query }), { 'content-type': 'application/json', origin: 'https://evil.example' });
      expect(res.headers['access-control-allow-origin'], query).toBeUndefined();
      expect(res.headers['access-control-allow-credentials'], query).toBeUndefined();
    }
  });

  it('a document nested thousands deep within the token bound is VALIDATION_FAILED, not a stack overflow (it was a 500)', async () => {
    const deep = `{ records(environment: "main", model: ${'['.repeat(2_500)}1${']'.repeat(2_500)}) { hasMore } }`;
    const auths: Record<string, string>[] = [{}, { authorization: `Bearer ${(await ts.client.login(DEMO_USERS.editor)).token}` }];
    for (const auth of auths) {
      const t0 = performance.now();
      const res = await post(JSON.stringify({ query: deep }), { 'content-type': 'application/json', ...auth });
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(res.status).not.toBe(500);
      const errors = (JSON.parse(res.text) as { errors: { message: string; extensions: { code: string } }[] }).errors;
      expect(errors[0]!.extensions.code).toBe('VALIDATION_FAILED');
      expect(errors[0]!.message).toContain('Nesting limit');
    }
    // Brackets in strings and comments do not count.
    const fine = await post(JSON.stringify({ query: `# ${'['.repeat(300)}\n{ __typename @deprecated(reason: "${'{'.repeat(300)}") }` }), { 'content-type': 'application/json' });
    expect(fine.text).not.toContain('Nesting limit');
  });
});
