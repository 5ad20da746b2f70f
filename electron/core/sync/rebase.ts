import type { Values } from '../../../shared/domain';
import type { RecordNode } from '../../../shared/api/operations';
import { applyPatch, changedCells, indexFields, mergeValues } from '../../../shared/values';
import type { Cache } from '../cache/cache';

/**
 * A newer server copy arrived (pull, or STALE_VERSION on push) for a record with local
 * cells. Three-way merge per cell: what only one side changed merges by itself; what both
 * changed differently becomes a stored conflict with both values, and leaves the draft
 * (so nothing is sent for it until the user decides). The new server copy becomes the base.
 * Returns the number of new conflicts.
 */
export function rebase(cache: Cache, env: string, remote: RecordNode): number {
  const draft = cache.draft(env, remote.id);
  const base = cache.base(env, remote.id);
  cache.putBase(env, remote);
  if (!draft) return 0;
  const model = cache.model(env, remote.model);
  const fields = indexFields(model?.fields ?? []);
  const baseValues = base ? (JSON.parse(base.data) as Values) : {};
  const local = applyPatch(fields, baseValues, JSON.parse(draft.data) as Values);
  const { merged, conflicts } = mergeValues(fields, baseValues, local, remote.values);
  for (const c of conflicts) cache.putConflict(env, remote.id, remote.model, c, remote);
  // What is left to send: merged cells that differ from the server copy (local-only edits).
  const rest = changedCells(fields, remote.values, merged).patch;
  cache.putDraft(env, remote.id, remote.model, rest, { createdLocal: false });
  return conflicts.length;
}

/** The server deleted a record this client has local cells for: keep them, flagged, as a conflict. */
export function remoteDeleted(cache: Cache, env: string, recordId: string): boolean {
  const draft = cache.draft(env, recordId);
  const base = cache.base(env, recordId);
  cache.deleteBase(env, recordId);
  if (!draft || draft.created_local) return false;
  cache.putDraft(env, recordId, draft.model, JSON.parse(draft.data) as Values, { flag: 'deleted_remotely' });
  cache.putConflict(env, recordId, draft.model, { key: '*', base: base ? (JSON.parse(base.data) as Values) : null, local: JSON.parse(draft.data) as Values, remote: null }, null);
  return true;
}
