import type { Json, Model, RecordStatus, Values } from '../../../shared/domain';
import type { RecordNode } from '../../../shared/api/operations';
import { applyPatch, changedCells, indexFields, ownValues } from '../../../shared/values';
import { now, type Base, type Draft, type Sql } from './types';
import { SEARCH_MATCH } from './search';

interface BaseRow {
  env: string;
  id: string;
  model: string;
  version: number;
  published_version: number | null;
  status: RecordStatus;
  data: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}
interface DraftRow {
  env: string;
  record_id: string;
  model: string;
  data: string;
  created_local: number;
  flag: string | null;
  updated_at: string;
}
const base = (r: BaseRow): Base => ({
  env: r.env,
  id: r.id,
  model: r.model,
  version: r.version,
  publishedVersion: r.published_version,
  status: r.status,
  values: JSON.parse(r.data) as Values,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});
const draft = (r: DraftRow): Draft => ({ env: r.env, recordId: r.record_id, model: r.model, values: JSON.parse(r.data) as Values, createdLocal: r.created_local === 1, flag: r.flag, updatedAt: r.updated_at });

/** What a record is found by in the list: its id and its short text fields (titles, names, slugs), lowercased. */
export function searchText(id: string, values: Values, model: Model | undefined): string {
  const out: string[] = [id];
  const walk = (v: Json) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x as Json));
  };
  const short = model ? model.fields.filter((f) => f.type === 'string' || f.type === 'slug').map((f) => f.apiKey) : Object.keys(values);
  for (const key of short) if (values[key] !== undefined) walk(values[key]);
  return out.join(' ').toLowerCase().slice(0, 1000);
}

export interface ListFilter {
  search?: string;
  status?: string;
}
/** A row of the record list: the base, whether it has local cells, and its conflicts. */
export interface ListRow {
  base: Base;
  edited: boolean;
  flag: string | null;
  conflicts: number;
}

/** Bases (server copies) and drafts (local cells), and the list queries over them. */
export class Records {
  constructor(
    private readonly db: Sql,
    private readonly modelOf: (env: string, id: string) => Model | undefined,
  ) {}

  base(env: string, id: string): Base | null {
    const r = this.db.prepare('SELECT * FROM bases WHERE env = ? AND id = ?').get(env, id) as BaseRow | undefined;
    return r ? base(r) : null;
  }
  putBase(env: string, r: RecordNode): void {
    const args = [r.version, r.publishedVersion, r.status, JSON.stringify(r.values), r.createdBy, r.updatedAt, r.updatedBy, searchText(r.id, r.values, this.modelOf(env, r.model))];
    // `model` is left out of the usual update: an UPDATE that sets an indexed column rewrites its
    // bases_model entry even to the same value (a page per row at 200k records). A record whose
    // model did change is updated by the second statement.
    const put = this.db
      .prepare(
        `INSERT INTO bases (env, id, model, version, published_version, status, data, created_by, updated_at, updated_by, search, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT(env, id) DO UPDATE SET version = excluded.version, published_version = excluded.published_version, status = excluded.status,
           data = excluded.data, created_by = excluded.created_by, updated_at = excluded.updated_at, updated_by = excluded.updated_by, search = excluded.search, seen = 1
         WHERE bases.model = excluded.model`,
      )
      .run(env, r.id, r.model, ...args);
    if (put.changes !== 0) return;
    this.db
      .prepare('UPDATE bases SET model = ?, version = ?, published_version = ?, status = ?, data = ?, created_by = ?, updated_at = ?, updated_by = ?, search = ?, seen = 1 WHERE env = ? AND id = ?')
      .run(r.model, ...args, env, r.id);
  }
  /** Many server copies at once, for a snapshot into an environment without drafts (nothing to merge). */
  putBases(env: string, rows: readonly RecordNode[]): void {
    for (const r of rows) this.putBase(env, r);
  }
  isEmpty(env: string): boolean {
    return this.db.prepare('SELECT 1 FROM bases WHERE env = ? LIMIT 1').get(env) === undefined;
  }
  hasDrafts(env: string): boolean {
    return this.db.prepare('SELECT 1 FROM drafts WHERE env = ? LIMIT 1').get(env) !== undefined;
  }
  deleteBase(env: string, id: string): void {
    this.db.prepare('DELETE FROM bases WHERE env = ? AND id = ?').run(env, id);
  }
  /** Before a full pull: every base unseen until the pull brings it again. */
  markUnseen(env: string): void {
    this.db.prepare('UPDATE bases SET seen = 0 WHERE env = ?').run(env);
  }
  unseen(env: string): string[] {
    return (this.db.prepare('SELECT id FROM bases WHERE env = ? AND seen = 0').all(env) as { id: string }[]).map((r) => r.id);
  }

  draft(env: string, id: string): Draft | null {
    const r = this.db.prepare('SELECT * FROM drafts WHERE env = ? AND record_id = ?').get(env, id) as DraftRow | undefined;
    return r ? draft(r) : null;
  }
  drafts(): Draft[] {
    return (this.db.prepare('SELECT * FROM drafts ORDER BY env, record_id').all() as DraftRow[]).map(draft);
  }
  /** An empty draft of a record on the server is no draft. */
  putDraft(env: string, id: string, model: string, values: Values, opts: { createdLocal?: boolean; flag?: string | null; prior?: Draft | null } = {}): void {
    if (Object.keys(values).length === 0 && !opts.createdLocal) {
      this.deleteDraft(env, id);
      return;
    }
    // `prior`: the draft as the caller read it in the same synchronous call, so not read twice.
    const prior = opts.prior === undefined ? this.draft(env, id) : opts.prior;
    this.db
      .prepare(
        `INSERT INTO drafts (env, record_id, model, data, created_local, flag, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(env, record_id) DO UPDATE SET data = excluded.data, created_local = excluded.created_local, flag = excluded.flag, updated_at = excluded.updated_at`,
      )
      .run(env, id, model, JSON.stringify(values), (opts.createdLocal ?? prior?.createdLocal) ? 1 : 0, opts.flag === undefined ? (prior?.flag ?? null) : opts.flag, now());
  }
  deleteDraft(env: string, id: string): void {
    this.db.prepare('DELETE FROM drafts WHERE env = ? AND record_id = ?').run(env, id);
  }

