import type { Sql, Upload, UploadState } from './types';

interface UploadRow {
  id: string;
  env: string;
  folder: string;
  path: string;
  filename: string;
  size: number;
  mime_type: string;
  sha256: string;
  client_mutation_id: string;
  state: UploadState;
  reason: string | null;
  sent: number;
  asset_id: string | null;
  created_at: string;
  replaces: string | null;
}
const hydrate = (r: UploadRow): Upload => ({
  id: r.id,
  env: r.env,
  folder: r.folder,
  path: r.path,
  filename: r.filename,
  size: r.size,
  mimeType: r.mime_type,
  sha256: r.sha256,
  clientMutationId: r.client_mutation_id,
  state: r.state,
  reason: r.reason,
  sent: r.sent,
  assetId: r.asset_id,
  createdAt: r.created_at,
  replaces: r.replaces,
});

/** Files copied into app data and queued for upload, with their state. */
export class Uploads {
  constructor(private readonly db: Sql) {}

  add(u: Omit<Upload, 'state' | 'reason' | 'sent' | 'assetId'>): void {
    this.db
      .prepare('INSERT INTO uploads (id, env, folder, path, filename, size, mime_type, sha256, client_mutation_id, created_at, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(u.id, u.env, u.folder, u.path, u.filename, u.size, u.mimeType, u.sha256, u.clientMutationId, u.createdAt, u.replaces ?? null);
  }
  get(id: string): Upload | null {
    const r = this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
    return r ? hydrate(r) : null;
  }
  all(): Upload[] {
    return (this.db.prepare('SELECT * FROM uploads ORDER BY created_at, id').all() as UploadRow[]).map(hydrate);
  }
  queued(env: string): Upload[] {
    return (this.db.prepare("SELECT * FROM uploads WHERE env = ? AND state = 'queued' ORDER BY created_at, id").all(env) as UploadRow[]).map(hydrate);
  }
  /** The same bytes already queued or uploaded into the same folder (dedupe per file). */
  twin(env: string, folder: string, sha256: string, state?: UploadState): Upload | null {
    const r = (
      state
        ? this.db.prepare('SELECT * FROM uploads WHERE env = ? AND folder = ? AND sha256 = ? AND state = ? ORDER BY created_at LIMIT 1').get(env, folder, sha256, state)
        : this.db.prepare('SELECT * FROM uploads WHERE env = ? AND folder = ? AND sha256 = ? ORDER BY created_at LIMIT 1').get(env, folder, sha256)
    ) as UploadRow | undefined;
    return r ? hydrate(r) : null;
  }
  progress(id: string, sent: number): void {
    this.db.prepare('UPDATE uploads SET sent = ? WHERE id = ?').run(sent, id);
  }
  done(id: string, assetId: string): void {
    this.db.prepare("UPDATE uploads SET state = 'done', asset_id = ?, sent = size, reason = NULL WHERE id = ?").run(assetId, id);
  }
  fail(id: string, reason: string): void {
    this.db.prepare("UPDATE uploads SET state = 'failed', reason = ? WHERE id = ?").run(reason, id);
  }
  requeue(id: string): void {
    this.db.prepare("UPDATE uploads SET state = 'queued', reason = NULL, sent = 0 WHERE id = ?").run(id);
  }
  remove(id: string): void {
    this.db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
  }
}
