import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../../server/demo/seed';
import { SignedOutError } from '../../electron/core/errors';
import { KeytarVault, tokenAccount } from '../../electron/core/vault/token-vault';
import { startTestServer, type TestServer } from '../support/server';
import { newDataDir, openCore, signIn } from '../support/core';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => ts.stop());

describe('session', () => {
  it('a 401 signs out and keeps the drafts; signing in again sends them', async () => {
    const dataDir = newDataDir();
    const core = await openCore(dataDir);
    await signIn(core, ts.server, DEMO_USERS.editor);
    core.edit('main', 'article-11', { title: { de: 'Kept across a sign-out' } });
    const account = JSON.parse(readFileSync(join(dataDir, 'account.json'), 'utf8')) as { origin: string; userId: string };
    const vault = new KeytarVault();
    const token = await vault.get(tokenAccount(account.origin, account.userId));
    // The session ends on the server (as an administrator revoking it would).
    await ts.client.as(token).ok('mutation { logout }');

    await expect(core.sync()).rejects.toBeInstanceOf(SignedOutError);
    expect(core.status().signedIn).toBe(false);
    expect(await vault.get(tokenAccount(account.origin, account.userId))).toBeNull();
    expect(core.status().environments['main']?.pending).toBe(1);
    expect(core.record('main', 'article-11').values['title']).toMatchObject({ de: 'Kept across a sign-out' });

    await core.login({ url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' });
    const r = await core.sync();
    expect(r.pushed).toBe(1);
    const server = await (await ts.client.login(DEMO_USERS.editor)).ok<{ record: { values: { title: { de: string } } } }>('{ record(environment: "main", id: "article-11") { values } }');
    expect(server.record.values.title.de).toBe('Kept across a sign-out');
    await core.close();
  });

  it('OTP: login asks for the code, and accepts it', async () => {
    const core = await openCore();
    const { currentTotp } = await import('../../server/auth/totp');
    const media = await ts.client.login(DEMO_USERS.media);
    const setup = await media.ok<{ setupTwoFactor: { secret: string } }>('mutation { setupTwoFactor { secret } }');
    await media.ok('mutation($o: String!) { confirmTwoFactor(otp: $o) }', { o: currentTotp(setup.setupTwoFactor.secret) });
    const err = await signIn(core, ts.server, DEMO_USERS.media).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('OTP_REQUIRED');
    await core.login({ url: ts.server.url, email: DEMO_USERS.media, password: 'Demo-pass-1', otp: currentTotp(setup.setupTwoFactor.secret) });
    expect(core.status().account?.role).toBe('Media manager');
    await core.close();
  });
});
