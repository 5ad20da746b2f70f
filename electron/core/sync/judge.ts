import { allows, cellKey, resourceForWrite, type EffectivePermissions } from '../../../shared/permissions';
import { cellsIn, indexFields } from '../../../shared/values';
import type { ProblemCode } from '../../../shared/ipc/contract';
import type { LocalStore } from '../store/store';
import type { Op, OpPayload } from '../store/types';

/** What an op would send now: its fixed payload, or the record's draft (a queued write fixes it when first sent). */
export function payloadOf(store: LocalStore, op: Pick<Op, 'env' | 'kind' | 'recordId' | 'payload'>): OpPayload {
  if (op.payload) return op.payload;
  if (op.kind !== 'create' && op.kind !== 'update') return {};
  return { values: store.records.draft(op.env, op.recordId)?.values ?? {} };
}

/**
 * Why an op may not be sent now, from the cached effective permissions (the shared
 * resourceForWrite rule); null if it may, or if it has nothing to send (the sender drops it).
 */
export function opRefusal(store: LocalStore, perms: EffectivePermissions, op: Pick<Op, 'env' | 'kind' | 'recordId' | 'model' | 'payload'>): { code: ProblemCode; message: string } | null {
  const envPerms = perms.environments[op.env];
  if (!envPerms) return { code: 'ENVIRONMENT', message: `environment "${op.env}" is not reachable with your current role; the operation is kept and will not be sent elsewhere` };
  const model = store.model(op.env, op.model);
  const draft = store.records.draft(op.env, op.recordId);
  const values = payloadOf(store, op).values ?? {};
  const cells = model ? cellsIn(indexFields(model.fields), values) : [];
  const need = resourceForWrite({
    kind: op.kind,
    environment: { id: op.env, primary: envPerms.primary },
    model: op.model,
    createdLocally: draft?.createdLocal ?? false,
    createdBy: store.records.base(op.env, op.recordId)?.createdBy ?? null,
    cells,
  });
  if (!need || allows(perms, need.action, need.resource)) return null;
  const what = cells.length ? ` (${cells.map(cellKey).join(', ')})` : '';
  return { code: 'PERMISSION', message: `your role no longer allows ${need.action.slice('record.'.length)} of this ${model?.name ?? op.model} record${what}` };
}
