import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../electron/host/host';
import { DEMO_USERS } from '../../server/demo/seed';
import { UPLOAD_CHUNK_BYTES } from '../../shared/ipc/contract';
import { startTestServer, type TestClient, type TestServer } from '../support/server';
import { newDataDir } from '../support/core';
import { InkstoneCore } from '../../electron/core/core';
import { OsKeychainVault } from '../../electron/core/vault/token-vault';
import { bridge } from '../support/bridge';

// Issue 10, bugs 1 and 2 through the browser host: files travel in chunks (never one message),
// the host survives any message, and asset metadata saves are patches.
let ts: TestServer;
let core: InkstoneCore;
let host: RunningHost | undefined;
let admin: TestClient;
let b: Awaited<ReturnType<typeof bridge>>;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
  core = await InkstoneCore.open({ dataDir: newDataDir(), vault: new OsKeychainVault(), onStatus: (st) => host?.emit('session.changed', st) });
  const rendererDir = mkdtempSync(join(tmpdir(), 'inkstone-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Inkstone</title>');
  const h = await startHost({ core, rendererDir, demoServerUrl: ts.server.url });
  host = h;
  b = await bridge(h, h.secret);
  await b.welcome;
  const check = (await b.invoke('server.check', { url: ts.server.url })).value as { fingerprint: string };
  await b.invoke('server.trust', { url: ts.server.url, fingerprint: check.fingerprint });
  expect(await b.invoke('session.login', { url: ts.server.url, email: DEMO_USERS.editor, password: 'Demo-pass-1' })).toMatchObject({ ok: true });
  expect(await b.invoke('sync.auto', { enabled: false })).toEqual({ ok: true, value: { enabled: false } });
});
afterAll(async () => {
  b.ws.close();
  await host?.close();
  await core.close();
  await ts.stop();
});

async function sendFile(bytes: Buffer, filename: string, folder = 'campaigns') {
  const begin = await b.invoke('uploads.begin', { env: 'main', folder, filename, mimeType: 'image/png', size: bytes.length });
  expect(begin).toMatchObject({ ok: true });
  const id = (begin.value as { id: string }).id;
  for (let off = 0; off < bytes.length; off += UPLOAD_CHUNK_BYTES) {
    const chunk = bytes.subarray(off, off + UPLOAD_CHUNK_BYTES);
    expect(await b.invoke('uploads.chunk', { id, offset: off, dataBase64: chunk.toString('base64') })).toEqual({ ok: true, value: { received: off + chunk.length } });
  }
  return (await b.invoke('uploads.commit', { id })).value as { id: string; state: string };
}

/** A PNG of n bytes as the server's sniffing sees it: signature, IHDR, one IDAT of random bytes. */
function png(n: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.from([0, 0, 4, 0, 0, 0, 4, 0, 8, 2, 0, 0, 0]), Buffer.alloc(4)]);
  const rest = n - sig.length - ihdr.length - 12;
  const idat = Buffer.alloc(8);
  idat.writeUInt32BE(rest, 0);
  idat.write('IDAT', 4);
  return Buffer.concat([sig, ihdr, idat, randomBytes(rest), Buffer.alloc(4)]);
}

