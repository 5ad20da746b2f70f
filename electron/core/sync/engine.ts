import { readScope, type EffectivePermissions } from '../../../shared/permissions';
import { CHANGES, FOLDERS, MODELS, VIEWER, type ChangesResult, type FoldersResult, type ModelsResult, type ViewerResult } from '../../../shared/api/operations';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { SignedOutError } from '../errors';
import type { LocalStore } from '../store/store';
import type { ProgressListener } from './events';
import { opRefusal } from './judge';
import { rebase, remoteDeleted } from './rebase';
import { setAsideDeletedFields } from './deleted-fields';
import { sendOp } from './send';
import { pullSnapshot } from './snapshot';
import { pushUploads } from './upload-push';
import { pullAssets } from './asset-pull';
import { pushAssetOps } from './asset-push';

export interface SyncReport {
  pulled: number;
  pushed: number;
  conflicts: number;
  problems: number;
  uploaded: number;
  offline: boolean;
  permissionsChanged: boolean;
}

const PAGE = 500;

/** Pull, push and uploads for one account's store against its server. */
export class SyncEngine {
  constructor(
    private readonly store: LocalStore,
    private readonly api: ApiClient,
    private readonly onProgress: ProgressListener = () => {},
  ) {}

  private permissions(): EffectivePermissions {
    const v = this.store.viewer();
    if (!v) throw new Error('no viewer in the store: sign in first');
    return v.viewer.permissions;
  }

