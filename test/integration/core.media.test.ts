/**
 * Issue 11, media in the core: after a sync the readable assets and their thumbnails are in
 * the encrypted local store, so the library browses with the server down; only what the
 * role may read is kept.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { newDataDir, openCore, signIn } from '../support/core';
import type { InkstoneCore } from '../../electron/core/core';
import { TestClient } from '../support/server';

const serverDir = mkdtempSync(join(tmpdir(), 'inkstone-media-'));
let server: RunningServer | null = null;
let core: InkstoneCore | null = null;
afterAll(async () => {
  await core?.close();
  await server?.close();
  rmSync(serverDir, { recursive: true, force: true });
});

describe('media offline', () => {
  it('a media manager syncs, the server stops, the library and its thumbnails are still there (after a restart too)', async () => {
    server = await startServer({ dataDir: serverDir, port: 0, demo: true });
    const dataDir = newDataDir();
    core = await openCore(dataDir);
    await signIn(core, server, DEMO_USERS.media);
    await core.sync();

    const all = core.assets('main');
    // Marketing and its subfolder Campaigns only: 4 pictures and a brief each.
    expect(new Set(all.map((a) => a.folder))).toEqual(new Set(['marketing', 'campaigns']));
    expect(all).toHaveLength(10);
    const pic = all.find((a) => a.id === 'img-campaigns-1')!;
    expect(pic).toMatchObject({ filename: 'campaigns-1.png', mimeType: 'image/png', width: 720, height: 480, preview: true });
    expect(all.find((a) => a.id === 'note-campaigns')).toMatchObject({ preview: false, width: null });
    expect(core.assets('main', undefined, 'CAMPAIGNS-1').map((a) => a.id)).toEqual(['img-campaigns-1']);
    expect(core.assetThumbnail('main', 'img-editorial-1')).toBeNull();

    await server.close();
    server = null;
    await core.close();
    core = await openCore(dataDir);
    expect(core.assets('main', 'campaigns').map((a) => a.id).sort()).toEqual(['img-campaigns-1', 'img-campaigns-2', 'img-campaigns-3', 'img-campaigns-4', 'note-campaigns']);
    const thumb = core.assetThumbnail('main', 'img-campaigns-1');
    expect(thumb?.mimeType).toBe('image/webp');
    const meta = await sharp(Buffer.from(thumb!.dataBase64, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 213]);
    expect(core.assetThumbnail('main', 'note-campaigns')).toBeNull();

    // Kept encrypted: no WebP header in the clear in the store's files.
    const caches = join(dataDir, 'caches');
    for (const f of readdirSync(caches)) expect(readFileSync(join(caches, f)).includes(Buffer.from('WEBPVP8'))).toBe(false);
  });
});

describe('asset moves and deletions, queued offline', () => {
  it('apply at once locally, go with the next sync; a refusal shows with the reason and can be discarded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-media-ops-'));
    let srv: RunningServer | null = await startServer({ dataDir: dir, port: 0, demo: true });
    const port = srv.port;
    const c = await openCore(newDataDir());
    try {
      await signIn(c, srv, DEMO_USERS.media);
      await c.sync();
      // Editorial is not the media manager's: not even queued.
      expect(() => c.assetActions.move('main', 'img-campaigns-2', 'editorial')).toThrow(/may not put assets into that folder/);

      await srv.close();
      srv = null;
      c.assetActions.move('main', 'img-campaigns-2', 'marketing');
      c.assetActions.delete('main', 'note-campaigns');
      // Deleting a picture an article uses: the server will refuse it.
      c.assetActions.delete('main', 'img-campaigns-3');
      expect((await c.sync()).offline).toBe(true);
      // Not yet on the server, so counted as such (a wipe would lose them).
      expect(c.status().environments['main']).toMatchObject({ pending: 3, assetChanges: 3 });
      expect(c.assets('main', 'marketing').find((a) => a.id === 'img-campaigns-2')).toMatchObject({ pending: true });
      expect(c.assets('main', 'campaigns').map((a) => a.id)).toEqual(['img-campaigns-1', 'img-campaigns-4']);
      expect(c.assetActions.list().map((o) => [o.kind, o.assetId, o.state])).toEqual([
        ['move', 'img-campaigns-2', 'queued'],
        ['delete', 'note-campaigns', 'queued'],
        ['delete', 'img-campaigns-3', 'queued'],
      ]);

      srv = await startServer({ dataDir: dir, port, demo: true });
      const report = await c.sync();
      expect(report.problems).toBe(1);
      // Refused, it waits on the user: said as a media problem, not as something still to send.
      expect(c.status().environments['main']).toMatchObject({ pending: 0, assetChanges: 0, mediaProblems: 1 });
      const ops = c.assetActions.list();
      expect(ops).toHaveLength(1);
      expect(ops[0]).toMatchObject({ kind: 'delete', assetId: 'img-campaigns-3', state: 'refused' });
      // The server names the records by id; the user is told their titles (persona walk).
      expect(ops[0]!.reason).toMatch(/used by \d+ records? \(“[A-Z][a-z ]+, part \d+”/);
      expect(ops[0]!.reason).not.toMatch(/article-\d+/);
      // The server's copy stands again: the picture is back, the others are done.
      expect(c.assets('main', 'campaigns').map((a) => a.id)).toEqual(['img-campaigns-1', 'img-campaigns-3', 'img-campaigns-4']);
      expect(c.assets('main', 'marketing').find((a) => a.id === 'img-campaigns-2')).toMatchObject({ pending: false });
      const media = await new TestClient(srv).login(DEMO_USERS.media);
      const onServer = await media.ok<{ assets: { nodes: { id: string; folder: string }[] } }>('{ assets(environment: "main") { nodes { id folder } } }');
      expect(onServer.assets.nodes.find((a) => a.id === 'img-campaigns-2')?.folder).toBe('marketing');
      expect(onServer.assets.nodes.some((a) => a.id === 'note-campaigns')).toBe(false);
      // The server itself refuses a move into a folder the role may not use (hidden: NOT_FOUND).
      expect(await media.code('mutation { moveAsset(environment: "main", id: "img-campaigns-1", folder: "editorial", clientMutationId: "m-1") { id } }')).toBe('NOT_FOUND');

      c.assetActions.discard('main', ops[0]!.seq);
      expect(c.assetActions.list()).toEqual([]);
    } finally {
      await c.close();
      await srv?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('replacing an asset file', () => {
  it('keeps the id and folder, sends new bytes (sniffed again), new size, dimensions and thumbnail; refused where the role may not update', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-media-replace-'));
    const srv = await startServer({ dataDir: dir, port: 0, demo: true });
    const c = await openCore(newDataDir());
    const files = mkdtempSync(join(tmpdir(), 'inkstone-replace-files-'));
    try {
      await signIn(c, srv, DEMO_USERS.media);
      await c.sync();
      const before = c.assetThumbnail('main', 'img-campaigns-1')!.dataBase64;
      const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#aa3355' } }).png().toBuffer();
      const path = join(files, 'poster-v2.png');
      writeFileSync(path, png);
      // Not the media manager's folder: refused before anything is queued.
      expect(() => c.queueUpload('main', 'editorial', path, 'image/png', 'x.png', 'img-editorial-1')).toThrow(/no asset|may not replace/);
      c.queueUpload('main', 'campaigns', path, 'image/png', 'poster-v2.png', 'img-campaigns-1');
      const report = await c.sync();
      expect(report.uploaded).toBe(1);
      const after = c.assets('main', 'campaigns').find((a) => a.id === 'img-campaigns-1');
      expect(after).toMatchObject({ filename: 'poster-v2.png', size: png.length, width: 200, height: 100, mimeType: 'image/png', preview: true });
      expect(c.assets('main', 'campaigns')).toHaveLength(5);
      expect(c.assetThumbnail('main', 'img-campaigns-1')!.dataBase64).not.toBe(before);
      // A file whose bytes do not match its declared type is refused at replace too (sniffed again).
      const fake = join(files, 'fake.png');
      writeFileSync(fake, 'not a picture\n');
      c.queueUpload('main', 'campaigns', fake, 'image/png', 'fake.png', 'img-campaigns-2');
      await c.sync();
      expect(c.uploads().find((u) => u.filename === 'fake.png')).toMatchObject({ state: 'failed' });
      expect(c.assets('main', 'campaigns').find((a) => a.id === 'img-campaigns-2')).toMatchObject({ filename: 'campaigns-2.png', width: 720 });
    } finally {
      await c.close();
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    }
  });
});
