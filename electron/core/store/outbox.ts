import { randomUUID } from 'node:crypto';
import type { ProblemCode } from '../../../shared/ipc/contract';
import { now, parseJson, type Op, type OpKind, type OpPayload, type Sql } from './types';

interface OpRow {
  seq: number;
  env: string;
  kind: OpKind;
  record_id: string;
  model: string;
  client_mutation_id: string;
  payload: string | null;
  base_version: number | null;
  state: Op['state'];
  reason: string | null;
  code: ProblemCode | null;
  attempts: number;
  created_at: string;
}

const hydrate = (r: OpRow): Op => ({
  seq: r.seq,
  env: r.env,
  kind: r.kind,
  recordId: r.record_id,
  model: r.model,
  clientMutationId: r.client_mutation_id,
  payload: parseJson<OpPayload>(r.payload),
  baseVersion: r.base_version,
  state: r.state,
  problem: r.state === 'refused' ? { code: r.code ?? 'VALIDATION', message: r.reason ?? '' } : null,
  attempts: r.attempts,
  createdAt: r.created_at,
});
const isWrite = (k: OpKind) => k === 'create' || k === 'update';
const owedKey = (env: string, id: string) => `${env}\u0000${id}`;

/** Of a record's ops in order, the open write (see Outbox.openWrite). */
export const openWriteOf = (ops: readonly Op[]): Op | null => {
  const last = ops.at(-1);
  return last && isWrite(last.kind) && last.state === 'queued' && last.payload === null ? last : null;
};

/**
 * The ordered operations to send, each with its clientMutationId and life-cycle state.
 *
 * An edit of a server record with no open write does not queue one in its own commit: its
 * draft row says it owes one (`oweWrite`, in the draft's own row). That write joins the outbox,
 * at its end, the first time anything reads the record's ops or adds one after it, and before
 * any op is chosen to send (`settle`), so every reader but the edit's own check and the reads
 * that must not write (`asQueuedFor`, `asQueued`) sees the outbox as if it had been queued then.
 * Such an edit commits the draft's page alone, as a re-edit does (it was four pages: issue 12,
 * the autosave tail).
 */
export class Outbox {
  /**
   * Keys of the drafts that may owe a write: every one that does, and perhaps some that no
   * longer do (a key goes only once its draft is seen without the mark outside a transaction,
   * since a rollback could bring the mark back). Read from the drafts once, at open; kept here
   * rather than in an index so that an edit writes no second page.
   */
  private readonly owed = new Set<string>();

  constructor(private readonly db: Sql) {
    for (const r of db.prepare('SELECT env, record_id FROM drafts WHERE write_owed = 1').all() as { env: string; record_id: string }[]) this.owed.add(owedKey(r.env, r.record_id));
  }

  /** The record's draft owes a write: queued when the outbox is next read for it (see the class). */
  oweWrite(env: string, id: string): void {
    this.owed.add(owedKey(env, id));
    this.db.prepare('UPDATE drafts SET write_owed = 1 WHERE env = ? AND record_id = ? AND write_owed = 0').run(env, id);
  }

  /** Queues the owed writes of one record, of one environment, or of all, in the order of their drafts' last edits. */
  private settle(scope: { env: string; id?: string } | 'all'): void {
    if (this.owed.size === 0) return;
    const inScope = (k: string) => scope === 'all' || (scope.id === undefined ? k.startsWith(owedKey(scope.env, '')) : k === owedKey(scope.env, scope.id));
    const keys = [...this.owed].filter(inScope);
    if (keys.length === 0) return;
    const due: { env: string; record_id: string; model: string; updated_at: string }[] = [];
    const gone: string[] = [];
    for (const k of keys) {
      const [env, id] = k.split('\u0000') as [string, string];
      const d = this.db.prepare('SELECT env, record_id, model, updated_at FROM drafts WHERE env = ? AND record_id = ? AND write_owed = 1').get(env, id) as (typeof due)[number] | undefined;
      if (d) due.push(d);
      else gone.push(k);
    }
    due.sort((x, y) => (x.updated_at < y.updated_at ? -1 : x.updated_at > y.updated_at ? 1 : x.record_id < y.record_id ? -1 : 1));
    if (due.length > 0) {
      this.db.transaction(() => {
        for (const d of due) {
          this.db.prepare('UPDATE drafts SET write_owed = 0 WHERE env = ? AND record_id = ?').run(d.env, d.record_id);
          this.insert(d.env, 'update', d.record_id, d.model);
        }
      })();
      gone.push(...due.map((d) => owedKey(d.env, d.record_id)));
    }
    // Inside an outer transaction the marks may yet come back: the keys stay until seen gone outside one.
    if (!this.db.inTransaction) for (const k of gone) this.owed.delete(k);
  }

