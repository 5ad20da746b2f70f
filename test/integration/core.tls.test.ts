import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../../server/demo/seed';
import { generateTls } from '../../server/tls/certificates';
import { ApiError, ChangedCertificateError, UntrustedCertificateError } from '../../electron/core/api/errors';
import { startTestServer, type TestServer } from '../support/server';
import { newDataDir, openCore, signIn } from '../support/core';

let ts: TestServer;
const closers: (() => void)[] = [];
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  closers.forEach((c) => c());
  await ts.stop();
});

function listen(server: net.Server): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
}

describe('the API client is TLS-only and pins what the user confirmed', () => {
  it('refuses an http URL before any socket opens', async () => {
    let connections = 0;
    const plain = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    const port = await listen(plain);
    closers.push(() => plain.close());
    const core = await openCore();
    const err = await core.login({ url: `http://127.0.0.1:${port}/graphql`, email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INSECURE_URL');
    expect(connections).toBe(0);
    await core.close();
  });

  it('stops at an unknown certificate and names its fingerprint; connects once it is confirmed', async () => {
    const core = await openCore();
    const err = await core.login({ url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UntrustedCertificateError);
    const fp = (err as UntrustedCertificateError).fingerprint;
    expect(fp).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((err as Error).message).toContain(fp);
    core.trustServer(ts.server.url, fp);
    await core.login({ url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' });
    expect(core.status().signedIn).toBe(true);
    await core.close();
  });

  it('a changed certificate is a hard error naming both fingerprints', async () => {
    const other = await generateTls(['localhost', '127.0.0.1']);
    const impostor = https.createServer({ cert: other.cert, key: other.key, minVersion: 'TLSv1.2' }, (_req, res) => res.end('{}'));
    const port = await listen(impostor);
    closers.push(() => impostor.close());
    const url = `https://127.0.0.1:${port}/graphql`;
    const core = await openCore();
    const pinned = 'AB:'.repeat(31) + 'AB';
    core.trustServer(url, pinned);
    const err = await core.login({ url, email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangedCertificateError);
    expect((err as Error).message).toContain(pinned);
    expect((err as ChangedCertificateError).actual).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((err as Error).message).toContain((err as ChangedCertificateError).actual);
    await core.close();
  });

  it('refuses a server that speaks only TLS 1.1 or older', async () => {
    const m = await generateTls(['127.0.0.1']);
    const old = tls.createServer({ cert: m.cert, key: m.key, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }, (s) => s.end());
    const port = await listen(old);
    closers.push(() => old.close());
    const core = await openCore();
    const err = await core.login({ url: `https://127.0.0.1:${port}/graphql`, email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(['PROTOCOL', 'NETWORK']).toContain((err as ApiError).code);
    expect((err as Error).message).toMatch(/TLS 1\.2|protocol|version/i);
    await core.close();
  });

  it('does not follow a redirect (here, to plain http)', async () => {
    const m = await generateTls(['127.0.0.1']);
    const redirector = https.createServer({ cert: m.cert, key: m.key }, (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/graphql' });
      res.end();
    });
    const port = await listen(redirector);
    closers.push(() => redirector.close());
    const url = `https://127.0.0.1:${port}/graphql`;
    const core = await openCore();
    core.trustServer(url, (await core.checkServer(url)).fingerprint);
    const err = await core.login({ url, email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('REDIRECT_REFUSED');
    expect((err as Error).message).toContain('http://127.0.0.1:1/graphql');
    await core.close();
  });
});

describe('secrets', () => {
  it('the token never appears in the cache files, WAL, app data or logs, and the cache is encrypted at rest', async () => {
    const dataDir = newDataDir();
    const core = await openCore(dataDir);
    const logs: string[] = [];
    const orig = { log: console.log, error: console.error, warn: console.warn };
    for (const k of ['log', 'error', 'warn'] as const) console[k] = (...a: unknown[]) => logs.push(a.map(String).join(' '));
    try {
      await signIn(core, ts.server, DEMO_USERS.editor);
      core.edit('main', 'article-07', { title: { en: 'Plaintext probe 7f3a' } });
      await core.sync();
      core.edit('main', 'article-08', { title: { en: 'Unsynced probe 9c1b' } });
    } finally {
      Object.assign(console, orig);
    }
    // The token as the server knows it: read back from the keychain, where it must be.
    const { OsKeychainVault, tokenAccount } = await import('../../electron/core/vault/token-vault');
    const account = JSON.parse(readFileSync(join(dataDir, 'account.json'), 'utf8')) as { origin: string; userId: string };
    const token = await new OsKeychainVault().get(tokenAccount(account.origin, account.userId));
    expect(token).toMatch(/^ink_s_/);
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(join(d, f))));
    walk(dataDir);
    expect(files.some((f) => f.endsWith('.sqlite-wal'))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f);
      expect(bytes.includes(token!), f).toBe(false);
      expect(bytes.includes(token!.slice(6, 30)), f).toBe(false);
      expect(bytes.includes('Plaintext probe 7f3a'), f).toBe(false);
      expect(bytes.includes('Unsynced probe 9c1b'), f).toBe(false);
    }
    expect(logs.join('\n')).not.toContain(token!);
    expect(JSON.stringify(core.status())).not.toContain(token!);
    expect(JSON.stringify(core.exportDrafts())).not.toContain(token!);
    await core.logout({ wipe: true });
    expect(await new OsKeychainVault().get(tokenAccount(account.origin, account.userId))).toBeNull();
    expect(readdirSync(join(dataDir, 'caches'))).toEqual([]);
    await core.close();
  });
});
