import { randomUUID } from 'node:crypto';
import type { CacheDb } from './open';
import type { Json, Model, Values } from '../../../shared/domain';
import type { ProblemCode } from '../../../shared/ipc/contract';
import type { RecordNode, ViewerResult } from '../../../shared/api/operations';
import { applyPatch, changedCells, indexFields, type CellConflict } from '../../../shared/values';

export interface BaseRow {
  env: string;
  id: string;
  model: string;
  version: number;
  published_version: number | null;
  status: string;
  data: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}
export interface DraftRow {
  env: string;
  record_id: string;
  model: string;
  data: string;
  created_local: number;
  flag: string | null;
  updated_at: string;
}
export interface OpRow {
  seq: number;
  env: string;
  kind: 'create' | 'update' | 'publish' | 'unpublish' | 'delete';
  record_id: string;
  model: string;
  client_mutation_id: string;
  payload: string | null;
  base_version: number | null;
  state: 'pending' | 'blocked';
  reason: string | null;
  code: ProblemCode | null;
  attempts: number;
  created_at: string;
}
export interface ConflictRow {
  env: string;
  record_id: string;
  cell: string;
  model: string;
  base: string | null;
  local: string | null;
  remote: string | null;
  remote_version: number | null;
  remote_at: string | null;
  remote_by: string | null;
  created_at: string;
}

const now = () => new Date().toISOString();

/** What a record is found by in the list: its id and its short text fields (titles, names, slugs), lowercased. */
function searchText(id: string, values: Values, model: Model | undefined): string {
  const out: string[] = [id];
  const walk = (v: Json) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x as Json));
  };
  const short = model ? model.fields.filter((f) => f.type === 'string' || f.type === 'slug').map((f) => f.apiKey) : Object.keys(values);
  for (const key of short) if (values[key] !== undefined) walk(values[key]);
  return out.join(' ').toLowerCase().slice(0, 1000);
}

/** The local cache's data access: bases, drafts, outbox, conflicts, cursors and meta. */
export class Cache {
  /** Parsed meta values: the viewer's permissions and the schema are read on every edit. */
  private readonly metaMemo = new Map<string, unknown>();

