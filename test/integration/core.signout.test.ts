import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../../server/demo/seed';
import { InkstoneCore } from '../../electron/core/core';
import { dispatch } from '../../electron/core/bridge/dispatch';
import { OsKeychainVault, cacheKeyAccount } from '../../electron/core/vault/token-vault';
import type { Status } from '../../shared/ipc/contract';
import { startTestServer, type TestClient, type TestServer } from '../support/server';
import { newDataDir, openCore, signIn } from '../support/core';
import { startProxy, type FaultProxy } from '../support/proxy';

// Issue 10, bug 7: sign-out that keeps this computer's copy, wipe, the one sync state, counts
// that include drafts and uploads, and the automatic sync (after edits, with backoff while
// offline, on reconnect).
let ts: TestServer;
let admin: TestClient;
let proxy: FaultProxy;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
  proxy = await startProxy(ts.server);
});
afterAll(async () => {
  await proxy.close();
  await ts.stop();
});

const serverTitle = async (id: string) => (await admin.ok<{ record: { values: { title: Record<string, string> } } }>('query($id: ID!) { record(environment: "main", id: $id) { values } }', { id })).record.values.title;

describe('signing out', () => {
  it('keeping the local copy: drafts stay readable and exportable offline; signing in again sends them; wipe removes the store and its key', async () => {
    const dataDir = newDataDir();
    const core = await openCore(dataDir);
    await signIn(core, ts.server, DEMO_USERS.editor);
    core.edit('main', 'article-25', { title: { de: 'Vor dem Abmelden' } });
    await core.logout({ wipe: false });
    const st = core.status();
    expect(st).toMatchObject({ signedIn: false, account: { email: DEMO_USERS.editor, signedOut: true }, sync: { state: 'signed_out' } });
    expect(st.environments['main']).toMatchObject({ pending: 1, drafts: 1 });
    // Reads and the export work signed out, through the bridge too.
    expect(core.record('main', 'article-25').values['title']).toMatchObject({ de: 'Vor dem Abmelden' });
    expect(await dispatch(core, 'content.records', { env: 'main', model: 'article', limit: 5 })).toMatchObject({ ok: true });
    const exported = await dispatch(core, 'drafts.export', {});
    expect(exported).toMatchObject({ ok: true, value: { records: 1 } });
    const file = (exported as { value: { file: string } }).value.file;
    expect(file.startsWith(dataDir)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ drafts: [{ recordId: 'article-25', values: { title: { de: 'Vor dem Abmelden' } } }] });
    // What needs the server says so with its own code.
    expect(await dispatch(core, 'sync.run', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });

    // A restart while signed out keeps it all; signing in again sends the draft.
    await core.close();
    const again = await openCore(dataDir);
    expect(again.record('main', 'article-25').draft).toMatchObject({ title: { de: 'Vor dem Abmelden' } });
    await again.login({ url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' });
    expect(await again.sync()).toMatchObject({ pushed: 1, problems: 0 });
    expect((await serverTitle('article-25')).de).toBe('Vor dem Abmelden');

    const account = JSON.parse(readFileSync(join(dataDir, 'account.json'), 'utf8')) as { origin: string; projectId: string; userId: string; cacheFile: string };
    await again.logout({ wipe: true });
    expect(existsSync(account.cacheFile)).toBe(false);
    expect(await new OsKeychainVault().get(cacheKeyAccount(account.origin, account.projectId, account.userId))).toBeNull();
    expect(again.status()).toMatchObject({ signedIn: false, account: null });
    expect(await dispatch(again, 'content.record', { env: 'main', id: 'article-25' })).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    await again.close();
  });
});

describe('the one sync state and automatic sync', () => {
  it('counts drafts and queued uploads as pending; syncs by itself after an edit, backs off while offline, catches up on reconnect', async () => {
    const statuses: Status[] = [];
    const core = await InkstoneCore.open({ dataDir: newDataDir(), vault: new OsKeychainVault(), api: { attempts: 1, backoffMs: 10, timeoutMs: 5_000 }, onStatus: (s) => statuses.push(s) });
    try {
      await signIn(core, { ...ts.server, url: proxy.url }, DEMO_USERS.editor);
      const uploadDir = newDataDir();
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(uploadDir, 'notes.txt'), 'queued, not uploaded');
      const upload = core.queueUpload('main', 'campaigns', join(uploadDir, 'notes.txt'), 'text/plain');
      expect(core.status().environments['main']).toMatchObject({ pending: 1, uploads: 1 });
      // (Uploads go to the server's own origin, not through this proxy: the upload tests are in host.uploads.)
      core.cancelUpload(upload);
      expect(core.status().environments['main']).toMatchObject({ pending: 0, uploads: 0 });
      // A burst of edits is told once, after it: no edit waits on the counts (they grow with the drafts).
      await new Promise((r) => setImmediate(r));
      const told = statuses.length;
      for (const id of ['article-27', 'article-28', 'article-29']) core.edit('main', id, { title: { en: `Burst ${id}` } });
      expect(statuses.length).toBe(told);
      await new Promise((r) => setImmediate(r));
      expect(statuses.length).toBe(told + 1);
      expect(statuses.at(-1)?.environments['main']).toMatchObject({ drafts: 3 });

      proxy.mode = 'offline';
      expect(core.auto.setEnabled(true)).toBe(true);
      core.edit('main', 'article-26', { title: { en: 'Saved offline, sent by itself' } });
      expect(core.status().environments['main']).toMatchObject({ pending: 4, drafts: 4 });
      // Told once the edit's turn is over (core.ts, changed).
      await expect.poll(() => statuses.length).toBeGreaterThan(0);
      await expect.poll(() => core.status().sync.state, { timeout: 8_000 }).toBe('offline');
      expect(core.status().sync.nextAttemptAt).not.toBeNull();
      expect(statuses.some((s) => s.sync.state === 'syncing')).toBe(true);

      proxy.mode = 'pass';
      await expect.poll(() => core.status().environments['main']?.pending, { timeout: 15_000, interval: 200, message: 'pending after reconnect' }).toBe(0);
      // Pending reaches 0 when the push is done; the pull of the same run may still be going.
      await expect.poll(() => core.status().sync.state, { timeout: 15_000, interval: 100 }).toBe('idle');
      expect(core.status().sync).toMatchObject({ state: 'idle', lastError: null });
      expect(core.status().sync.lastSyncedAt).not.toBeNull();
      expect((await serverTitle('article-26')).en).toBe('Saved offline, sent by itself');
      expect(statuses.at(-1)?.environments['main']).toMatchObject({ pending: 0, uploads: 0, problems: [], conflicts: 0 });
    } finally {
      core.auto.stop();
      await core.close();
    }
  });
});

