import type { Json } from '../../../shared/domain';
import type { CellConflict } from '../../../shared/values';
import { now, parseJson, type Conflict, type Sql } from './types';

interface ConflictRow {
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
  field_label: string | null;
}
const hydrate = (r: ConflictRow): Conflict => ({
  env: r.env,
  recordId: r.record_id,
  cell: r.cell,
  model: r.model,
  base: parseJson<Json>(r.base),
  mine: parseJson<Json>(r.local),
  theirs: parseJson<Json>(r.remote),
  theirsVersion: r.remote_version,
  theirsAt: r.remote_at,
  theirsBy: r.remote_by,
  fieldLabel: r.field_label,
});

/** Cells both sides changed, kept with all three values until the user decides. */
export class Conflicts {
  constructor(private readonly db: Sql) {}

  all(env?: string): Conflict[] {
    const rows = env ? this.db.prepare('SELECT * FROM conflicts WHERE env = ? ORDER BY record_id, cell').all(env) : this.db.prepare('SELECT * FROM conflicts ORDER BY env, record_id, cell').all();
    return (rows as ConflictRow[]).map(hydrate);
  }
  forRecord(env: string, id: string): Conflict[] {
    return (this.db.prepare('SELECT * FROM conflicts WHERE env = ? AND record_id = ? ORDER BY cell').all(env, id) as ConflictRow[]).map(hydrate);
  }
  get(env: string, id: string, cell: string): Conflict | null {
    const r = this.db.prepare('SELECT * FROM conflicts WHERE env = ? AND record_id = ? AND cell = ?').get(env, id, cell) as ConflictRow | undefined;
    return r ? hydrate(r) : null;
  }
  /** `fieldLabel`: for cells of a field deleted on the server, its label (the model no longer has it). */
  put(
    env: string,
    recordId: string,
    model: string,
    c: Pick<CellConflict, 'key' | 'base' | 'local' | 'remote'>,
    theirs: { version: number; updatedAt: string; updatedBy: string | null } | null,
    fieldLabel: string | null = null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO conflicts (env, record_id, cell, model, base, local, remote, remote_version, remote_at, remote_by, created_at, field_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(env, record_id, cell) DO UPDATE SET base = excluded.base, local = excluded.local, remote = excluded.remote, remote_version = excluded.remote_version,
           remote_at = excluded.remote_at, remote_by = excluded.remote_by, field_label = excluded.field_label`,
      )
      .run(env, recordId, c.key, model, JSON.stringify(c.base), JSON.stringify(c.local), JSON.stringify(c.remote), theirs?.version ?? null, theirs?.updatedAt ?? null, theirs?.updatedBy ?? null, now(), fieldLabel);
  }
  /** The user's side of an open conflict, typed on while it was open: "keep mine" then keeps this. */
  setMine(env: string, recordId: string, cell: string, value: Json): void {
    this.db.prepare('UPDATE conflicts SET local = ? WHERE env = ? AND record_id = ? AND cell = ?').run(JSON.stringify(value), env, recordId, cell);
  }
  delete(env: string, recordId: string, cell: string): void {
    this.db.prepare('DELETE FROM conflicts WHERE env = ? AND record_id = ? AND cell = ?').run(env, recordId, cell);
  }
}
