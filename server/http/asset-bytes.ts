import type { ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { GraphQLError } from 'graphql';
import type { RequestContext } from '../context';
import { readableAsset } from '../content/assets';
import type { FileStore } from '../uploads/filestore';
import { ACCEPTED_UPLOAD_TYPES } from '../uploads/sniff';
import { hasThumbnail, ThumbnailTooLarge, type Thumbnails } from '../uploads/images';

/** `/assets/<environment>/<asset id>` (the file) and `…/thumbnail` (a WebP preview). */
export const ASSET_PATH = /^\/assets\/([a-z][a-z0-9-]{0,39})\/([A-Za-z0-9_-]{1,128})(\/thumbnail)?$/;

/** Shown inline by a browser: images (never SVG: it is not accepted at all) and PDF. Everything else downloads. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/tiff', 'image/heic', 'application/pdf']);
const TEXT = new Set(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/**
 * Headers of every byte answer: the type comes from the allow-list of sniffed types only,
 * the browser must not guess another, and a document opened from here runs nothing.
 */
const BYTE_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
  'cross-origin-resource-policy': 'same-origin',
  // Private: the bytes are readable by some viewers only.
  'cache-control': 'private, no-cache',
};

function contentType(stored: string): string {
  if (!ACCEPTED_UPLOAD_TYPES.includes(stored)) return 'application/octet-stream';
  return TEXT.has(stored) ? `${stored}; charset=utf-8` : stored;
}

/** RFC 6266 filename: ASCII fallback plus the UTF-8 name. */
function disposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function refuse(res: ServerResponse, status: number, error: string, code?: string): void {
  res.writeHead(status, { ...BYTE_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error, ...(code ? { code } : {}) }));
}

/**
 * GET of an asset's bytes or thumbnail, decided by the shared permission engine exactly as
 * the `assets` query is: what the viewer may not read is 404, as if it did not exist.
 */
export async function handleAssetBytes(
  method: string | undefined,
  etagIn: string | undefined,
  res: ServerResponse,
  rc: RequestContext,
  files: FileStore,
  thumbs: Thumbnails,
  match: RegExpExecArray,
): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return refuse(res, 405, 'use GET');
  }
  if (!rc.viewer) return refuse(res, 401, 'sign in first: no valid session or API token was given');
  let asset;
  try {
    asset = readableAsset(rc, match[1]!, match[2]!);
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    const code = String(e.extensions['code']);
    if (code === 'TWO_FACTOR_REQUIRED') return refuse(res, 403, e.message, code);
    if (code === 'UNAUTHENTICATED') return refuse(res, 401, e.message, code);
    return refuse(res, 404, 'asset not found', 'NOT_FOUND');
  }
  if (!files.has(asset.sha256)) return refuse(res, 404, 'asset not found', 'NOT_FOUND');
  const thumbnail = Boolean(match[3]);
  const etag = `"${asset.sha256.slice(0, 32)}${thumbnail ? '-t' : ''}"`;
  if (etagIn === etag) {
    res.writeHead(304, { ...BYTE_HEADERS, etag });
    return void res.end();
  }
  if (thumbnail) {
    if (!hasThumbnail(asset.mimeType)) return refuse(res, 404, `no thumbnail for ${asset.mimeType}`, 'NOT_FOUND');
    let bytes: Buffer;
    try {
      bytes = await thumbs.get(asset.sha256, files.pathOf(asset.sha256));
    } catch (e) {
      if (e instanceof ThumbnailTooLarge) return refuse(res, 422, e.message, 'VALIDATION_FAILED');
      // Bytes sharp cannot decode although they sniffed as an image: no preview, not a crash.
      return refuse(res, 422, 'this image cannot be previewed', 'VALIDATION_FAILED');
    }
    res.writeHead(200, { ...BYTE_HEADERS, 'content-type': 'image/webp', 'content-length': String(bytes.length), etag, 'content-disposition': 'inline; filename="thumbnail.webp"' });
    return void res.end(method === 'HEAD' ? undefined : bytes);
  }
  const type = contentType(asset.mimeType);
  res.writeHead(200, {
    ...BYTE_HEADERS,
    'content-type': type,
    'content-length': String(asset.size),
    etag,
    'content-disposition': disposition(INLINE.has(asset.mimeType) ? 'inline' : 'attachment', asset.filename),
  });
  if (method === 'HEAD') return void res.end();
  const stream = createReadStream(files.pathOf(asset.sha256));
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