  private readonly guard = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') throw new SignedOutError();
      throw e;
    });

  /** Viewer, permissions, schema and folders; a changed permissions fingerprint re-pulls and re-judges the outbox. */
  async refreshViewer(): Promise<{ changed: boolean }> {
    this.onProgress({ phase: 'viewer', done: 0 });
    const v = await this.guard(this.api.request<ViewerResult>(VIEWER));
    const prior = this.store.viewer();
    const schema: { env: string; models: ModelsResult['models']; folders: FoldersResult['folders'] }[] = [];
    for (const env of Object.keys(v.viewer.permissions.environments)) {
      this.onProgress({ phase: 'schema', env, done: schema.length, total: Object.keys(v.viewer.permissions.environments).length });
      const [m, f] = await Promise.all([
        this.guard(this.api.request<ModelsResult>(MODELS, { environment: env })),
        this.guard(this.api.request<FoldersResult>(FOLDERS, { environment: env })),
      ]);
      schema.push({ env, models: m.models, folders: f.folders });
    }
    const changed = prior !== null && prior.viewer.permissionsFingerprint !== v.viewer.permissionsFingerprint;
    this.store.tx(() => {
      this.store.setViewer(v);
      for (const s of schema) {
        const before = this.store.models(s.env);
        this.store.setSchema(s.env, s.models, s.folders);
        setAsideDeletedFields(this.store, s.env, before, s.models);
      }
      if (changed) {
        for (const env of new Set([...Object.keys(v.viewer.permissions.environments), ...Object.keys(prior.viewer.permissions.environments)])) {
          // Pulled again only where what may be read changed (a deleted field changes the rest).
          if (readScope(prior.viewer.permissions, env) === readScope(v.viewer.permissions, env)) continue;
          this.store.setCursor(env, null);
          // A snapshot begun under the old permissions is not resumed: it starts over.
          this.store.setSnapshotProgress(env, null);
          this.store.records.markUnseen(env);
        }
      }
      this.rejudgeOutbox();
    });
    return { changed };
  }

  /** Ops the role no longer permits become problems (kept, visible); ones it permits again go back to the queue. */
  rejudgeOutbox(): number {
    const perms = this.permissions();
    let refused = 0;
    for (const op of this.store.outbox.all()) {
      const refusal = opRefusal(this.store, perms, op);
      // A sent op (its answer maybe lost) stays sent where its environment is still reached: the
      // resend gets the server's word, and a pull keeps counting its cells as held (refused here,
      // its own applied write would come back as a conflict). In an environment the role no
      // longer reaches it would never be sent again: that is a problem now.
      if (op.state === 'sent' && refusal?.code !== 'ENVIRONMENT') continue;
      // Only refusals decided here are lifted here; a server's refusal waits for the user.
      const local = op.problem && !op.problem.message.startsWith('the server refused') && (op.problem.code === 'PERMISSION' || op.problem.code === 'ENVIRONMENT');
      if (refusal && op.state !== 'refused') this.store.outbox.refuse(op.seq, refusal.code, refusal.message);
      else if (!refusal && op.state === 'refused' && local) this.store.outbox.unrefuse(op.seq);
      if (refusal) refused++;
    }
    return refused;
  }

  /** changes(since) page by page, one transaction a page; a full pull sweeps what became unreadable. */
  async pull(env: string): Promise<{ applied: number; conflicts: number }> {
    const full = this.store.cursor(env) === null;
    let applied = 0;
    let conflicts = 0;
    if (full) {
      // The bulk of a full pull comes streamed; changes(since) then brings what moved meanwhile.
      // (Into the first pull's own file, the indexes are built after all of it: store.bulkLoad.)
      const snap = await this.guard(pullSnapshot(this.store, this.api, env, (done) => this.onProgress({ phase: 'pull', env, done })));
      applied += snap?.applied ?? 0;
      conflicts += snap?.conflicts ?? 0;
    }
    for (;;) {
      const since = this.store.cursor(env);
      const page = await this.guard(this.api.request<ChangesResult>(CHANGES, { environment: env, since, limit: PAGE }));
      this.store.tx(() => {
        for (const c of page.changes.changes) {
          if (c.kind === 'UPSERT' && c.record) conflicts += rebase(this.store, env, c.record);
          else if (remoteDeleted(this.store, env, c.recordId)) conflicts++;
          applied++;
        }
        this.store.setCursor(env, page.changes.nextCursor);
      });
      this.onProgress({ phase: 'pull', env, done: applied });
      if (!page.changes.hasMore) break;
    }
    if (full) {
      // What was kept but did not come back is gone for this viewer: deleted on the server, or no
      // longer readable (the server answers NOT_FOUND to both, DESIGN §4). Drop it. Local edits of
      // it are a conflict on the whole record, as a remote delete's are: shown, with a way out
      // (discard them, or keep them as a new record). Flagged only, they stayed pending for good.
      this.store.tx(() => {
        for (const id of this.store.records.unseen(env)) {
          if (remoteDeleted(this.store, env, id, 'unreadable')) conflicts++;
          else {
            const d = this.store.records.draft(env, id);
            if (d) this.store.records.putDraft(env, id, d.model, d.values, { flag: 'unreadable' });
          }
        }
      });
    }
    return { applied, conflicts };
  }

  /**
   * Sends the outbox of one environment in order. A refused op never holds back other
   * records; a refused write holds back only the later publish/unpublish/delete of its own
   * record (they act on its values). Stops (ops kept) when offline.
   */
  async push(env: string): Promise<{ sent: number; conflicts: number; refused: number }> {
    let sent = 0;
    let conflicts = 0;
    let refused = 0;
    const perms = this.permissions();
    const skip = new Set<string>();
    for (;;) {
      const op = this.store.outbox.next(env, skip);
      if (!op) break;
      if (this.store.outbox.waitsForRefusedWrite(op)) {
        skip.add(op.recordId);
        continue;
      }
      const refusal = op.state === 'queued' ? opRefusal(this.store, perms, op) : null;
      if (refusal) {
        this.store.outbox.refuse(op.seq, refusal.code, refusal.message);
        refused++;
        continue;
      }
      const result = await sendOp(this.store, this.api, op, this.guard);
      this.onProgress({ phase: 'push', env, done: ++sent });
      if (result === 'conflict') conflicts++;
      if (result === 'refused') refused++;
    }
    return { sent, conflicts, refused };
  }

  /** The readable assets and their thumbnails (media browses offline). */
  pullAssets(env: string): Promise<number> {
    return pullAssets(this.store, this.api, env, this.guard);
  }

  /** Queued asset moves and deletions. */
  pushAssetOps(env: string): Promise<{ sent: number; refused: number }> {
    return pushAssetOps(this.store, this.api, env, this.guard);
  }

  pushUploads(env: string): Promise<number> {
    return pushUploads(this.store, this.api, this.permissions(), env, this.guard, this.onProgress);
  }
}
