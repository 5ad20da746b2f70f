import { existsSync, mkdirSync, renameSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/**
 * Image facts and previews, with sharp. Every decode is bounded: an image whose header
 * announces more than MAX_INPUT_PIXELS is refused before any pixel is decoded, so a
 * decompression bomb (a tiny PNG claiming 60,000 × 60,000) costs nothing.
 */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Longest side of a thumbnail, px. */
export const THUMB_SIZE = 320;

/** Types sharp decodes here; others (PDF, video, audio, text) get no thumbnail. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/tiff']);
export const hasThumbnail = (mimeType: string): boolean => PREVIEWABLE.has(mimeType);

/** Width and height from the header alone (no decode); null for a non-image or an unreadable one. */
export async function imageSize(path: string, mimeType: string): Promise<{ width: number; height: number } | null> {
  if (!mimeType.startsWith('image/')) return null;
  try {
    const m = await sharp(path, { limitInputPixels: false, sequentialRead: true }).metadata();
    return m.width && m.height ? { width: m.width, height: m.height } : null;
  } catch {
    return null;
  }
}

export class ThumbnailTooLarge extends Error {}

/**
 * The WebP thumbnail of stored bytes, made once and kept beside the files (content-addressed
 * too: the same bytes share one thumbnail). Throws ThumbnailTooLarge for an image over the
 * pixel bound.
 */
export class Thumbnails {
  private readonly inFlight = new Map<string, Promise<Buffer>>();

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  get(sha256: string, source: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    const path = join(this.root, `${sha256}-${THUMB_SIZE}.webp`);
    if (existsSync(path)) return Promise.resolve(readFileSync(path));
    // Parallel first requests for one image share one decode.
    const running = this.inFlight.get(sha256);
    if (running) return running;
    const made = (async () => {
      const meta = await sharp(source, { limitInputPixels: false }).metadata();
      if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS || (meta.pages ?? 1) * (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) > MAX_INPUT_PIXELS) {
        throw new ThumbnailTooLarge(`image is ${meta.width} × ${meta.height}: over the ${MAX_INPUT_PIXELS} pixel bound for previews`);
      }
      const bytes = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer();
      const tmp = `${path}.${randomBytes(6).toString('hex')}`;
      writeFileSync(tmp, bytes, { mode: 0o600 });
      renameSync(tmp, path);
      return bytes;
    })().finally(() => this.inFlight.delete(sha256));
    this.inFlight.set(sha256, made);
    return made;
  }
}
