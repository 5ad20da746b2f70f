/**
 * Issue 9, upload rows: G (temp files outliving failed uploads) and H (content accepted only
 * on an allow-list, whole text files free of markup), against the real server over TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { request } from 'undici';
import { startServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';

let ts: TestServer;
let editor: TestClient;
beforeAll(async () => {
  ts = await startTestServer({ maxUploadBytes: 4 * 1024 * 1024 });
  editor = await ts.client.login(DEMO_USERS.editor);
});
afterAll(async () => ts.stop());

const SLOT = `mutation($name: String!, $size: Int!, $mime: String!, $sha: String!, $c: ID!) {
  createUploadSlot(environment: "main", folder: "editorial", filename: $name, size: $size, mimeType: $mime, sha256: $sha, clientMutationId: $c) { putUrl } }`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmpFiles = () => readdirSync(join(ts.dir, 'files', 'tmp'));

async function slot(bytes: Buffer, mime: string, name = 'file.bin'): Promise<string> {
  const d = await editor.ok<{ createUploadSlot: { putUrl: string } }>(SLOT, { name, size: bytes.length, mime, sha: sha256(bytes), c: cmid() });
  return d.createUploadSlot.putUrl;
}
async function upload(bytes: Buffer, mime: string, name?: string): Promise<{ status: number; body: string }> {
  const res = await request(await slot(bytes, mime, name), { method: 'PUT', dispatcher: editor.agent, headers: { authorization: `Bearer ${editor.token}` }, body: bytes });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('G: no temp file outlives a failed upload', () => {
  it('an upload aborted mid-body leaves nothing in files/tmp', async () => {
    const bytes = Buffer.alloc(2 * 1024 * 1024, 7);
    const url = new URL(await slot(bytes, 'application/pdf'));
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const req = https.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', ca: ts.server.ca, headers: { authorization: `Bearer ${editor.token}`, 'content-length': String(bytes.length) } });
        req.on('error', () => resolve());
        req.write(bytes.subarray(0, 1024 * 1024), () => setTimeout(() => (req.destroy(), resolve()), 100));
      });
    }
    // The server notices the abort a moment later; the temp file must go then.
    await expect.poll(tmpFiles, { timeout: 5_000 }).toEqual([]);
    // The server still answers.
    expect((await upload(Buffer.from('still fine\n'), 'text/plain', 'ok.txt')).status).toBe(201);
  });

  it('size and hash mismatches and 413 leave nothing behind either', async () => {
    const before = tmpFiles();
    const text = Buffer.from('Notes.\n');
    const url = await slot(text, 'text/plain');
    const put = async (body: Buffer) => (await request(url, { method: 'PUT', dispatcher: editor.agent, headers: { authorization: `Bearer ${editor.token}` }, body })).statusCode;
    expect(await put(Buffer.concat([text, text]))).toBe(400);
    expect(await put(Buffer.from('Other!\n'))).toBe(400);
    expect(await put(Buffer.alloc(5 * 1024 * 1024))).toBe(413);
    expect(tmpFiles()).toEqual(before);
  });

  it('temp files left by a crash are removed at the next start', async () => {
    const other = await startTestServer();
    writeFileSync(join(other.dir, 'files', 'tmp', 'crashed-upload'), Buffer.alloc(1024));
    await other.server.close();
    const again = await startServer({ dataDir: other.dir, host: '127.0.0.1', port: 0 });
    expect(readdirSync(join(other.dir, 'files', 'tmp'))).toEqual([]);
    await again.close();
    await other.stop().catch(() => undefined);
  });
});

describe('H: content accepted on an allow-list of sniffed types', () => {
  const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');
  const xhtml = Buffer.from('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script></body></html>');
  it('SVG and XHTML with script are refused whatever they are declared as', async () => {
    for (const [bytes, mime] of [
      [svg, 'application/xml'],
      [svg, 'image/svg+xml'],
      [svg, 'text/xml'],
      [svg, 'text/plain'],
      [xhtml, 'application/xml'],
      [xhtml, 'application/xhtml+xml'],
      [xhtml, 'text/html'],
    ] as const) {
      expect([mime, (await upload(bytes, mime, 'x.svg')).status]).toEqual([mime, 400]);
    }
  });

  it('plain text with <script> after the first 4,100 bytes is refused', async () => {
    const late = Buffer.concat([Buffer.from('a'.repeat(5_000)), Buffer.from('\n<script>alert(1)</script>\n')]);
    const r = await upload(late, 'text/plain', 'late.txt');
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/markup/);
    // Across a read-chunk boundary too.
    const edge = Buffer.concat([Buffer.from('b'.repeat(256 * 1024 - 3)), Buffer.from('<script>x</script>')]);
    expect((await upload(edge, 'text/plain', 'edge.txt')).status).toBe(400);
  });

  it('markdown with <img onerror> is refused; markdown and text without markup are kept', async () => {
    expect((await upload(Buffer.from('# Title\n\n<img src=x onerror=alert(1)>\n'), 'text/markdown', 'x.md')).status).toBe(400);
    expect((await upload(Buffer.from('# Brief\n\nIf a < b and b > c, see <https://example.com/a?b=c>.\n'), 'text/markdown', 'ok.md')).status).toBe(201);
    expect((await upload(Buffer.from('Prices: 3 < 5 — «déjà vu» ✓\n'), 'text/plain', 'ok.txt')).status).toBe(201);
  });

  it('types off the list are refused; listed binary types must sniff as themselves', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    expect((await upload(png, 'image/png', 'pixel.png')).status).toBe(201);
    expect((await upload(png, 'image/jpeg', 'pixel.jpg')).status).toBe(400);
    expect((await upload(png, 'application/octet-stream', 'pixel.bin')).status).toBe(400);
    const zip = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
    expect((await upload(zip, 'application/zip', 'a.zip')).status).toBe(400);
    expect((await upload(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'text/plain', 'bad.txt')).status).toBe(400);
  });
});
