import { CREATE_RECORD, DELETE_RECORD, PUBLISH_RECORD, UNPUBLISH_RECORD, UPDATE_RECORD, type RecordNode } from '../../../shared/api/operations';
import type { Values } from '../../../shared/domain';
import { cellKey } from '../../../shared/permissions';
import { applyPatch, changedCells, indexFields, ownValues, readCell, writeCell } from '../../../shared/values';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { LocalStore } from '../store/store';
import type { Op } from '../store/types';
import { payloadOf } from './judge';
import { rebase, remoteDeleted } from './rebase';

export type SendResult = 'ok' | 'conflict' | 'refused' | 'dropped';

/**
 * Sends one op and records its answer. The payload is fixed when the op is first sent
 * (state sent): a resend after a lost answer carries the same id and the same values, so the
 * server answers the first result and changes nothing.
 */
export async function sendOp(store: LocalStore, api: ApiClient, op: Op, guard: <T>(p: Promise<T>) => Promise<T>): Promise<SendResult> {
  let payload = op.payload;
  let baseVersion = op.baseVersion;
  if (op.state === 'queued') {
    const base = store.records.base(op.env, op.recordId);
    payload = payloadOf(store, op);
    const empty = (op.kind === 'update' && Object.keys(payload.values ?? {}).length === 0) || (op.kind !== 'create' && !base);
    if (empty) {
      store.outbox.remove(op.seq);
      return 'dropped';
    }
    const write = op.kind === 'update' || op.kind === 'create';
    baseVersion = write ? (base?.version ?? null) : (op.baseVersion ?? base?.version ?? null);
    store.outbox.markSent(op.seq, payload, baseVersion);
  } else {
    store.outbox.markAttempt(op.seq);
  }
  const vars = { environment: op.env, id: op.recordId, clientMutationId: op.clientMutationId };
  try {
    let record: RecordNode | null = null;
    switch (op.kind) {
      case 'create':
        record = (await guard(api.request<{ createRecord: RecordNode }>(CREATE_RECORD, { ...vars, model: op.model, values: payload?.values ?? {} }))).createRecord;
        break;
      case 'update':
        record = (await guard(api.request<{ updateRecord: RecordNode }>(UPDATE_RECORD, { ...vars, baseVersion, values: payload?.values ?? {} }))).updateRecord;
        break;
      case 'publish':
        record = (await guard(api.request<{ publishRecord: RecordNode }>(PUBLISH_RECORD, { ...vars, baseVersion }))).publishRecord;
        break;
      case 'unpublish':
        record = (await guard(api.request<{ unpublishRecord: RecordNode }>(UNPUBLISH_RECORD, { ...vars, baseVersion }))).unpublishRecord;
        break;
      case 'delete':
        await guard(api.request(DELETE_RECORD, { ...vars, baseVersion }));
        break;
    }
    store.tx(() => acknowledge(store, { ...op, baseVersion }, record));
    return 'ok';
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return store.tx(() => refused(store, op, e));
  }
}

function acknowledge(store: LocalStore, op: Op, record: RecordNode | null): void {
  if (op.kind === 'delete') {
    store.records.deleteBase(op.env, op.recordId);
    store.records.deleteDraft(op.env, op.recordId);
    store.outbox.removeForRecord(op.env, op.recordId);
    return;
  }
  const cur = store.records.base(op.env, op.recordId);
  // A resent op answers with its first result, which may be older than what a pull brought since.
  if (record && (!cur || record.version >= cur.version)) store.records.putBase(op.env, record);
  // A publish/unpublish/delete queued after this write saw what it wrote: it now acts on the
  // version this write made. Not when the write was rebased onto a version the user never saw
  // (its base moved past the one the later op holds): that op stays stale and the server says so.
  if (record && (op.kind === 'update' || op.kind === 'create')) {
    for (const o of store.outbox.forRecord(op.env, op.recordId)) {
      const acts = o.kind === 'delete' || o.kind === 'publish' || o.kind === 'unpublish';
      if (acts && o.state === 'queued' && o.seq > op.seq && (o.baseVersion ?? null) === (op.baseVersion ?? null)) store.outbox.setBaseVersion(o.seq, record.version);
    }
  }
  store.outbox.remove(op.seq);
  // A publish/unpublish that went through makes earlier refused ones of the record moot.
  if (op.kind === 'publish' || op.kind === 'unpublish') {
    for (const o of store.outbox.forRecord(op.env, op.recordId)) if (o.state === 'refused' && (o.kind === 'publish' || o.kind === 'unpublish')) store.outbox.remove(o.seq);
  }
  const rest = store.records.pruneDraft(op.env, op.recordId);
  const pending = store.outbox.forRecord(op.env, op.recordId).some((o) => (o.kind === 'update' || o.kind === 'create') && o.state !== 'refused');
  if (Object.keys(rest).length > 0 && !pending) store.outbox.enqueue(op.env, 'update', op.recordId, op.model);
  if (Object.keys(rest).length === 0) store.outbox.dropEmptyWrites(op.env, op.recordId);
}

