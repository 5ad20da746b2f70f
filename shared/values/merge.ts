import type { Json, Values } from '../domain/record';
import { cellKey, type Cell } from '../permissions/actions';
import { cellsIn, readCell, writeCell, type FieldIndex } from './cells';
import { jsonEqual } from './equal';

export interface CellConflict {
  cell: Cell;
  key: string;
  base: Json;
  local: Json;
  remote: Json;
}

export interface MergeResult {
  /** Every cell of the three inputs: merged where one side changed, remote where both did. */
  merged: Values;
  /** Cells both sides changed to different values; the user decides. */
  conflicts: CellConflict[];
}

/**
 * Three-way merge per field-locale cell. A cell changed on one side takes that side; a cell
 * changed on both sides to the same value takes it; to different values, it is a conflict
 * (merged keeps the remote value until the user decides, and nothing is dropped: the local
 * value is in the conflict).
 */
export function mergeValues(fields: FieldIndex, base: Values, local: Values, remote: Values): MergeResult {
  const merged: Values = {};
  const conflicts: CellConflict[] = [];
  for (const cell of cellsIn(fields, base, local, remote)) {
    const field = fields.get(cell.field);
    if (!field) continue;
    const b = readCell(base, field, cell.locale);
    const l = readCell(local, field, cell.locale);
    const r = readCell(remote, field, cell.locale);
    let value: Json;
    if (jsonEqual(l, b)) value = r;
    else if (jsonEqual(r, b) || jsonEqual(l, r)) value = l;
    else {
      conflicts.push({ cell, key: cellKey(cell), base: b, local: l, remote: r });
      value = r;
    }
    writeCell(merged, field, cell.locale, value);
  }
  return { merged, conflicts };
}