  constructor(readonly db: CacheDb) {}

  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      // A rolled-back transaction may have memoised meta it never wrote.
      this.metaMemo.clear();
      throw e;
    }
  }

  // meta
  getMeta<T>(key: string): T | null {
    if (this.metaMemo.has(key)) return this.metaMemo.get(key) as T | null;
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    const value = r ? (JSON.parse(r.value) as T) : null;
    this.metaMemo.set(key, value);
    return value;
  }
  setMeta(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, json);
    // Memoised as a copy, so later changes to the caller's object cannot leak in.
    this.metaMemo.set(key, JSON.parse(json) as unknown);
  }
  viewer(): ViewerResult | null {
    return this.getMeta<ViewerResult>('viewer');
  }
  models(env: string): Model[] {
    return this.getMeta<Model[]>(`models:${env}`) ?? [];
  }
  model(env: string, idOrKey: string): Model | undefined {
    return this.models(env).find((m) => m.id === idOrKey || m.apiKey === idOrKey);
  }

  // cursors
  cursor(env: string): string | null {
    return (this.db.prepare('SELECT cursor FROM cursors WHERE env = ?').get(env) as { cursor: string | null } | undefined)?.cursor ?? null;
  }
  setCursor(env: string, cursor: string | null): void {
    this.db.prepare('INSERT INTO cursors (env, cursor) VALUES (?, ?) ON CONFLICT(env) DO UPDATE SET cursor = excluded.cursor').run(env, cursor);
  }

  // bases
  base(env: string, id: string): BaseRow | undefined {
    return this.db.prepare('SELECT * FROM bases WHERE env = ? AND id = ?').get(env, id) as BaseRow | undefined;
  }
  putBase(env: string, r: RecordNode): void {
    this.db
      .prepare(
        `INSERT INTO bases (env, id, model, version, published_version, status, data, created_by, updated_at, updated_by, search, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT(env, id) DO UPDATE SET model = excluded.model, version = excluded.version, published_version = excluded.published_version, status = excluded.status,
           data = excluded.data, created_by = excluded.created_by, updated_at = excluded.updated_at, updated_by = excluded.updated_by, search = excluded.search, seen = 1`,
      )
      .run(env, r.id, r.model, r.version, r.publishedVersion, r.status, JSON.stringify(r.values), r.createdBy, r.updatedAt, r.updatedBy, searchText(r.id, r.values, this.model(env, r.model)));
  }
  deleteBase(env: string, id: string): void {
    this.db.prepare('DELETE FROM bases WHERE env = ? AND id = ?').run(env, id);
  }

  // drafts
  draft(env: string, id: string): DraftRow | undefined {
    return this.db.prepare('SELECT * FROM drafts WHERE env = ? AND record_id = ?').get(env, id) as DraftRow | undefined;
  }
  putDraft(env: string, id: string, model: string, data: Values, opts: { createdLocal?: boolean; flag?: string | null } = {}): void {
    if (Object.keys(data).length === 0 && !opts.createdLocal) {
      this.db.prepare('DELETE FROM drafts WHERE env = ? AND record_id = ?').run(env, id);
      return;
    }
    const prior = this.draft(env, id);
    this.db
      .prepare(
        `INSERT INTO drafts (env, record_id, model, data, created_local, flag, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(env, record_id) DO UPDATE SET data = excluded.data, created_local = excluded.created_local, flag = excluded.flag, updated_at = excluded.updated_at`,
      )
      .run(env, id, model, JSON.stringify(data), (opts.createdLocal ?? prior?.created_local === 1) ? 1 : 0, opts.flag === undefined ? (prior?.flag ?? null) : opts.flag, now());
  }
  deleteDraft(env: string, id: string): void {
    this.db.prepare('DELETE FROM drafts WHERE env = ? AND record_id = ?').run(env, id);
  }

  // outbox
  ops(env?: string): OpRow[] {
    return (env
      ? this.db.prepare('SELECT * FROM outbox WHERE env = ? ORDER BY seq').all(env)
      : this.db.prepare('SELECT * FROM outbox ORDER BY seq').all()) as OpRow[];
  }
  opsFor(env: string, id: string): OpRow[] {
    return this.db.prepare('SELECT * FROM outbox WHERE env = ? AND record_id = ? ORDER BY seq').all(env, id) as OpRow[];
  }
  enqueue(env: string, kind: OpRow['kind'], recordId: string, model: string): OpRow {
    const cmid = `ink-${randomUUID()}`;
    this.db
      .prepare('INSERT INTO outbox (env, kind, record_id, model, client_mutation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(env, kind, recordId, model, cmid, now());
    return this.db.prepare('SELECT * FROM outbox WHERE client_mutation_id = ?').get(cmid) as OpRow;
  }
  /** The first pending op of an environment not among `skip` records. */
  nextPending(env: string, skip: ReadonlySet<string>): OpRow | undefined {
    const ids = [...skip];
    return this.db
      .prepare(`SELECT * FROM outbox WHERE env = ? AND state = 'pending' ${ids.length ? `AND record_id NOT IN (${ids.map(() => '?').join(',')})` : ''} ORDER BY seq LIMIT 1`)
      .get(env, ...ids) as OpRow | undefined;
  }
  /** An earlier op of the same record is blocked: this one must wait, to keep the record's order. */
  hasEarlierBlocked(op: Pick<OpRow, 'env' | 'record_id' | 'seq'>): boolean {
    return !!this.db.prepare("SELECT 1 FROM outbox WHERE env = ? AND record_id = ? AND seq < ? AND state = 'blocked'").get(op.env, op.record_id, op.seq);
  }
  /** An unsent create/update of the record already covers new edits (its payload is computed when first sent). */
  hasUnsentWrite(env: string, id: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM outbox WHERE env = ? AND record_id = ? AND kind IN ('create', 'update') AND attempts = 0 AND state = 'pending'").get(env, id);
  }
  freeze(seq: number, payload: unknown, baseVersion: number | null): void {
    this.db.prepare('UPDATE outbox SET payload = ?, base_version = ?, attempts = attempts + 1 WHERE seq = ?').run(JSON.stringify(payload), baseVersion, seq);
  }
  markAttempt(seq: number): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?').run(seq);
  }
  block(seq: number, reason: string, code: ProblemCode): void {
    this.db.prepare("UPDATE outbox SET state = 'blocked', reason = ?, code = ? WHERE seq = ?").run(reason, code, seq);
  }
  unblock(seq: number): void {
    this.db.prepare("UPDATE outbox SET state = 'pending', reason = NULL, code = NULL WHERE seq = ?").run(seq);
  }
  /** A refused op sent again after the user fixed its cause: a new id (the server answered the old one), payload computed afresh. */
  requeue(seq: number): void {
    this.db.prepare("UPDATE outbox SET state = 'pending', reason = NULL, code = NULL, payload = NULL, base_version = NULL, attempts = 0, client_mutation_id = ? WHERE seq = ?").run(`ink-${randomUUID()}`, seq);
  }
  removeOp(seq: number): void {
    this.db.prepare('DELETE FROM outbox WHERE seq = ?').run(seq);
  }

  // conflicts
  conflicts(env?: string): ConflictRow[] {
    return (env
      ? this.db.prepare('SELECT * FROM conflicts WHERE env = ? ORDER BY record_id, cell').all(env)
      : this.db.prepare('SELECT * FROM conflicts ORDER BY env, record_id, cell').all()) as ConflictRow[];
  }
  putConflict(env: string, recordId: string, model: string, c: Pick<CellConflict, 'key' | 'base' | 'local' | 'remote'>, remote: { version: number; updatedAt: string; updatedBy: string | null } | null): void {
    this.db
      .prepare(
        `INSERT INTO conflicts (env, record_id, cell, model, base, local, remote, remote_version, remote_at, remote_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(env, record_id, cell) DO UPDATE SET base = excluded.base, local = excluded.local, remote = excluded.remote, remote_version = excluded.remote_version,
           remote_at = excluded.remote_at, remote_by = excluded.remote_by`,
      )
      .run(env, recordId, c.key, model, JSON.stringify(c.base), JSON.stringify(c.local), JSON.stringify(c.remote), remote?.version ?? null, remote?.updatedAt ?? null, remote?.updatedBy ?? null, now());
  }
  deleteConflict(env: string, recordId: string, cell: string): void {
    this.db.prepare('DELETE FROM conflicts WHERE env = ? AND record_id = ? AND cell = ?').run(env, recordId, cell);
  }

  /** What the editor shows: the base with the draft laid over it. */
  localValues(env: string, id: string): { values: Values; base: BaseRow | undefined; draft: DraftRow | undefined } | null {
    const base = this.base(env, id);
    const draft = this.draft(env, id);
    if (!base && !draft) return null;
    const model = this.model(env, base?.model ?? draft!.model);
    const baseValues = base ? (JSON.parse(base.data) as Values) : {};
    if (!draft) return { values: baseValues, base, draft };
    const fields = indexFields(model?.fields ?? []);
    return { values: applyPatch(fields, baseValues, JSON.parse(draft.data) as Values), base, draft };
  }

  /** Drops draft cells that now equal the base (acknowledged, or the same on both sides). */
  pruneDraft(env: string, id: string): Values {
    const draft = this.draft(env, id);
    const base = this.base(env, id);
    if (!draft || !base) return draft ? (JSON.parse(draft.data) as Values) : {};
    const model = this.model(env, base.model);
    const fields = indexFields(model?.fields ?? []);
    const baseValues = JSON.parse(base.data) as Values;
    const local = applyPatch(fields, baseValues, JSON.parse(draft.data) as Values);
    const rest = changedCells(fields, baseValues, local).patch;
    this.putDraft(env, id, base.model, rest, { createdLocal: false });
    return rest;
  }
}
