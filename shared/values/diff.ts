import type { Values } from '../domain/record';
import type { Cell } from '../permissions/actions';
import { cellsIn, readCell, writeCell, type FieldIndex } from './cells';
import { jsonEqual } from './equal';

export interface CellChanges {
  /** Only the changed cells, in `values` shape: what updateRecord sends. */
  patch: Values;
  cells: Cell[];
}

/** The cells that differ between two value maps (a removed cell becomes null). */
export function changedCells(fields: FieldIndex, before: Values, after: Values): CellChanges {
  const patch: Values = {};
  const cells: Cell[] = [];
  for (const cell of cellsIn(fields, before, after)) {
    const field = fields.get(cell.field);
    if (!field) continue;
    const next = readCell(after, field, cell.locale);
    if (jsonEqual(readCell(before, field, cell.locale), next)) continue;
    writeCell(patch, field, cell.locale, next);
    cells.push(cell);
  }
  return { patch, cells };
}

/** `values` with `patch` laid over it, cell by cell. */
export function applyPatch(fields: FieldIndex, values: Values, patch: Values): Values {
  const out = JSON.parse(JSON.stringify(values)) as Values;
  for (const cell of cellsIn(fields, patch)) {
    const field = fields.get(cell.field);
    if (field) writeCell(out, field, cell.locale, readCell(patch, field, cell.locale));
  }
  return out;
}
