/**
 * Issue 11, media in the core: after a sync the readable assets and their thumbnails are in
 * the encrypted local store, so the library browses with the server down; only what the
 * role may read is kept.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { newDataDir, openCore, signIn } from '../support/core';
import type { InkstoneCore } from '../../electron/core/core';

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