  /** Every op as queued so far, writes owed not among them (a read that writes nothing: the export of last resort). */
  asQueued(): Op[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY seq').all() as OpRow[]).map(hydrate);
  }
  all(env?: string): Op[] {
    this.settle(env === undefined ? 'all' : { env });
    return env === undefined ? this.asQueued() : (this.db.prepare('SELECT * FROM outbox WHERE env = ? ORDER BY seq').all(env) as OpRow[]).map(hydrate);
  }
  envs(): string[] {
    this.settle('all');
    return (this.db.prepare('SELECT DISTINCT env FROM outbox').all() as { env: string }[]).map((r) => r.env);
  }
  get(env: string, seq: number): Op | null {
    const r = this.db.prepare('SELECT * FROM outbox WHERE env = ? AND seq = ?').get(env, seq) as OpRow | undefined;
    return r ? hydrate(r) : null;
  }
  forRecord(env: string, id: string): Op[] {
    this.settle({ env, id });
    return this.asQueuedFor(env, id);
  }
  /** The record's ops as queued so far: without a write its draft owes (for reads that must not write, as an edit's own checks). */
  asQueuedFor(env: string, id: string): Op[] {
    return (this.db.prepare('SELECT * FROM outbox WHERE env = ? AND record_id = ? ORDER BY seq').all(env, id) as OpRow[]).map(hydrate);
  }
  refused(env: string): Op[] {
    return (this.db.prepare("SELECT * FROM outbox WHERE env = ? AND state = 'refused' ORDER BY seq").all(env) as OpRow[]).map(hydrate);
  }

  enqueue(env: string, kind: OpKind, recordId: string, model: string): Op {
    // After the record's owed write, as if that had been queued when it was made.
    this.settle({ env, id: recordId });
    return this.insert(env, kind, recordId, model);
  }

