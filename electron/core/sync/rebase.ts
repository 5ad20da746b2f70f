import type { Values } from '../../../shared/domain';
import type { RecordNode } from '../../../shared/api/operations';
import { applyPatch, cellsIn, changedCells, indexFields, jsonEqual, mergeValues, readCell, writeCell, type FieldIndex } from '../../../shared/values';
import type { LocalStore } from '../store/store';

/**
 * What this client believes the server holds: the base, plus the cells of writes it sent
 * whose answer never came (DESIGN §5). A sent cell counts as held where the server copy shows
 * it; where the server shows something else, the write did not land (or was overwritten)
 * and the old base stays the merge's base.
 */
function believedBase(store: LocalStore, fields: FieldIndex, env: string, id: string, base: Values, remote: Values): Values {
  const out = applyPatch(fields, base, {});
  for (const op of store.outbox.sentWrites(env, id)) {
    const sent = op.payload?.values ?? {};
    for (const cell of cellsIn(fields, sent)) {
      const f = fields.get(cell.field)!;
      const v = readCell(sent, f, cell.locale);
      if (jsonEqual(readCell(remote, f, cell.locale), v)) writeCell(out, f, cell.locale, v);
    }
  }
  return out;
}

/**
 * A newer server copy arrived (pull, or STALE_VERSION on push) for a record with local
 * cells. Three-way merge per cell against what the client believes the server held: what
 * only one side changed merges by itself; what both changed differently becomes a stored
 * conflict with both values, and leaves the draft (so nothing is sent for it until the user
 * decides). The new server copy becomes the base. Returns the number of new conflicts.
 */
export function rebase(store: LocalStore, env: string, remote: RecordNode): number {
  const draft = store.records.draft(env, remote.id);
  const base = store.records.base(env, remote.id);
  store.records.putBase(env, remote);
  if (!draft) return 0;
  const fields = indexFields(store.model(env, remote.model)?.fields ?? []);
  const believed = believedBase(store, fields, env, remote.id, base?.values ?? {}, remote.values);
  const local = applyPatch(fields, base?.values ?? {}, draft.values);
  const { merged, conflicts } = mergeValues(fields, believed, local, remote.values);
  for (const c of conflicts) store.conflicts.put(env, remote.id, remote.model, c, remote);
  // What is left to send: merged cells that differ from the server copy (local-only edits).
  const rest = changedCells(fields, remote.values, merged).patch;
  store.records.putDraft(env, remote.id, remote.model, rest, { createdLocal: false });
  if (Object.keys(rest).length === 0) store.outbox.dropEmptyWrites(env, remote.id);
  return conflicts.length;
}

/** The server deleted a record this client has local cells for: keep them, flagged, as a conflict. */
export function remoteDeleted(store: LocalStore, env: string, recordId: string, flag: 'deleted_remotely' | 'unreadable' = 'deleted_remotely'): boolean {
  const draft = store.records.draft(env, recordId);
  const base = store.records.base(env, recordId);
  store.records.deleteBase(env, recordId);
  if (!draft || draft.createdLocal) return false;
  store.records.putDraft(env, recordId, draft.model, draft.values, { flag });
  store.conflicts.put(env, recordId, draft.model, { key: '*', base: base?.values ?? null, local: draft.values, remote: null }, null);
  return true;
}
