import type { RecordNode } from '../../../shared/api/operations';
import { isErrorCode } from '../../../shared/errors';
import { toApiError, type ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { LocalStore } from '../store/store';
import { rebase } from './rebase';

/**
 * Rows applied per transaction: enough to amortise a commit, few enough that the parsed rows
 * die young. At 2,000 they lived long enough to be promoted, and the old space grew to ~85 MB
 * between collections during a 200k pull (RSS 254 MB after it); at 500 it stays near 25 MB,
 * and the pull is faster (less GC), measured at 200k.
 */
const BATCH = 500;
/** Cut connections survived in one snapshot (each resumes where the last left off). */
const RESUMES = 5;

export interface SnapshotResult {
  applied: number;
  conflicts: number;
}

/** One parsed line of the stream. */
type Line = { until: string } | { end: string } | { seq: string; record: RecordNode };

/**
 * The first pull (or a re-pull after a permission change) from the snapshot stream
 * (server/http/snapshot-route.ts): records arrive as NDJSON while the previous batch is
 * written, one transaction a batch. The stream's `until` becomes the cursor only when its end
 * line arrived, so `changes(since)` then continues with nothing missed. A cut connection
 * resumes from the last seq applied (kept in the store, so a later sync resumes too).
 * Null when the server has no snapshot route: the caller pages `changes` instead.
 */
export async function pullSnapshot(store: LocalStore, api: ApiClient, env: string, onBatch: (applied: number) => void): Promise<SnapshotResult | null> {
  const result: SnapshotResult = { applied: 0, conflicts: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      const done = await streamOnce(store, api, env, result, onBatch);
      return done ? result : null;
    } catch (e) {
      const err = toApiError(e, api.origin);
      if (err.code !== 'NETWORK' || attempt >= RESUMES) throw err;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/** One request of the stream, from the stored progress; false when the route does not exist. */
async function streamOnce(store: LocalStore, api: ApiClient, env: string, result: SnapshotResult, onBatch: (applied: number) => void): Promise<boolean> {
  const progress = store.snapshotProgress(env);
  const query: Record<string, string> = { environment: env };
  if (progress) Object.assign(query, { since: progress.after, until: progress.until });
  const res = await api.stream('/sync/snapshot', query);
  if (res.status !== 200) return refused(res.status, await text(res.body));
  let until: string | null = null;
  let after = progress?.after ?? '0';
  let batch: RecordNode[] = [];
  let lastSeq = after;
  const flush = () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    store.tx(() => {
      if (store.records.hasDrafts(env)) for (const r of rows) result.conflicts += rebase(store, env, r);
      else store.records.putBases(env, rows);
      after = lastSeq;
      store.setSnapshotProgress(env, { until: until!, after });
    });
    result.applied += rows.length;
    onBatch(result.applied);
  };
  let rest = '';
  for await (const chunk of res.body) {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const raw of lines) {
      if (!raw) continue;
      const line = JSON.parse(raw) as Line;
      if ('until' in line) {
        until = line.until;
      } else if ('end' in line) {
        if (line.end !== until) throw new ApiError('PROTOCOL', 'the snapshot ended on another cursor than it began with');
        flush();
        store.tx(() => {
          store.setCursor(env, until);
          store.setSnapshotProgress(env, null);
        });
        return true;
      } else {
        if (until === null) throw new ApiError('PROTOCOL', 'the snapshot sent records before its head line');
        batch.push(line.record);
        lastSeq = line.seq;
        if (batch.length >= BATCH) flush();
      }
    }
  }
  // Cut before its end line: keep what arrived whole, then resume from there.
  flush();
  throw new ApiError('NETWORK', 'the snapshot stream was cut');
}

async function text(body: AsyncIterable<Buffer>): Promise<string> {
  let s = '';
  for await (const c of body) s += c.toString('utf8');
  return s;
}

/** A refusal in the GraphQL error shape becomes that ApiError; a plain 404 means no snapshot route here. */
function refused(status: number, body: string): false {
  let first: { message?: string; extensions?: Record<string, unknown> } | undefined;
  try {
    first = (JSON.parse(body) as { errors?: (typeof first)[] }).errors?.[0];
  } catch {
    first = undefined;
  }
  const code = first?.extensions?.['code'];
  if (isErrorCode(code)) throw new ApiError(code, first?.message ?? code, first?.extensions ?? {});
  if (status === 404) return false;
  throw new ApiError('PROTOCOL', `unexpected answer to the snapshot (HTTP ${status})`);
}
