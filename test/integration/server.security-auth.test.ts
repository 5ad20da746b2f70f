/**
 * Issue 9, sign-in rows: D (parallel guesses outrunning the lock), E (TOTP replay), guesses
 * at disableTwoFactor, TOTP secrets at rest, and the data folder's modes. Real server over
 * TLS on a data folder this file owns, restarted where the row is about a start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/demo/seed';
import { currentTotp } from '../../server/auth/totp';
import { TestClient } from '../support/server';

const LIMITS = { loginsPerMinutePerIp: 1_000 };
let dir: string;
let server: RunningServer;
let client: TestClient;
async function start(): Promise<void> {
  server = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, limits: LIMITS });
  client = new TestClient(server);
}
beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'inkstone-sec-')), 'data');
  // A data folder someone made with loose modes, before the server's first start.
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  await start();
});
afterAll(async () => {
  await server.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

const LOGIN = 'mutation($e: String!, $p: String!, $o: String) { login(email: $e, password: $p, otp: $o) { token } }';
const mode = (p: string) => statSync(p).mode & 0o777;

/** Codes below are counted in steps from the confirming one: start well inside a 30 s step. */
async function awayFromStepBoundary(): Promise<void> {
  const into = Date.now() % 30_000;
  if (into > 24_000) await new Promise((r) => setTimeout(r, 30_000 - into + 200));
}

async function enableTwoFactor(email: string): Promise<{ session: TestClient; secret: string }> {
  await awayFromStepBoundary();
  const session = await client.login(email);
  const setup = await session.ok<{ setupTwoFactor: { secret: string } }>('mutation { setupTwoFactor { secret } }');
  await session.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(setup.setupTwoFactor.secret) });
  return { session, secret: setup.setupTwoFactor.secret };
}

describe('D: the account lock counts attempts before the password is checked', () => {
  it('60 parallel wrong-password sign-ins check at most 5 passwords; the rest, and then the right one, are RATE_LIMITED', async () => {
    // Enough connections that all 60 are in flight at once.
    const agent = new Agent({ connect: { ca: server.ca }, connections: 64 });
    const attempt = async (password: string) => {
      const res = await request(server.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { e: DEMO_USERS.translator, p: password } }),
      });
      const body = (await res.body.json()) as { errors?: { extensions: { code: string } }[] };
      return body.errors?.[0]?.extensions.code ?? 'OK';
    };
    // Open the 60 connections first (TLS handshakes), so the 60 sign-ins arrive together.
    await Promise.all(
      Array.from({ length: 60 }, async () => (await request(server.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).body.dump()),
    );
    const codes = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(`Wrong-pass-${i}`)));
    const count = (c: string) => codes.filter((x) => x === c).length;
    expect(count('INVALID_CREDENTIALS')).toBeLessThanOrEqual(5);
    expect(count('INVALID_CREDENTIALS') + count('RATE_LIMITED')).toBe(60);
    expect(await attempt(DEMO_PASSWORD)).toBe('RATE_LIMITED');
    await agent.close();
  });
});

describe('E: a TOTP step is accepted once per user', () => {
  it('a code that signed in does not sign in again, not even in parallel; the confirming code does not sign in', async () => {
    const { secret } = await enableTwoFactor(DEMO_USERS.media);
    expect(await client.code(LOGIN, { e: DEMO_USERS.media, p: DEMO_PASSWORD, o: currentTotp(secret) })).toBe('INVALID_CREDENTIALS');
    const next = currentTotp(secret, 1);
    expect(await client.code(LOGIN, { e: DEMO_USERS.media, p: DEMO_PASSWORD, o: next })).toBeUndefined();
    expect(await client.code(LOGIN, { e: DEMO_USERS.media, p: DEMO_PASSWORD, o: next })).toBe('INVALID_CREDENTIALS');
    const later = currentTotp(secret, -1);
    // An earlier step than the last accepted one is a replay too.
    expect(await client.code(LOGIN, { e: DEMO_USERS.media, p: DEMO_PASSWORD, o: later })).toBe('INVALID_CREDENTIALS');
  });

  it('parallel sign-ins with one fresh code: exactly one gets in', async () => {
    const { secret } = await enableTwoFactor(DEMO_USERS.editor);
    const code = currentTotp(secret, 1);
    const codes = await Promise.all(Array.from({ length: 4 }, () => client.code(LOGIN, { e: DEMO_USERS.editor, p: DEMO_PASSWORD, o: code })));
    expect(codes.filter((c) => c === undefined)).toHaveLength(1);
  });
});

describe('also weak: guesses at disableTwoFactor, secrets at rest', () => {
  it('disableTwoFactor locks after 5 wrong codes, like a sign-in, and then refuses even the right code', async () => {
    const { session, secret } = await enableTwoFactor(DEMO_USERS.developer);
    const DISABLE = 'mutation($o: String!) { disableTwoFactor(otp: $o) }';
    const wrong = currentTotp(secret) === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) expect(await session.code(DISABLE, { o: wrong })).toBe('INVALID_CREDENTIALS');
    expect(await session.code(DISABLE, { o: wrong })).toBe('RATE_LIMITED');
    expect(await session.code(DISABLE, { o: currentTotp(secret, 1) })).toBe('RATE_LIMITED');
    expect(server.db.prepare('SELECT totp_secret IS NOT NULL AS on2fa FROM users WHERE email = ?').get(DEMO_USERS.developer)).toEqual({ on2fa: 1 });
  });

  it('TOTP secrets are sealed with a key outside the database, and clear ones from before are sealed at start', async () => {
    const stored = server.db.prepare('SELECT totp_secret AS s FROM users WHERE email = ?').get(DEMO_USERS.media) as { s: string };
    expect(stored.s).toMatch(/^v1:/);
    expect(mode(join(dir, 'secret.key'))).toBe(0o600);
    const key = readFileSync(join(dir, 'secret.key'), 'utf8').trim();
    expect(readFileSync(join(dir, 'inkstone.sqlite')).includes(key)).toBe(false);

    // A secret an older server stored in clear.
    const clear = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    server.db.prepare('UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE email = ?').run(clear, DEMO_USERS.admin);
    await server.close();
    await start();
    const sealed = server.db.prepare('SELECT totp_secret AS s FROM users WHERE email = ?').get(DEMO_USERS.admin) as { s: string };
    expect(sealed.s).toMatch(/^v1:/);
    expect(sealed.s).not.toContain(clear);
    expect(await client.code(LOGIN, { e: DEMO_USERS.admin, p: DEMO_PASSWORD, o: currentTotp(clear) })).toBeUndefined();
  });
});

describe('also weak: the data folder is owner-only whatever was there', () => {
  it('DIR 0700, inkstone.sqlite* 0600, files/ 0700, at first start and after loosened modes', async () => {
    const check = () => {
      expect(mode(dir)).toBe(0o700);
      for (const f of ['inkstone.sqlite', 'inkstone.sqlite-wal', 'inkstone.sqlite-shm']) if (existsSync(join(dir, f))) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
      expect(existsSync(join(dir, 'inkstone.sqlite-wal'))).toBe(true);
      expect(mode(join(dir, 'files'))).toBe(0o700);
    };
    check();
    await server.close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'files'), 0o755);
    for (const f of ['inkstone.sqlite', 'inkstone.sqlite-wal', 'inkstone.sqlite-shm']) if (existsSync(join(dir, f))) chmodSync(join(dir, f), 0o644);
    await start();
    check();
  });
});
