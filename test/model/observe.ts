import type { Json, Values } from '../../shared/domain';
import type { CoreHandle } from './core-handle';
import { Refused } from './core-handle';

/**
 * What the user can see in the app, read through the bridge: the only evidence the model
 * accepts that an edit is pending, in conflict or a problem. The bridge's shapes change with
 * the contract; everything else in the model reads this.
 */
export interface SeenRecord {
  values: Values;
  /** Cells not yet acknowledged by the server (what is still to be sent, or held by a problem). */
  draft: Values;
  local: string;
  problems: string[];
}
export interface SeenConflict {
  recordId: string;
  cell: string;
  mine: Json;
  theirs: Json;
}
export interface Seen {
  records: Map<string, SeenRecord | null>;
  conflicts: SeenConflict[];
  /** What still has to reach the server (queued ops, drafts not in an op, uploads not done). */
  pending: number;
  problems: { recordId: string; kind: string; message: string }[];
  uploads: { id: string; state: string; reason: string | null }[];
}

export async function seeRecord(core: CoreHandle, id: string): Promise<SeenRecord | null> {
  const r = await core.envelope('content.record', { env: 'main', id });
  if (!r.ok) {
    if (r.error.code === 'INPUT') return null;
    throw new Refused('content.record', r.error);
  }
  const problems = r.value.problems.map((p) => `${p.kind} ${p.code}: ${p.message}`);
  return { values: r.value.values, draft: r.value.draft, local: r.value.local, problems };
}

export async function see(core: CoreHandle, ids: readonly string[]): Promise<Seen> {
  const status = await core.call('session.status', {});
  const main = status.environments['main'];
  const records = new Map<string, SeenRecord | null>();
  for (const id of ids) records.set(id, await seeRecord(core, id));
  const conflicts = (await core.call('sync.conflicts', { env: 'main' })).map((c) => ({ recordId: c.recordId, cell: c.cell, mine: c.mine, theirs: c.theirs }));
  return {
    records,
    conflicts,
    pending: main?.pending ?? 0,
    problems: (main?.problems ?? []).map((b) => ({ recordId: b.recordId, kind: b.kind, message: `${b.code}: ${b.message}` })),
    uploads: (await core.call('uploads.list', {})).map((u) => ({ id: u.id, state: u.state, reason: u.reason })),
  };
}

/** Upload states that mean "the user is shown it did not go" rather than "still to send". */
export const UPLOAD_PROBLEM_STATES = new Set(['failed']);
