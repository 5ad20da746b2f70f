import type { AssetNode } from '../../../shared/api/operations';
import type { Sql } from './types';

/** An asset as the local store keeps it: the server's copy, per environment. */
export interface LocalAsset {
  id: string;
  folder: string;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  width: number | null;
  height: number | null;
  metadata: Record<string, { alt?: string | null; title?: string | null }>;
  createdAt: string;
}

interface AssetRow {
  id: string;
  folder: string;
  filename: string;
  size: number;
  mime_type: string;
  sha256: string;
  width: number | null;
  height: number | null;
  metadata: string;
  created_at: string;
}
const hydrate = (r: AssetRow): LocalAsset => ({
  id: r.id,
  folder: r.folder,
  filename: r.filename,
  size: r.size,
  mimeType: r.mime_type,
  sha256: r.sha256,
  width: r.width,
  height: r.height,
  metadata: JSON.parse(r.metadata) as LocalAsset['metadata'],
  createdAt: r.created_at,
});

/** Types the server previews (server/uploads/images.ts). */
const PREVIEWABLE = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/tiff'];

/**
 * The assets the viewer may read and their thumbnails, so the library and the pickers browse
 * offline. Thumbnails are keyed by content (the same bytes share one); an empty one means
 * "the server has no preview of these bytes" and is not asked for again.
 */
export class Assets {
  constructor(private readonly db: Sql) {}

  /** The whole readable set of one environment, as the server just listed it. */
  replace(env: string, nodes: readonly AssetNode[]): void {
    this.db.prepare('DELETE FROM assets WHERE env = ?').run(env);
    for (const n of nodes) this.upsert(env, n);
    this.sweepThumbnails();
  }
  upsert(env: string, n: AssetNode): void {
    this.db
      .prepare(
        `INSERT INTO assets (env, id, folder, filename, size, mime_type, sha256, width, height, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(env, id) DO UPDATE SET folder = excluded.folder, filename = excluded.filename, size = excluded.size, mime_type = excluded.mime_type,
           sha256 = excluded.sha256, width = excluded.width, height = excluded.height, metadata = excluded.metadata`,
      )
      .run(env, n.id, n.folder, n.filename, n.size, n.mimeType, n.sha256, n.width ?? null, n.height ?? null, JSON.stringify(n.metadata ?? {}), n.createdAt);
  }
  remove(env: string, id: string): void {
    this.db.prepare('DELETE FROM assets WHERE env = ? AND id = ?').run(env, id);
  }
  get(env: string, id: string): LocalAsset | null {
    const r = this.db.prepare('SELECT * FROM assets WHERE env = ? AND id = ?').get(env, id) as AssetRow | undefined;
    return r ? hydrate(r) : null;
  }
  /** One folder's assets, or the whole environment's; by name. */
  list(env: string, folder?: string): LocalAsset[] {
    const rows = folder
      ? this.db.prepare('SELECT * FROM assets WHERE env = ? AND folder = ? ORDER BY filename, id').all(env, folder)
      : this.db.prepare('SELECT * FROM assets WHERE env = ? ORDER BY filename, id').all(env);
    return (rows as AssetRow[]).map(hydrate);
  }

  /** Previewable assets of an environment whose bytes have no thumbnail row yet. */
  missingThumbnails(env: string): LocalAsset[] {
    const rows = this.db
      .prepare(
        `SELECT a.* FROM assets a WHERE a.env = ? AND a.mime_type IN (${PREVIEWABLE.map(() => '?').join(',')})
         AND NOT EXISTS (SELECT 1 FROM thumbnails t WHERE t.sha256 = a.sha256) GROUP BY a.sha256`,
      )
      .all(env, ...PREVIEWABLE) as AssetRow[];
    return rows.map(hydrate);
  }
  putThumbnail(sha256: string, bytes: Buffer): void {
    this.db.prepare('INSERT INTO thumbnails (sha256, bytes) VALUES (?, ?) ON CONFLICT(sha256) DO UPDATE SET bytes = excluded.bytes').run(sha256, bytes);
  }
  /** The thumbnail bytes of an asset; null when there is none (yet, or ever). */
  thumbnail(env: string, id: string): Buffer | null {
    const r = this.db.prepare('SELECT t.bytes FROM assets a JOIN thumbnails t ON t.sha256 = a.sha256 WHERE a.env = ? AND a.id = ?').get(env, id) as { bytes: Buffer } | undefined;
    return r && r.bytes.length > 0 ? r.bytes : null;
  }
  /** Thumbnails of bytes no readable asset holds any more go: what the role lost is not kept. */
  sweepThumbnails(): void {
    this.db.prepare('DELETE FROM thumbnails WHERE sha256 NOT IN (SELECT sha256 FROM assets)').run();
  }
}
