import type { RequestContext } from '../context';
import type { EnvironmentRow } from './project';
import { changeSeen, retiredKeys, servedValues, type RecordRow } from './records';
import { invalid } from '../errors';

/**
 * The snapshot: every live record this viewer may read, as of one sequence number `until`,
 * for a first pull (or a re-pull after a permission change). It is the change feed from
 * `since` to `until` with deletions left out (the puller holds nothing to delete), read by
 * the same rule (`changeSeen`), so it shows nothing GraphQL `changes` would not.
 *
 * Consistency without holding a read transaction open across the stream: a record written
 * while the stream runs gets a seq above `until`, so it leaves the range still to be read
 * and comes back through `changes(since: until)`, which the puller runs next. Resuming after
 * a cut connection is `since` = the last seq received, same `until`.
 */
export interface SnapshotRange {
  env: EnvironmentRow;
  since: number;
  until: number;
  publishedOnly: boolean;
}

const cursorParam = (name: string, raw: string | null): number | null => {
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(n)) return invalid(`${name} must be a cursor returned by the snapshot`, { [name]: 'invalid cursor' });
  return n;
};

/** Checks the request as GraphQL `changes` does (environment reached, cursors well-formed) and fixes `until`. */
export function snapshotRange(ctx: RequestContext, params: URLSearchParams): SnapshotRange {
  ctx.requireViewer();
  const env = ctx.environment(params.get('environment') ?? '');
  const head = (ctx.db.prepare('SELECT seq FROM environments WHERE project_id = ? AND id = ?').get(ctx.project().id, env.id) as { seq: number }).seq;
  const since = cursorParam('since', params.get('since')) ?? 0;
  const until = Math.min(cursorParam('until', params.get('until')) ?? head, head);
  return { env, since, until, publishedOnly: ctx.effective().publishedOnly };
}

/** Escapes a string for JSON (ids, timestamps: short, usually nothing to escape). */
const str = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));

/**
 * One NDJSON line per readable live record. The stored values are JSON text already: they are
 * spliced in as they are, not parsed and written again (the bulk of the bytes).
 */
function line(row: RecordRow, publishedOnly: boolean, retired: readonly string[] | undefined): string {
  const version = publishedOnly ? (row.published_version ?? row.version) : row.version;
  const stored = publishedOnly ? (row.published_data ?? '{}') : row.data;
  // Parsed and written again only for a model with deleted fields' leftovers (records.ts).
  const values = retired ? JSON.stringify(servedValues(stored, retired)) : stored;
  return (
    `{"seq":"${row.seq}","record":{"id":${str(row.id)},"model":${str(row.model_id)},"version":${version},"publishedVersion":${row.published_version ?? 'null'},` +
    `"status":${str(row.status)},"values":${values},"createdAt":${str(row.created_at)},"updatedAt":${str(row.updated_at)},"createdBy":${str(row.created_by)},"updatedBy":${str(row.updated_by)}}}\n`
  );
}

/**
 * The next batch of lines after `after` (by seq, from the records_seq index), and the seq to
 * go on from; null when the range is done. Rows the viewer may not read are skipped unseen.
 */
export function snapshotBatch(ctx: RequestContext, r: SnapshotRange, after: number, limit: number): { text: string; last: number; rows: number } | null {
  if (after >= r.until) return null;
  const rows = ctx.db
    .prepare('SELECT * FROM records WHERE project_id = ? AND environment = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
    .all(ctx.project().id, r.env.id, after, r.until, limit) as RecordRow[];
  if (rows.length === 0) return null;
  let text = '';
  let n = 0;
  const retired = retiredKeys(ctx, r.env.id);
  for (const row of rows) {
    if (row.deleted || changeSeen(ctx, r.env, row, r.publishedOnly) !== 'UPSERT') continue;
    text += line(row, r.publishedOnly, retired.get(row.model_id));
    n++;
  }
  return { text, last: rows.at(-1)!.seq, rows: n };
}