describe('uploads through the browser host', () => {
  it('bug 2: a 9 MB file in chunks reaches the server; the whole file as one message is refused and the host lives on', async () => {
    const big = png(9 * 1024 * 1024);
    // The old way, the whole file in one message (the channel is gone): a clear refusal for that
    // request only, and the host lives on.
    const one = await b.invoke('uploads.queue' as 'uploads.begin', { env: 'main', folder: 'campaigns', filename: 'big.png', mimeType: 'image/png', dataBase64: big.toString('base64') } as never);
    expect(one).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await b.invoke('session.status', {})).toMatchObject({ ok: true });

    const queued = await sendFile(big, 'big.png');
    expect(queued.state).toBe('queued');
    // The same bytes again: the same upload, not a second one.
    expect((await sendFile(big, 'big-again.png')).id).toBe(queued.id);
    const status = (await b.invoke('session.status', {})).value as { environments: Record<string, { pending: number; uploads: number }> };
    expect(status.environments['main']).toMatchObject({ uploads: 1, pending: 1 });
    const synced = await b.invoke('sync.run', {});
    expect(synced, JSON.stringify(await b.invoke('uploads.list', {}))).toMatchObject({ ok: true, value: { uploaded: 1 } });
    const list = (await b.invoke('uploads.list', {})).value as { id: string; state: string; progress: number; mimeType: string; assetId: string }[];
    expect(list).toEqual([expect.objectContaining({ id: queued.id, state: 'done', progress: 1, mimeType: 'image/png' })]);
    const assets = await admin.ok<{ assets: { nodes: { id: string; sha256: string; size: number }[] } }>('{ assets(environment: "main", folder: "campaigns", first: 500) { nodes { id sha256 size } } }');
    expect(assets.assets.nodes).toContainEqual({ id: list[0]!.assetId, sha256: createHash('sha256').update(big).digest('hex'), size: big.length });
    expect(b.events.some((e) => e.event === 'session.changed')).toBe(true);
  });

  it('a chunk at the wrong offset, too big, or for no upload is refused alone; cancel drops a receiving upload', async () => {
    const begin = await b.invoke('uploads.begin', { env: 'main', folder: 'campaigns', filename: 'x.png', mimeType: 'image/png', size: 100 });
    const id = (begin.value as { id: string }).id;
    expect(await b.invoke('uploads.chunk', { id, offset: 5, dataBase64: 'aGk=' })).toMatchObject({ ok: false, error: { code: 'INPUT' } });
    expect(await b.invoke('uploads.chunk', { id, offset: 0, dataBase64: Buffer.alloc(UPLOAD_CHUNK_BYTES + 3).toString('base64') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await b.invoke('uploads.chunk', { id: 'nope', offset: 0, dataBase64: 'aGk=' })).toMatchObject({ ok: false, error: { code: 'INPUT' } });
    expect(await b.invoke('uploads.commit', { id })).toMatchObject({ ok: false, error: { code: 'INPUT' } });
    expect(await b.invoke('uploads.cancel', { id })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await b.invoke('uploads.begin', { env: 'main', folder: 'no-such-folder', filename: 'x.png', mimeType: 'image/png', size: 10 })).toMatchObject({ ok: false });
    expect(await b.invoke('session.status', {})).toMatchObject({ ok: true });
  });

  it('bug 1: alt and title saved one after the other (as Tab does) both stay; a missing key keeps its value, null clears', async () => {
    const [asset] = (await admin.ok<{ assets: { nodes: { id: string; folder: string }[] } }>('{ assets(environment: "main", folder: "campaigns", first: 1) { nodes { id folder } } }')).assets.nodes;
    const save = (meta: { alt?: string | null; title?: string | null }) => b.invoke('assets.updateMetadata', { env: 'main', id: asset!.id, folder: asset!.folder, locale: 'en', ...meta });
    // Sent without waiting, as a page does when the user tabs from one field to the next.
    const [a, t] = await Promise.all([save({ alt: 'Typed alt' }), save({ title: 'Typed title' })]);
    expect([a, t]).toEqual([{ ok: true, value: { saved: true } }, { ok: true, value: { saved: true } }]);
    const meta = async () => (await admin.ok<{ assets: { nodes: { id: string; metadata: Record<string, { alt?: string | null; title?: string | null }> }[] } }>('{ assets(environment: "main", folder: "campaigns", first: 500) { nodes { id metadata } } }')).assets.nodes.find((n) => n.id === asset!.id)!.metadata;
    expect((await meta())['en']).toMatchObject({ alt: 'Typed alt', title: 'Typed title' });
    await save({ alt: null });
    expect((await meta())['en']).toMatchObject({ alt: null, title: 'Typed title' });
  });
});