describe('a local store whose key is gone', () => {
  it('opens the app anyway; what needs the store answers STORE_KEY; wiping recovers', async () => {
    const dataDir = newDataDir();
    const core = await openCore(dataDir);
    await signIn(core, ts.server, DEMO_USERS.editor);
    core.edit('main', 'article-27', { slug: 'kept-without-key' });
    await core.close();
    const account = JSON.parse(readFileSync(join(dataDir, 'account.json'), 'utf8')) as { origin: string; projectId: string; userId: string; cacheFile: string };
    await new OsKeychainVault().delete(cacheKeyAccount(account.origin, account.projectId, account.userId));

    const again = await openCore(dataDir);
    try {
      expect(again.status().sync.lastError).toMatch(/cannot be opened with the key/);
      expect(await dispatch(again, 'content.record', { env: 'main', id: 'article-27' })).toMatchObject({ ok: false, error: { code: 'STORE_KEY' } });
      // No new key was made up for the old file.
      expect(await new OsKeychainVault().get(cacheKeyAccount(account.origin, account.projectId, account.userId))).toBeNull();
      expect(await dispatch(again, 'session.logout', { wipe: true })).toMatchObject({ ok: true, value: { account: null } });
      expect(existsSync(account.cacheFile)).toBe(false);
      await again.login({ url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' });
      expect(again.record('main', 'article-27').values['slug']).not.toBe('kept-without-key');
    } finally {
      await again.close();
    }
  });
});
