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
import { BASE_COUNTS_INSERT_TRIGGER, BASES_RECENT_INSERT_TRIGGER } from './migrations';
import { FOLD_CHUNK, fold, RECENT_FOLD_AT, REBUILD_SEARCH, recentRows } from './search';

export type Folder = FoldersResult['folders'][number];

/** Quiet time after the last write before the WAL is folded into the file (see `wrote`). */
export const IDLE_CHECKPOINT_MS = 1000;

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
  private lastWrite = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * One transaction wrapper for the store's life, called with the work to do: better-sqlite3's
   * `db.transaction(fn)` builds four wrapper functions and their properties on every call, which
   * was garbage and JIT work on every autosave (the bench saw it optimised mid-loop).
   */
  private readonly inTx: (fn: () => unknown) => unknown;

  constructor(private readonly db: Database.Database) {
    this.inTx = db.transaction((fn: () => unknown) => fn());
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
      const out = this.inTx(fn) as T;
      if (!this.db.inTransaction) this.wrote();
      return out;
    } catch (e) {
      // A rolled-back transaction may have memoised meta it never wrote.
      this.metaMemo.clear();
      throw e;
    }
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.db.close();
  }

  /**
   * The WAL is folded into the file once writes pause (a PASSIVE checkpoint: it waits on no
   * one), not inside the commit that happens to cross a page count: an edit pays for its own
   * WAL append and fsync only. The next write then starts the WAL over, so it stays small and
   * is overwritten in place. One timer per quiet spell, not one per write.
   */
  private wrote(): void {
    this.lastWrite = Date.now();
    if (this.idleTimer) return;
    // unref: a pending checkpoint never keeps the process alive (close() folds the WAL anyway).
    this.idleTimer = setTimeout(this.onIdle, IDLE_CHECKPOINT_MS);
    this.idleTimer.unref?.();
  }
  private readonly onIdle = (): void => {
    const wait = this.lastWrite + IDLE_CHECKPOINT_MS - Date.now();
    if (wait > 0) {
      this.idleTimer = setTimeout(this.onIdle, wait);
      this.idleTimer.unref?.();
      return;
    }
    this.idleTimer = null;
    if (!this.db.open) return;
    // The recent search level folded into the big one (search.ts), a chunk per quiet spell; its
    // own transaction, then the same wait before the next chunk or the checkpoint. A fold that
    // fails is rolled back whole (searches stay exact either way) and never throws from a timer.
    try {
      if (this.foldSearch(RECENT_FOLD_AT, FOLD_CHUNK) > 0) return;
    } catch {
      // Tried again after the next write's quiet spell.
    }
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Nothing is lost: the pages stay in the WAL, and the bound in open.ts folds them later.
    }
  };
  /** Rows the recent search level lists (search.ts). */
  recentSearchRows(): number {
    return recentRows(this.db);
  }
  /** Moves up to `chunk` rows of the recent search level into the big one if it lists more than `over`; how many moved. */
  foldSearch(over: number, chunk: number): number {
    if (recentRows(this.db) <= over) return 0;
    return this.tx(() => fold(this.db, chunk));
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

  /** A snapshot stream under way for `env` (sync/snapshot.ts): its fixed end and the last seq applied. */
  snapshotProgress(env: string): { until: string; after: string } | null {
    return this.getMeta<{ until: string; after: string }>(`snapshot:${env}`);
  }
  setSnapshotProgress(env: string, p: { until: string; after: string } | null): void {
    if (p) this.setMeta(`snapshot:${env}`, p);
    else {
      this.db.prepare('DELETE FROM meta WHERE key = ?').run(`snapshot:${env}`);
      this.metaMemo.set(`snapshot:${env}`, null);
    }
  }

  /**
   * Bulk load of a fresh file (the first pull builds its own file, thrown away if anything
   * fails, and fsynced before it is put in place): no journal on disk, no fsync per batch, and
   * nothing derived kept up row by row. `false` derives it all once and brings back WAL with
   * FULL sync, the store's normal durability.
   */
  bulkLoad(on: boolean): void {
    if (on) {
      this.db.pragma('journal_mode = MEMORY');
      this.db.pragma('synchronous = OFF');
      this.db.exec('DROP TRIGGER IF EXISTS bases_search_ai; DROP TRIGGER IF EXISTS base_counts_ai; DROP INDEX IF EXISTS bases_model;');
      return;
    }
    // Once for every environment (the search index and the model index span them all; rebuilt
    // per environment, the second pass re-sorted and re-merged all 200k rows: ~2 s, ~25 MB).
    // One transaction, merge included: its pages are almost all past the size the file had when
    // it began, which the in-memory journal does not copy (a merge in a later transaction
    // rewrote pages the file had: ~35 MB of native heap at 200k, kept by malloc; done in the
    // WAL instead, it wrote the index twice and fsynced it once more: 26 s instead of 17 on a
    // busy disk).
    this.tx(() => {
      // The search index from the rows (anything the update trigger put in while the load ran,
      // in either level, is redone), merged into one segment while nobody waits on it: left as
      // the ~16 segments the load flushed, the first few later syncs each paid a merge of the
      // whole index (12 s at 50k, measured).
      this.db.exec(REBUILD_SEARCH);
      this.db.exec('DELETE FROM base_counts; INSERT INTO base_counts (env, model, n) SELECT env, model, count(*) FROM bases GROUP BY env, model;');
      this.db.exec(`${BASES_RECENT_INSERT_TRIGGER} ${BASE_COUNTS_INSERT_TRIGGER} CREATE INDEX bases_model ON bases(env, model, id);`);
    });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
  }

  /** Nothing pulled or written yet (a fresh sign-in builds the store whole). */
  isEmpty(): boolean {
    const n = this.db.prepare('SELECT (SELECT count(*) FROM bases) + (SELECT count(*) FROM drafts) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM cursors) AS n').get() as { n: number };
    return n.n === 0;
  }

  /** Environments with anything local in them (ops, drafts, uploads, conflicts). */
  localEnvs(): string[] {
    const envs = new Set<string>();
    // A skip through each table's env-first index: one probe per environment, not one per row.
    for (const table of ['outbox', 'drafts', 'conflicts'] as const) {
      for (let env = ''; ; ) {
        const r = this.db.prepare(`SELECT env FROM ${table} WHERE env > ? ORDER BY env LIMIT 1`).get(env) as { env: string } | undefined;
        if (!r) break;
        envs.add((env = r.env));
      }
    }
    for (const r of this.db.prepare("SELECT DISTINCT env FROM uploads WHERE state != 'done'").all() as { env: string }[]) envs.add(r.env);
    return [...envs];
  }

  /** The status line's figures for one environment, each answered from an index. */
  counts(env: string): EnvCounts {
    const r = this.db
      .prepare(
        `SELECT
          (SELECT count(*) FROM outbox WHERE env = @env AND state IN ('queued', 'sent')) + w.owed AS queued_ops,
          (SELECT count(*) FROM outbox WHERE env = @env AND state = 'refused') AS refused_ops,
          w.drafts,
          w.drafts_without_op,
          w.incomplete,
          (SELECT count(*) FROM uploads WHERE env = @env AND state != 'done') AS open_uploads,
          (SELECT count(*) FROM asset_ops WHERE env = @env AND state IN ('queued', 'sent')) AS asset_ops,
          (SELECT count(*) FROM uploads WHERE env = @env AND state = 'failed') + (SELECT count(*) FROM asset_ops WHERE env = @env AND state = 'refused') AS media_problems,
          (SELECT count(*) FROM conflicts WHERE env = @env) AS conflicts
        FROM (
          -- One pass over the environment's drafts: the writes they owe (counted as the ops they
          -- will be, outbox.ts), and drafts no op carries; of those, the ones made here are new
          -- records held back (edits.ts).
          SELECT count(*) AS drafts, total(x.write_owed) AS owed, total(x.no_op) AS drafts_without_op, total(x.no_op * x.created_local) AS incomplete
          FROM (
            SELECT d.write_owed, d.created_local, (d.write_owed = 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.env = d.env AND o.record_id = d.record_id)) AS no_op
            FROM drafts d WHERE d.env = @env
          ) AS x
        ) AS w`,
      )
      .get({ env }) as { queued_ops: number; refused_ops: number; drafts: number; drafts_without_op: number; open_uploads: number; asset_ops: number; media_problems: number; incomplete: number; conflicts: number };
    return { queuedOps: r.queued_ops, refusedOps: r.refused_ops, drafts: r.drafts, draftsWithoutOp: r.drafts_without_op, openUploads: r.open_uploads, assetOps: r.asset_ops, mediaProblems: r.media_problems, incomplete: r.incomplete, conflicts: r.conflicts };
  }
}
