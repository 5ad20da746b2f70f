import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startHost, type RunningHost } from '../../electron/host/host';
import { DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, type TestServer } from '../support/server';
import { openCore } from '../support/core';
import { bridge as bridgeTo, connect as connectTo } from '../support/bridge';
import type { InkstoneCore } from '../../electron/core/core';

let ts: TestServer;
let core: InkstoneCore;
let host: RunningHost;
beforeAll(async () => {
  ts = await startTestServer();
  core = await openCore();
  const rendererDir = mkdtempSync(join(tmpdir(), 'inkstone-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Inkstone</title>');
  host = await startHost({ core, rendererDir, demoServerUrl: ts.server.url });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await ts.stop();
});

const connect = (origin: string | undefined) => connectTo(host, origin);
const bridge = (secret: string) => bridgeTo(host, secret);

describe('browser host', () => {
  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const res = await request(`${host.origin}/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    await res.body.dump();
    const trick = await request(`${host.origin}/%2e%2e/%2e%2e/etc/passwd`);
    expect(trick.statusCode).toBe(404);
    await trick.body.dump();
  });

  it('refuses a socket from another Origin or without one', async () => {
    await expect(connect('https://evil.example')).rejects.toThrow(/403/);
    await expect(connect(undefined)).rejects.toThrow(/403/);
  });

  it('closes a socket that does not present the per-launch secret, before answering anything', async () => {
    const b = await bridge('0'.repeat(64));
    const reply = await Promise.race([b.invoke('session.status', {}), new Promise((r) => setTimeout(() => r('no answer'), 500))]);
    expect(reply).toBe('no answer');
    expect(b.closed()).toMatchObject({ code: 4401 });
  });

  it('survives messages of any JSON shape, before and after the secret', async () => {
    const shapes = ['null', '42', '"hello"', '[]', '{"type":"hello","secret":{"toString":""}}', '{"id":1,"channel":{"toString":""}}'];
    for (const raw of shapes) {
      const ws = await connect(host.origin);
      const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
      ws.send(raw);
      expect(await closed).toBe(4401);
    }
    const b = await bridge(host.secret);
    await b.welcome;
    const answers: unknown[] = [];
    b.ws.on('message', (m) => answers.push(JSON.parse(String(m))));
    for (const raw of shapes) b.ws.send(raw);
    b.ws.send(JSON.stringify({ id: 7, channel: { toString: '' }, payload: null }));
    // Only the well-formed request (a number id) is answered, with a clean refusal; the host lives on.
    await expect.poll(() => answers).toContainEqual({ type: 'result', id: 7, result: { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'unknown command of type object' } } });
    expect(await b.invoke('session.status', {})).toMatchObject({ ok: true });
    b.ws.close();
  });

  it('signs in as a demo user through the bridge and reads the model list', async () => {
    const b = await bridge(host.secret);
    expect(await b.welcome).toMatchObject({ demoServerUrl: ts.server.url });
    expect(await b.invoke('content.models', { env: 'main', extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const check = (await b.invoke('server.check', { url: ts.server.url })) as { ok: true; value: { fingerprint: string; trusted: boolean } };
    expect(check.value.trusted).toBe(false);
    const first = await b.invoke('session.login', { url: ts.server.url, email: DEMO_USERS.translator, password: 'Demo-pass-1' });
    expect(first).toMatchObject({ ok: false, error: { code: 'TLS_UNTRUSTED', details: { fingerprint: check.value.fingerprint } } });
    expect(await b.invoke('server.trust', { url: ts.server.url, fingerprint: check.value.fingerprint })).toEqual({ ok: true, value: { trusted: true } });
    const login = await b.invoke('session.login', { url: ts.server.url, email: DEMO_USERS.translator, password: 'Demo-pass-1' });
    expect(login).toMatchObject({ ok: true, value: { signedIn: true, account: { role: 'French translator' } } });
    expect(JSON.stringify(login)).not.toMatch(/ink_s_/);
    const models = (await b.invoke('content.models', { env: 'main' })) as { ok: true; value: { apiKey: string }[] };
    expect(models.value.map((m) => m.apiKey)).toEqual(['article', 'author']);
    expect(await b.invoke('content.models', { env: 'staging' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    b.ws.close();
  });
});