function refused(store: LocalStore, op: Op, e: ApiError): SendResult {
  switch (e.code) {
    case 'STALE_VERSION': {
      if (op.kind === 'delete' || op.kind === 'publish' || op.kind === 'unpublish') {
        const verb = op.kind === 'delete' ? 'deleted' : op.kind === 'publish' ? 'published' : 'unpublished';
        store.outbox.refuse(op.seq, 'VALIDATION', `the record changed on the server after you ${verb} it here; review it and ${op.kind} again to confirm`);
        return 'refused';
      }
      // Not applied: it leaves the sent writes before the merge, so its cells are not taken as held.
      store.outbox.reset(op.seq, null);
      const current = e.extensions['current'] as RecordNode;
      const n = rebase(store, op.env, current);
      // Sent again in its place. Followed by a publish/unpublish/delete, it keeps the values the
      // user saw then (less what the server already has or what is now in conflict).
      const later = store.outbox.forRecord(op.env, op.recordId).some((o) => o.seq > op.seq && o.kind !== 'update' && o.kind !== 'create');
      const fields = indexFields(store.model(op.env, op.model)?.fields ?? []);
      const inConflict = new Set(store.conflicts.forRecord(op.env, op.recordId).map((c) => c.cell));
      const kept = changedCells(fields, current.values, applyPatch(fields, current.values, op.payload?.values ?? {}));
      const values: Values = {};
      for (const c of kept.cells) if (!inConflict.has(cellKey(c))) writeCell(values, fields.get(c.field)!, c.locale, readCell(kept.patch, fields.get(c.field)!, c.locale));
      if (!store.records.draft(op.env, op.recordId) || (later && Object.keys(values).length === 0)) store.outbox.remove(op.seq);
      else store.outbox.reset(op.seq, later ? { values } : null);
      return n > 0 ? 'conflict' : 'dropped';
    }
    case 'NOT_FOUND':
      if (op.kind !== 'create') {
        remoteDeleted(store, op.env, op.recordId);
        store.outbox.removeForRecord(op.env, op.recordId);
        return 'conflict';
      }
      store.outbox.refuse(op.seq, 'NOT_FOUND', `the server refused: ${e.message}`);
      return 'refused';
    case 'FORBIDDEN':
      store.outbox.refuse(op.seq, 'PERMISSION', `the server refused: ${e.message}`);
      return 'refused';
    case 'VALIDATION_FAILED':
      if (resendWithoutDeletedFields(store, op, e)) return 'dropped';
      store.outbox.refuse(op.seq, 'VALIDATION', `the server refused: ${e.message}`);
      return 'refused';
    case 'CONFLICT':
      store.outbox.refuse(op.seq, 'VALIDATION', `the server refused: ${e.message}`);
      return 'refused';
    default:
      throw e;
  }
}

/**
 * A write fixed before a field was deleted on the server (sent, its answer lost) names that field,
 * which the server refuses whole, applying nothing. When every cell it objects to is of a field the
 * local model no longer has, those cells are already set aside for the user (deleted-fields.ts):
 * the write goes again in its place without them, instead of holding the record's other cells back
 * behind a problem about a field that no longer exists.
 */
function resendWithoutDeletedFields(store: LocalStore, op: Op, e: ApiError): boolean {
  if (op.kind !== 'update' && op.kind !== 'create') return false;
  const named = Object.keys((e.extensions['fields'] as Record<string, unknown> | undefined) ?? {}).map((k) => k.split('.')[0]!);
  const model = store.model(op.env, op.model);
  if (!model || named.length === 0 || named.some((f) => model.fields.some((g) => g.apiKey === f))) return false;
  const fields = indexFields(model.fields);
  store.outbox.reset(op.seq, op.payload ? { ...op.payload, values: ownValues(fields, op.payload.values ?? {}) } : null);
  return true;
}
