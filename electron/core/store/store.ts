import type Database from 'better-sqlite3-multiple-ciphers';
import type { Model } from '../../../shared/domain';
import type { FoldersResult, ViewerResult } from '../../../shared/api/operations';
import { Conflicts } from './conflicts';
import { Outbox } from './outbox';
import { Records } from './records';
import { Uploads } from './uploads';
import { Assets } from './assets';
import { AssetOps } from './asset-ops';
import type { EnvCounts } from './types';

export type Folder = FoldersResult['folders'][number];

/**
 * The local store of one account: the server copies (bases), the local cells (drafts), the
 * outbox, conflicts, queued uploads, cursors and the cached viewer and schema. It holds the
 * only copy of offline edits, so it alone speaks SQL; everything it hands out is typed and
 * parsed.
 */
export class LocalStore {
  readonly records: Records;
  readonly outbox: Outbox;
  readonly conflicts: Conflicts;
  readonly uploads: Uploads;
  readonly assets: Assets;
  readonly assetOps: AssetOps;
  /** Parsed meta values: the viewer's permissions and the schema are read on every edit. */
  private readonly metaMemo = new Map<string, unknown>();

  constructor(private readonly db: Database.Database) {
    this.records = new Records(db, (env, id) => this.model(env, id));
    this.outbox = new Outbox(db);
    this.conflicts = new Conflicts(db);
    this.uploads = new Uploads(db);
    this.assets = new Assets(db);
    this.assetOps = new AssetOps(db);
  }

  /** One transaction; nested calls join the outer one. */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      // A rolled-back transaction may have memoised meta it never wrote.
      this.metaMemo.clear();
      throw e;
    }
  }

  close(): void {
    this.db.close();
  }
  /** Folds the WAL into the file (before the file is renamed into place). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private getMeta<T>(key: string): T | null {
    if (this.metaMemo.has(key)) return this.metaMemo.get(key) as T | null;
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    const value = r ? (JSON.parse(r.value) as T) : null;
    this.metaMemo.set(key, value);
    return value;
  }
  private setMeta(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, json);
    // Memoised as a copy, so later changes to the caller's object cannot leak in.
    this.metaMemo.set(key, JSON.parse(json) as unknown);
  }

  viewer(): ViewerResult | null {
    return this.getMeta<ViewerResult>('viewer');
  }
  setViewer(v: ViewerResult): void {
    this.setMeta('viewer', v);
  }
  models(env: string): Model[] {
    return this.getMeta<Model[]>(`models:${env}`) ?? [];
  }
  model(env: string, idOrKey: string): Model | undefined {
    return this.models(env).find((m) => m.id === idOrKey || m.apiKey === idOrKey);
  }
  folders(env: string): Folder[] {
    return this.getMeta<Folder[]>(`folders:${env}`) ?? [];
  }
  setSchema(env: string, models: Model[], folders: Folder[]): void {
    this.setMeta(`models:${env}`, models);
    this.setMeta(`folders:${env}`, folders);
  }

  cursor(env: string): string | null {
    return (this.db.prepare('SELECT cursor FROM cursors WHERE env = ?').get(env) as { cursor: string | null } | undefined)?.cursor ?? null;
  }
  setCursor(env: string, cursor: string | null): void {
    this.db.prepare('INSERT INTO cursors (env, cursor) VALUES (?, ?) ON CONFLICT(env) DO UPDATE SET cursor = excluded.cursor').run(env, cursor);
  }

  /** Nothing pulled or written yet (a fresh sign-in builds the store whole). */
  isEmpty(): boolean {
    const n = this.db.prepare('SELECT (SELECT count(*) FROM bases) + (SELECT count(*) FROM drafts) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM cursors) AS n').get() as { n: number };
    return n.n === 0;
  }

  /** Environments with anything local in them (ops, drafts, uploads, conflicts). */
  localEnvs(): string[] {
    const rows = this.db.prepare('SELECT env FROM outbox UNION SELECT env FROM drafts UNION SELECT env FROM uploads WHERE state != \'done\' UNION SELECT env FROM conflicts').all() as { env: string }[];
    return rows.map((r) => r.env);
  }

  /** The status line's figures for one environment, each answered from an index. */
  counts(env: string): EnvCounts {
    const r = this.db
      .prepare(
        `SELECT
          (SELECT count(*) FROM outbox WHERE env = @env AND state IN ('queued', 'sent')) AS queued_ops,
          (SELECT count(*) FROM outbox WHERE env = @env AND state = 'refused') AS refused_ops,
          (SELECT count(*) FROM drafts WHERE env = @env) AS drafts,
          (SELECT count(*) FROM drafts d WHERE d.env = @env AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.env = d.env AND o.record_id = d.record_id)) AS drafts_without_op,
          (SELECT count(*) FROM uploads WHERE env = @env AND state != 'done') AS open_uploads,
          (SELECT count(*) FROM conflicts WHERE env = @env) AS conflicts`,
      )
      .get({ env }) as { queued_ops: number; refused_ops: number; drafts: number; drafts_without_op: number; open_uploads: number; conflicts: number };
    return { queuedOps: r.queued_ops, refusedOps: r.refused_ops, drafts: r.drafts, draftsWithoutOp: r.drafts_without_op, openUploads: r.open_uploads, conflicts: r.conflicts };
  }
}