  /**
   * What an edit needs of a record: its model, its draft and who created it. Not the base's
   * values: an autosave neither shows nor merges them, and reading and parsing them was a sixth
   * of an edit's time besides its commit (50k bench).
   */
  forEdit(env: string, id: string): { model: Model | undefined; draft: Draft | null; createdBy: string | null } | null {
    const b = this.db.prepare('SELECT model, created_by FROM bases WHERE env = ? AND id = ?').get(env, id) as Pick<BaseRow, 'model' | 'created_by'> | undefined;
    const d = this.draft(env, id);
    if (!b && !d) return null;
    return { model: this.modelOf(env, b?.model ?? d!.model), draft: d, createdBy: b?.created_by ?? null };
  }

  /** What the editor shows: the base with the draft laid over it. */
  local(env: string, id: string): { values: Values; base: Base | null; draft: Draft | null; model: Model | undefined } | null {
    const b = this.base(env, id);
    const d = this.draft(env, id);
    if (!b && !d) return null;
    const model = this.modelOf(env, b?.model ?? d!.model);
    const fields = indexFields(model?.fields ?? []);
    const merged = d ? applyPatch(fields, b?.values ?? {}, d.values) : (b?.values ?? {});
    // A copy pulled before one of its fields was deleted still holds that field's value: not the
    // record's any more (the server no longer serves or publishes it), so not shown or checked.
    const values = model ? ownValues(fields, merged) : merged;
    return { values, base: b, draft: d, model };
  }

  /** Drops draft cells that now equal the base (acknowledged, or the same on both sides); what is left. */
  pruneDraft(env: string, id: string): Values {
    const d = this.draft(env, id);
    const b = this.base(env, id);
    if (!d || !b) return d?.values ?? {};
    const fields = indexFields(this.modelOf(env, b.model)?.fields ?? []);
    const rest = changedCells(fields, b.values, applyPatch(fields, b.values, d.values)).patch;
    this.putDraft(env, id, b.model, rest, { createdLocal: false });
    return rest;
  }

  private filter(env: string, model: string, f: ListFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [env, model];
    let where = 'b.env = ? AND b.model = ?';
    const q = f.search?.trim().toLowerCase();
    if (q && q.length >= 3) {
      // Both levels of the index (search.ts): the phrase is bound twice.
      const phrase = `"${q.replace(/"/g, '""')}"`;
      where += ` AND ${SEARCH_MATCH}`;
      params.push(phrase, phrase);
    } else if (q) {
      where += " AND b.search LIKE ? ESCAPE '\\'";
      params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (f.status) {
      where += ' AND b.status = ?';
      params.push(f.status);
    }
    return { where, params };
  }

  count(env: string, model: string, f: ListFilter): number {
    if (!f.search?.trim() && !f.status) {
      return (this.db.prepare('SELECT n FROM base_counts WHERE env = ? AND model = ?').get(env, model) as { n: number } | undefined)?.n ?? 0;
    }
    const { where, params } = this.filter(env, model, f);
    return (this.db.prepare(`SELECT count(*) AS n FROM bases b WHERE ${where}`).get(...params) as { n: number }).n;
  }

  /** A page of the list. Two steps: the page's ids from an index (cheap to skip through), then those rows. */
  list(env: string, model: string, f: ListFilter, limit: number, offset: number): ListRow[] {
    const { where, params } = this.filter(env, model, f);
    const ids = (this.db.prepare(`SELECT b.id FROM bases b WHERE ${where} ORDER BY b.id LIMIT ? OFFSET ?`).all(...params, limit, offset) as { id: string }[]).map((r) => r.id);
    if (!ids.length) return [];
    const rows = this.db
      .prepare(
        `SELECT b.*, d.record_id AS draft_id, d.flag AS draft_flag, (SELECT count(*) FROM conflicts c WHERE c.env = b.env AND c.record_id = b.id) AS conflict_count
         FROM bases b LEFT JOIN drafts d ON d.env = b.env AND d.record_id = b.id WHERE b.env = ? AND b.id IN (${ids.map(() => '?').join(',')}) ORDER BY b.id`,
      )
      .all(env, ...ids) as (BaseRow & { draft_id: string | null; draft_flag: string | null; conflict_count: number })[];
    return rows.map((r) => ({ base: base(r), edited: r.draft_id !== null, flag: r.draft_flag, conflicts: r.conflict_count }));
  }

  /** Records made on this computer and not yet on the server, of one model. */
  createdLocal(env: string, model: string): Draft[] {
    return (this.db.prepare('SELECT * FROM drafts WHERE env = ? AND created_local = 1 AND model = ? ORDER BY updated_at').all(env, model) as DraftRow[]).map(draft);
  }
  countCreatedLocal(env: string, model: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM drafts WHERE env = ? AND created_local = 1 AND model = ?').get(env, model) as { n: number }).n;
  }
  /** Up to `n` record ids of a model (for the bench and the CLI's samples). */
  ids(env: string, model: string, n: number): string[] {
    return (this.db.prepare('SELECT id FROM bases WHERE env = ? AND model = ? ORDER BY id LIMIT ?').all(env, model, n) as { id: string }[]).map((r) => r.id);
  }
}
