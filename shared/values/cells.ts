import type { Json, Values } from '../domain/record';
import type { FieldShape } from '../domain/schema';
import type { Cell } from '../permissions/actions';

/** Fields by api key, as cell addressing needs them. */
export type FieldIndex = ReadonlyMap<string, FieldShape>;

export function indexFields(fields: readonly FieldShape[]): FieldIndex {
  return new Map(fields.map((f) => [f.apiKey, f]));
}

/** The values that belong to the model's fields: a deleted field's leftovers are dropped when a record is written. */
export function ownValues(fields: FieldIndex, values: Values): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) if (fields.has(key)) out[key] = value;
  return out;
}

/** An absent cell reads as null: a cleared value and a never-set one are the same. */
export function readCell(values: Values, field: FieldShape, locale: string | null): Json {
  const v = values[field.apiKey];
  if (!field.localized || locale === null) return v ?? null;
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return null;
  return (v as Record<string, Json>)[locale] ?? null;
}

export function writeCell(values: Values, field: FieldShape, locale: string | null, value: Json): void {
  if (!field.localized || locale === null) {
    values[field.apiKey] = value;
    return;
  }
  const cur = values[field.apiKey];
  const obj = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? { ...(cur as Record<string, Json>) } : {};
  obj[locale] = value;
  values[field.apiKey] = obj;
}

/** The cells present in any of the value maps, for the fields given (unknown keys are ignored). */
export function cellsIn(fields: FieldIndex, ...maps: Values[]): Cell[] {
  const seen = new Set<string>();
  const out: Cell[] = [];
  const add = (cell: Cell) => {
    const key = cell.locale === null ? cell.field : `${cell.field}.${cell.locale}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(cell);
  };
  for (const map of maps) {
    for (const [key, v] of Object.entries(map)) {
      const field = fields.get(key);
      if (!field) continue;
      if (!field.localized) {
        add({ field: key, localized: false, locale: null });
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const locale of Object.keys(v)) add({ field: key, localized: true, locale });
      }
    }
  }
  return out;
}
