import { createReadStream, rmSync } from 'node:fs';
import type { Values } from '../../../shared/domain';
import { allows, type EffectivePermissions } from '../../../shared/permissions';
import { cellsIn, indexFields } from '../../../shared/values';
import {
  CHANGES,
  CREATE_RECORD,
  CREATE_UPLOAD_SLOT,
  DELETE_RECORD,
  FOLDERS,
  MODELS,
  PUBLISH_RECORD,
  UNPUBLISH_RECORD,
  UPDATE_RECORD,
  VIEWER,
  type ChangesResult,
  type CreateUploadSlotResult,
  type FoldersResult,
  type ModelsResult,
  type RecordNode,
  type ViewerResult,
} from '../../../shared/api/operations';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { SignedOutError } from '../errors';
export { SignedOutError } from '../errors';
import type { Cache, OpRow } from '../cache/cache';
import { rebase, remoteDeleted } from './rebase';
import type { ProgressListener } from './events';
import type { ProblemCode } from '../../../shared/ipc/contract';

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

/** Why an operation may not be sent now, from the cached effective permissions; null if it may. */
export function opRefusal(cache: Cache, perms: EffectivePermissions, op: Pick<OpRow, 'env' | 'kind' | 'record_id' | 'model'>): { message: string; code: ProblemCode } | null {
  const envPerms = perms.environments[op.env];
  if (!envPerms) return { code: 'ENVIRONMENT', message: `environment "${op.env}" is not reachable with your current role; the operation is kept and will not be sent elsewhere` };
  const environment = { id: op.env, primary: envPerms.primary };
  const base = cache.base(op.env, op.record_id);
  const draft = cache.draft(op.env, op.record_id);
  const model = cache.model(op.env, op.model);
  const cells = draft && model ? cellsIn(indexFields(model.fields), JSON.parse(draft.data) as Values) : [];
  const createdBy = base?.created_by ?? null;
  const ok =
    op.kind === 'create'
      ? allows(perms, 'record.create', { environment, model: op.model, cells })
      : op.kind === 'update'
        ? allows(perms, 'record.update', { environment, model: op.model, createdBy, cells })
        : allows(perms, `record.${op.kind}`, { environment, model: op.model, createdBy });
  if (ok) return null;
  return { code: 'PERMISSION', message: `your role no longer allows ${op.kind} of this ${model?.name ?? op.model} record${cells.length ? ` (${cells.map((c) => (c.locale ? `${c.field}.${c.locale}` : c.field)).join(', ')})` : ''}` };
}

/** Pull, push and uploads for one account's cache against its server. */
export class SyncEngine {
  constructor(
    private readonly cache: Cache,
    private readonly api: ApiClient,
    private readonly onProgress: ProgressListener = () => {},
  ) {}

  private permissions(): EffectivePermissions {
    const v = this.cache.viewer();
    if (!v) throw new Error('no viewer cached: sign in first');
    return v.viewer.permissions;
  }

