/**
 * Issue 11, media: asset bytes and thumbnails over real TLS, decided by the shared permission
 * engine (404 for what a viewer may not read), served with safe headers; image dimensions
 * recorded at upload; a decompression bomb refused a thumbnail quickly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import sharp from 'sharp';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';
import { bombPng } from '../support/png';

let ts: TestServer;
let editor: TestClient;
let media: TestClient;
let translator: TestClient;
let developer: TestClient;
beforeAll(async () => {
  ts = await startTestServer({ maxUploadBytes: 8 * 1024 * 1024 });
  [editor, media, translator, developer] = await Promise.all([
    ts.client.login(DEMO_USERS.editor),
    ts.client.login(DEMO_USERS.media),
    ts.client.login(DEMO_USERS.translator),
    ts.client.login(DEMO_USERS.developer),
  ]);
});
afterAll(async () => ts.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function get(who: TestClient | null, path: string, headers: Record<string, string> = {}) {
  const res = await request(`${ts.server.origin}${path}`, { dispatcher: editor.agent, headers: { ...(who?.token ? { authorization: `Bearer ${who.token}` } : {}), ...headers } });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

async function upload(who: TestClient, folder: string, bytes: Buffer, mime: string, name: string) {
  const slot = await who.ok<{ createUploadSlot: { putUrl: string } }>(
    `mutation($f: ID!, $n: String!, $s: Int!, $m: String!, $h: String!, $c: ID!) {
      createUploadSlot(environment: "main", folder: $f, filename: $n, size: $s, mimeType: $m, sha256: $h, clientMutationId: $c) { putUrl } }`,
    { f: folder, n: name, s: bytes.length, m: mime, h: sha256(bytes), c: cmid() },
  );
  const res = await request(slot.createUploadSlot.putUrl, { method: 'PUT', dispatcher: who.agent, headers: { authorization: `Bearer ${who.token}` }, body: bytes });
  expect(res.statusCode).toBe(201);
  return (await res.body.json()) as { id: string; width: number | null; height: number | null; size: number };
}

describe('asset bytes', () => {
  it('serve an image inline with its sniffed type, nosniff and a sandboxing CSP', async () => {
    const r = await get(editor, '/assets/main/img-editorial-1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(String(r.headers['content-security-policy'])).toMatch(/default-src 'none'.*sandbox/);
    expect(String(r.headers['content-disposition'])).toMatch(/^inline; filename="editorial-1.png"/);
    const meta = await sharp(r.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 720, 480]);
    // The same bytes again: 304 on the ETag.
    expect((await get(editor, '/assets/main/img-editorial-1', { 'if-none-match': String(r.headers['etag']) })).status).toBe(304);
  });

  it('send text as an attachment in UTF-8, never inline', async () => {
    const r = await get(editor, '/assets/main/note-editorial');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(String(r.headers['content-disposition'])).toMatch(/^attachment; filename="editorial-brief.md"/);
    expect(r.body.toString()).toContain('Demo notes.');
  });

  it('answer 404, alike for a hidden id and a missing one, to those who may not read the folder', async () => {
    const missing = await get(media, '/assets/main/no-such-asset');
    expect(missing.status).toBe(404);
    // The media manager reads Marketing and its subfolders only.
    expect((await get(media, '/assets/main/img-campaigns-1')).status).toBe(200);
    for (const path of ['/assets/main/img-editorial-1', '/assets/main/img-editorial-1/thumbnail', '/assets/main/terms']) {
      const r = await get(media, path);
      expect([r.status, r.body.toString()]).toEqual([404, missing.body.toString()]);
    }
    // The translator may read no folder; the sandbox developer no asset of main (but those of staging).
    expect((await get(translator, '/assets/main/img-marketing-1')).status).toBe(404);
    expect((await get(developer, '/assets/main/img-marketing-1')).status).toBe(404);
    expect((await get(developer, '/assets/staging/img-marketing-1')).status).toBe(200);
    // An asset the editor uploaded a moment ago is as hidden from the media manager.
    const fresh = await upload(editor, 'editorial', Buffer.from('private notes\n'), 'text/plain', 'notes.txt');
    expect((await get(media, `/assets/main/${fresh.id}`)).status).toBe(404);
    expect((await get(null, '/assets/main/img-marketing-1')).status).toBe(401);
  });
});

describe('thumbnails', () => {
  it('are WebP within 320 px, made once and kept on disk', async () => {
    const r = await get(media, '/assets/main/img-marketing-2/thumbnail');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/webp');
    const meta = await sharp(r.body).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    const cached = readdirSync(join(ts.dir, 'thumbnails'));
    expect(cached.length).toBeGreaterThan(0);
    const again = await get(editor, '/assets/main/img-marketing-2/thumbnail');
    expect(again.body.equals(r.body)).toBe(true);
    expect(readdirSync(join(ts.dir, 'thumbnails'))).toEqual(cached);
    // No preview of a text file.
    expect((await get(editor, '/assets/main/note-editorial/thumbnail')).status).toBe(404);
  });

  it('refuse a decompression bomb quickly (60,000 × 60,000 announced)', async () => {
    const bomb = bombPng(60_000, 60_000);
    const asset = await upload(editor, 'editorial', bomb, 'image/png', 'bomb.png');
    expect([asset.width, asset.height]).toEqual([60_000, 60_000]);
    const t = Date.now();
    const r = await get(editor, `/assets/main/${asset.id}/thumbnail`);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(r.status).toBe(422);
    expect(r.body.toString()).toMatch(/pixel bound/);
    expect(existsSync(join(ts.dir, 'thumbnails', `${sha256(bomb)}-320.webp`))).toBe(false);
    // The server still answers.
    expect((await get(editor, '/assets/main/img-editorial-1/thumbnail')).status).toBe(200);
  });
});

describe('dimensions', () => {
  it('are recorded at upload and given with size by the asset API', async () => {
    const png = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#336699' } }).png().toBuffer();
    const up = await upload(media, 'campaigns', png, 'image/png', 'banner.png');
    expect([up.width, up.height, up.size]).toEqual([64, 40, png.length]);
    const list = await media.ok<{ assets: { nodes: { id: string; width: number | null; height: number | null; size: number }[] } }>(
      'query { assets(environment: "main", folder: "campaigns") { nodes { id width height size } } }',
    );
    expect(list.assets.nodes.find((a) => a.id === up.id)).toEqual({ id: up.id, width: 64, height: 40, size: png.length });
    expect(list.assets.nodes.find((a) => a.id === 'img-campaigns-1')).toMatchObject({ width: 720, height: 480 });
    const text = await upload(media, 'campaigns', Buffer.from('hello\n'), 'text/plain', 'hello.txt');
    expect([text.width, text.height]).toEqual([null, null]);
  });
});
