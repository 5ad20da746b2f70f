import type { Db } from '../store/db';
import type { RecordRow } from './records';
import { perTurn } from '../store/generation';

/**
 * The recent tail of each environment's change feed, kept in memory and shared by every
 * reader. Syncing clients all ask for the same few latest changes: without it each of N
 * clients read each changed row from SQLite again (a 50-client load spent more in that
 * read than in anything else of `changes`).
 *
 * It answers exactly what `SELECT * FROM records WHERE … AND seq > ? ORDER BY seq LIMIT ?`
 * answers, or says it cannot. It holds, for a range of seqs (from, upTo], every record row
 * whose current seq lies in it; upTo is the environment's change counter, read once an
 * event-loop turn and at once after a write of this connection (perTurn), so a write by any
 * code path or connection (each write takes the next seq) is picked up by the next reader of
 * a later turn. A new cache generation (an environment created, deleted or promoted) or a
 * counter that went back starts it afresh; a row rewritten without a new seq, or deleted,
 * moves the generation too (migration 8's triggers), so nothing stale can be served.
 */
export interface TailRead {
  rows: RecordRow[];
}

/** Rows kept per environment (a few MB); a reader further behind is catching up, and reads SQLite. */
const KEEP = 5_000;
/** A gap larger than this (a bulk import) is not loaded: the tail starts after it. */
const MAX_CATCH_UP = 5_000;

class Tail {
  from: number;
  upTo: number;
  seqs: number[] = [];
  rows: (RecordRow | null)[] = [];
  live = 0;
  private readonly at = new Map<string, number>();

  constructor(seq: number) {
    this.from = seq;
    this.upTo = seq;
  }

  append(rows: readonly RecordRow[], upTo: number): void {
    for (const row of rows) {
      const old = this.at.get(row.id);
      if (old !== undefined) {
        this.rows[old] = null;
        this.live--;
      }
      this.at.set(row.id, this.seqs.length);
      this.seqs.push(row.seq);
      this.rows.push(Object.freeze(row));
      this.live++;
    }
    this.upTo = upTo;
    if (this.seqs.length > 2 * KEEP) this.compact();
  }

  /** Drops superseded slots and all but the last KEEP rows. */
  private compact(): void {
    const seqs: number[] = [];
    const rows: RecordRow[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      const row = this.rows[i];
      if (row) {
        seqs.push(this.seqs[i]!);
        rows.push(row);
      }
    }
    const cut = Math.max(0, rows.length - KEEP);
    if (cut > 0) this.from = seqs[cut - 1]!;
    this.seqs = seqs.slice(cut);
    this.rows = rows.slice(cut);
    this.live = this.rows.length;
    this.at.clear();
    this.rows.forEach((r, i) => this.at.set(r!.id, i));
  }

  read(since: number, limit: number): RecordRow[] {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= since) lo = mid + 1;
      else hi = mid;
    }
    const out: RecordRow[] = [];
    for (let i = lo; i < this.seqs.length && out.length < limit; i++) {
      const row = this.rows[i];
      if (row) out.push(row);
    }
    return out;
  }
}

/** Per database, the tails of one cache generation: a new generation drops them all (a deleted environment's too). */
const tails = new WeakMap<Db, { generation: number; byEnv: Map<string, Tail> }>();

/**
 * The rows of the change feed after `since` (at most `limit`), in seq order, as SQLite would
 * give them; null when the tail does not reach back to `since` or a transaction is open (what
 * it would read might yet be rolled back).
 */
export function readTail(db: Db, projectId: string, env: string, since: number, limit: number): RecordRow[] | null {
  if (db.inTransaction) return null;
  // The counter and the generation in one read, once a turn (perTurn): a statement costs more than its work here.
  const counter = perTurn(db, `tail\u0000${projectId}\u0000${env}`, () =>
    db
      .prepare('SELECT e.seq AS seq, g.value AS generation FROM environments e, cache_generation g WHERE e.project_id = ? AND e.id = ? AND g.id = 1')
      .get(projectId, env) as { seq: number; generation: number } | undefined,
  );
  if (!counter) return null;
  const generation = counter.generation;
  let perDb = tails.get(db);
  if (!perDb || perDb.generation !== generation) tails.set(db, (perDb = { generation, byEnv: new Map() }));
  const key = `${projectId}\u0000${env}`;
  let tail = perDb.byEnv.get(key);
  if (!tail || counter.seq < tail.upTo || counter.seq - tail.upTo > MAX_CATCH_UP) {
    tail = new Tail(counter.seq);
    perDb.byEnv.set(key, tail);
  } else if (counter.seq > tail.upTo) {
    const rows = db
      .prepare('SELECT * FROM records WHERE project_id = ? AND environment = ? AND seq > ? ORDER BY seq')
      .all(projectId, env, tail.upTo) as RecordRow[];
    // Seqs commit in order, so a row newer than the counter read just before is whole too.
    tail.append(rows, Math.max(counter.seq, rows.at(-1)?.seq ?? 0));
  }
  if (since < tail.from) return null;
  return tail.read(since, limit);
}
