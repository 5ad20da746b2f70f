import type { EnvironmentRef } from '../domain/project';
import type { Cell, RecordActionName, RecordResource } from './actions';

/** The kinds of queued operation on a record (DESIGN §4 mutations). */
export type RecordOpKind = 'create' | 'update' | 'publish' | 'unpublish' | 'delete';

export interface WriteTarget {
  kind: RecordOpKind;
  environment: EnvironmentRef;
  model: string;
  /** Made on this computer and not yet on the server: its edits are part of its create. */
  createdLocally: boolean;
  createdBy: string | null;
  /** For create/update: the cells the op writes. */
  cells: readonly Cell[];
}

/**
 * The one rule for which permission a write needs (core edits, the sync engine and the
 * renderer all ask it). An edit of a record created offline is part of its create, so it
 * needs `create` of those cells, never `update`. An update that writes no cell needs
 * nothing: it has nothing to send (null), and must never be judged record-level (a
 * translator may update cells but not "the record").
 */
export function resourceForWrite(t: WriteTarget): { action: RecordActionName; resource: RecordResource } | null {
  const { environment, model } = t;
  if (t.kind === 'create' || (t.kind === 'update' && t.createdLocally)) return { action: 'record.create', resource: { environment, model, cells: t.cells } };
  if (t.kind === 'update') return t.cells.length ? { action: 'record.update', resource: { environment, model, createdBy: t.createdBy, cells: t.cells } } : null;
  return { action: `record.${t.kind}`, resource: { environment, model, createdBy: t.createdBy } };
}