  private insert(env: string, kind: OpKind, recordId: string, model: string): Op {
    const cmid = `ink-${randomUUID()}`;
    // The seq: past every op there is and every op removed (migration 7's outbox_seq), never reused.
    const row = this.db
      .prepare(
        `INSERT INTO outbox (seq, env, kind, record_id, model, client_mutation_id, state, created_at)
         VALUES ((SELECT max(coalesce((SELECT max(seq) FROM outbox), 0), hwm) + 1 FROM outbox_seq), ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(env, kind, recordId, model, cmid, 'queued', now());
    return hydrate(row as OpRow);
  }

  /**
   * The write a new edit of the record folds into: the record's last op, when it is a queued
   * create/update whose payload is not fixed yet. Anything after it (a publish, a sent op)
   * closes it, so later edits never fold into an op that precedes a publish.
   */
  openWrite(env: string, id: string): Op | null {
    this.settle({ env, id });
    return openWriteOf(this.asQueuedFor(env, id));
  }

  /** Fixes what a queued write sends (publish/unpublish/delete act on the values seen when asked). */
  fix(seq: number, payload: OpPayload): void {
    this.db.prepare("UPDATE outbox SET payload = ? WHERE seq = ? AND state = 'queued'").run(JSON.stringify(payload), seq);
  }

  /** The first op of an environment to send: queued, or sent with no answer yet (resent with its id); not among `skip` records. */
  next(env: string, skip: ReadonlySet<string>): Op | null {
    this.settle({ env });
    const ids = [...skip];
    const r = this.db
      .prepare(`SELECT * FROM outbox WHERE env = ? AND state IN ('queued', 'sent') ${ids.length ? `AND record_id NOT IN (${ids.map(() => '?').join(',')})` : ''} ORDER BY seq LIMIT 1`)
      .get(env, ...ids) as OpRow | undefined;
    return r ? hydrate(r) : null;
  }

  /** A refused create/update of the record precedes this op: it must wait (it acts on those values). */
  waitsForRefusedWrite(op: Pick<Op, 'env' | 'recordId' | 'seq'>): boolean {
    return !!this.db.prepare("SELECT 1 FROM outbox WHERE env = ? AND record_id = ? AND seq < ? AND state = 'refused' AND kind IN ('create', 'update')").get(op.env, op.recordId, op.seq);
  }

  /** Sent but not acknowledged writes of a record: what the server may already hold (a lost answer). */
  sentWrites(env: string, id: string): Op[] {
    return (this.db.prepare("SELECT * FROM outbox WHERE env = ? AND record_id = ? AND state = 'sent' AND kind IN ('create', 'update') ORDER BY seq").all(env, id) as OpRow[]).map(hydrate);
  }

  /** The version of the record a queued op acts on (a delete refuses to remove a version the user never saw). */
  setBaseVersion(seq: number, version: number): void {
    this.db.prepare("UPDATE outbox SET base_version = ? WHERE seq = ? AND state = 'queued'").run(version, seq);
  }

  markSent(seq: number, payload: OpPayload, baseVersion: number | null): void {
    this.db.prepare("UPDATE outbox SET state = 'sent', payload = ?, base_version = ?, attempts = attempts + 1 WHERE seq = ?").run(JSON.stringify(payload), baseVersion, seq);
  }
  markAttempt(seq: number): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?').run(seq);
  }
  refuse(seq: number, code: ProblemCode, message: string): void {
    this.db.prepare("UPDATE outbox SET state = 'refused', code = ?, reason = ? WHERE seq = ?").run(code, message, seq);
  }
  /** A refusal the core decided itself (role, environment) lifted when the role allows it again. */
  /** Back in line; an op that was sent before goes back as sent (same id, same payload: the server may hold it). */
  unrefuse(seq: number): void {
    this.db
      .prepare("UPDATE outbox SET state = CASE WHEN attempts > 0 AND payload IS NOT NULL THEN 'sent' ELSE 'queued' END, code = NULL, reason = NULL WHERE seq = ? AND state = 'refused'")
      .run(seq);
  }

  /**
   * A refused op sent again after the user fixed its cause: at the end of the outbox (it acts
   * on what the user sees now), with a new id (the server answered the old one) and its
   * payload computed afresh.
   */
  requeue(op: Op): Op {
    this.remove(op.seq);
    return this.enqueue(op.env, op.kind, op.recordId, op.model);
  }

  /** Back to queued in its place, with a new id (the server answered the old one) and the payload given (null: the draft when sent). */
  reset(seq: number, payload: OpPayload | null): void {
    this.db
      .prepare("UPDATE outbox SET state = 'queued', payload = ?, base_version = NULL, attempts = 0, code = NULL, reason = NULL, client_mutation_id = ? WHERE seq = ?")
      .run(payload ? JSON.stringify(payload) : null, `ink-${randomUUID()}`, seq);
  }

  remove(seq: number): void {
    this.db.prepare('DELETE FROM outbox WHERE seq = ?').run(seq);
  }
  removeForRecord(env: string, id: string, kinds?: readonly OpKind[]): void {
    if (!kinds || kinds.includes('update')) this.forgetOwedWrite(env, id);
    if (!kinds) this.db.prepare('DELETE FROM outbox WHERE env = ? AND record_id = ?').run(env, id);
    else for (const k of kinds) this.db.prepare('DELETE FROM outbox WHERE env = ? AND record_id = ? AND kind = ?').run(env, id, k);
  }
  /** A queued write with nothing fixed to send, for a record whose draft just became empty: nothing to do. */
  dropEmptyWrites(env: string, id: string): void {
    this.forgetOwedWrite(env, id);
    this.db.prepare("DELETE FROM outbox WHERE env = ? AND record_id = ? AND kind = 'update' AND state = 'queued' AND payload IS NULL").run(env, id);
  }

  /** What removing the record's queued write would have removed, had it been queued. */
  private forgetOwedWrite(env: string, id: string): void {
    if (this.owed.has(owedKey(env, id))) this.db.prepare('UPDATE drafts SET write_owed = 0 WHERE env = ? AND record_id = ? AND write_owed = 1').run(env, id);
  }
}