  private guard<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') throw new SignedOutError();
      throw e;
    });
  }

  /** Viewer, permissions, schema and folders; a changed permissions fingerprint re-pulls and re-judges the outbox. */
  async refreshViewer(): Promise<{ changed: boolean }> {
    this.onProgress({ phase: 'viewer', done: 0 });
    const v = await this.guard(this.api.request<ViewerResult>(VIEWER));
    const prior = this.cache.viewer();
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
    this.cache.tx(() => {
      this.cache.setMeta('viewer', v);
      for (const s of schema) {
        this.cache.setMeta(`models:${s.env}`, s.models);
        this.cache.setMeta(`folders:${s.env}`, s.folders);
      }
      if (changed) {
        for (const env of new Set([...Object.keys(v.viewer.permissions.environments), ...Object.keys(prior.viewer.permissions.environments)])) {
          this.cache.setCursor(env, null);
          this.cache.db.prepare('UPDATE bases SET seen = 0 WHERE env = ?').run(env);
        }
      }
      this.rejudgeOutbox();
    });
    return { changed };
  }

  /** Ops the role no longer permits become blocked (kept, visible); blocked ones it permits again go back to pending. */
  rejudgeOutbox(): number {
    const perms = this.permissions();
    let blocked = 0;
    for (const op of this.cache.ops()) {
      const refusal = opRefusal(this.cache, perms, op);
      // Only refusals decided here are lifted here; a server's refusal waits for the user.
      const localRefusal = op.reason?.startsWith('your role') || op.reason?.startsWith('environment');
      if (refusal && op.state === 'pending') this.cache.block(op.seq, refusal.message, refusal.code);
      else if (!refusal && op.state === 'blocked' && localRefusal) this.cache.unblock(op.seq);
      if (refusal) blocked++;
    }
    return blocked;
  }

  /** changes(since) page by page, one transaction a page; a full pull sweeps what became unreadable. */
  async pull(env: string): Promise<{ applied: number; conflicts: number }> {
    const full = this.cache.cursor(env) === null;
    let applied = 0;
    let conflicts = 0;
    for (;;) {
      const since = this.cache.cursor(env);
      const page = await this.guard(this.api.request<ChangesResult>(CHANGES, { environment: env, since, limit: PAGE }));
      this.cache.tx(() => {
        for (const c of page.changes.changes) {
          if (c.kind === 'UPSERT' && c.record) conflicts += rebase(this.cache, env, c.record);
          else if (remoteDeleted(this.cache, env, c.recordId)) conflicts++;
          applied++;
        }
        this.cache.setCursor(env, page.changes.nextCursor);
      });
      this.onProgress({ phase: 'pull', env, done: applied });
      if (!page.changes.hasMore) break;
    }
    if (full) {
      // What was cached but did not come back is no longer readable: drop it; keep its drafts, flagged.
      this.cache.tx(() => {
        const gone = this.cache.db.prepare('SELECT id FROM bases WHERE env = ? AND seen = 0').all(env) as { id: string }[];
        for (const { id } of gone) {
          this.cache.deleteBase(env, id);
          const d = this.cache.draft(env, id);
          if (d) this.cache.putDraft(env, id, d.model, JSON.parse(d.data) as Values, { flag: 'unreadable' });
        }
      });
    }
    return { applied, conflicts };
  }

  /** Sends the outbox of one environment in order. Stops (ops kept) when offline. */
  async push(env: string): Promise<{ sent: number; conflicts: number; blocked: number }> {
    let sent = 0;
    let conflicts = 0;
    let blocked = 0;
    const perms = this.permissions();
    const skipRecords = new Set<string>();
    for (;;) {
      const op = this.cache.nextPending(env, skipRecords);
      if (!op) break;
      if (this.cache.hasEarlierBlocked(op)) {
        skipRecords.add(op.record_id);
        continue;
      }
      const refusal = opRefusal(this.cache, perms, op);
      if (refusal) {
        this.cache.block(op.seq, refusal.message, refusal.code);
        blocked++;
        continue;
      }
      const result = await this.sendOp(op);
      this.onProgress({ phase: 'push', env, done: ++sent });
      if (result === 'conflict') conflicts++;
      if (result === 'blocked') blocked++;
    }
    return { sent, conflicts, blocked };
  }

  private async sendOp(op: OpRow): Promise<'ok' | 'conflict' | 'blocked' | 'dropped'> {
    const c = this.cache;
    // Freeze the payload at the first attempt: a retry sends exactly what the first did.
    let payload = op.payload ? (JSON.parse(op.payload) as { values?: Values }) : null;
    let baseVersion = op.base_version;
    if (!payload) {
      const draft = c.draft(op.env, op.record_id);
      const base = c.base(op.env, op.record_id);
      if ((op.kind === 'update' && !draft) || (op.kind !== 'create' && !base)) {
        c.removeOp(op.seq);
        return 'dropped';
      }
      payload = op.kind === 'create' || op.kind === 'update' ? { values: JSON.parse(draft?.data ?? '{}') as Values } : {};
      baseVersion = base?.version ?? null;
      c.freeze(op.seq, payload, baseVersion);
    } else {
      c.markAttempt(op.seq);
    }
    const vars = { environment: op.env, id: op.record_id, clientMutationId: op.client_mutation_id };
    try {
      let record: RecordNode | null = null;
      switch (op.kind) {
        case 'create':
          record = (await this.guard(this.api.request<{ createRecord: RecordNode }>(CREATE_RECORD, { ...vars, model: op.model, values: payload.values }))).createRecord;
          break;
        case 'update':
          record = (await this.guard(this.api.request<{ updateRecord: RecordNode }>(UPDATE_RECORD, { ...vars, baseVersion, values: payload.values }))).updateRecord;
          break;
        case 'publish':
          record = (await this.guard(this.api.request<{ publishRecord: RecordNode }>(PUBLISH_RECORD, vars))).publishRecord;
          break;
        case 'unpublish':
          record = (await this.guard(this.api.request<{ unpublishRecord: RecordNode }>(UNPUBLISH_RECORD, vars))).unpublishRecord;
          break;
        case 'delete':
          await this.guard(this.api.request(DELETE_RECORD, { ...vars, baseVersion }));
          break;
      }
      c.tx(() => {
        if (op.kind === 'delete') {
          c.deleteBase(op.env, op.record_id);
          c.deleteDraft(op.env, op.record_id);
          for (const o of c.opsFor(op.env, op.record_id)) c.removeOp(o.seq);
          return;
        }
        const cur = c.base(op.env, op.record_id);
        // A retried op answers with its first result, which may be older than what a pull brought since.
        if (record && (!cur || record.version >= cur.version)) c.putBase(op.env, record);
        c.removeOp(op.seq);
        const rest = c.pruneDraft(op.env, op.record_id);
        if (Object.keys(rest).length > 0 && !c.hasUnsentWrite(op.env, op.record_id)) c.enqueue(op.env, 'update', op.record_id, op.model);
      });
      return 'ok';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return c.tx(() => this.handleRefusal(op, e));
    }
  }

  private handleRefusal(op: OpRow, e: ApiError): 'conflict' | 'blocked' | 'dropped' {
    const c = this.cache;
    switch (e.code) {
      case 'STALE_VERSION': {
        if (op.kind === 'delete') {
          c.block(op.seq, 'the record changed on the server after you deleted it here; pull, review and delete again to confirm', 'VALIDATION');
          return 'blocked';
        }
        const current = e.extensions['current'] as RecordNode;
        const n = rebase(c, op.env, current);
        c.removeOp(op.seq);
        const draft = c.draft(op.env, op.record_id);
        if (draft && Object.keys(JSON.parse(draft.data) as object).length > 0 && !c.hasUnsentWrite(op.env, op.record_id)) c.enqueue(op.env, 'update', op.record_id, op.model);
        return n > 0 ? 'conflict' : 'dropped';
      }
      case 'NOT_FOUND':
        if (op.kind !== 'create') {
          remoteDeleted(c, op.env, op.record_id);
          for (const o of c.opsFor(op.env, op.record_id)) c.removeOp(o.seq);
          return 'conflict';
        }
        c.block(op.seq, `the server refused: ${e.message}`, 'NOT_FOUND');
        return 'blocked';
      case 'FORBIDDEN':
        c.block(op.seq, `the server refused: ${e.message}`, 'PERMISSION');
        return 'blocked';
      case 'VALIDATION_FAILED':
      case 'CONFLICT':
        c.block(op.seq, `the server refused: ${e.message}`, 'VALIDATION');
        return 'blocked';
      default:
        throw e;
    }
  }

  /** Queued files: slot, PUT with progress, done. Dedupe by sha256 within a folder. */
  async pushUploads(env: string): Promise<number> {
    const perms = this.permissions();
    const rows = this.cache.db.prepare("SELECT * FROM uploads WHERE env = ? AND state = 'queued' ORDER BY created_at").all(env) as {
      id: string;
      folder: string;
      path: string;
      filename: string;
      size: number;
      mime_type: string;
      sha256: string;
      client_mutation_id: string;
    }[];
    let done = 0;
    for (const u of rows) {
      const envPerms = perms.environments[env];
      if (!envPerms || !envPerms.uploads.create.folders.includes(u.folder) || !envPerms.uploads.read.folders.includes(u.folder)) {
        this.cache.db.prepare("UPDATE uploads SET state = 'blocked', reason = ? WHERE id = ?").run('your role may not upload into this folder', u.id);
        continue;
      }
      const twin = this.cache.db.prepare("SELECT asset_id FROM uploads WHERE env = ? AND folder = ? AND sha256 = ? AND state = 'done' AND asset_id IS NOT NULL").get(env, u.folder, u.sha256) as
        | { asset_id: string }
        | undefined;
      if (twin) {
        this.cache.db.prepare("UPDATE uploads SET state = 'done', asset_id = ?, sent = size WHERE id = ?").run(twin.asset_id, u.id);
        rmSync(u.path, { force: true });
        done++;
        continue;
      }
      try {
        const slot = await this.guard(
          this.api.request<CreateUploadSlotResult>(CREATE_UPLOAD_SLOT, {
            environment: env,
            folder: u.folder,
            filename: u.filename,
            size: u.size,
            mimeType: u.mime_type,
            sha256: u.sha256,
            clientMutationId: u.client_mutation_id,
          }),
        );
        const asset = await this.api.put(slot.createUploadSlot.putUrl, createReadStream(u.path), u.size, (sent) => {
          this.onProgress({ phase: 'upload', env, done: sent, total: u.size, message: u.filename });
        });
        this.cache.db.prepare("UPDATE uploads SET state = 'done', asset_id = ?, sent = size WHERE id = ?").run(asset.id, u.id);
        rmSync(u.path, { force: true });
        done++;
      } catch (e) {
        if (e instanceof ApiError && ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'].includes(e.code)) {
          this.cache.db.prepare("UPDATE uploads SET state = 'blocked', reason = ? WHERE id = ?").run(`the server refused: ${e.message}`, u.id);
          continue;
        }
        throw e;
      }
    }
    return done;
  }
}
