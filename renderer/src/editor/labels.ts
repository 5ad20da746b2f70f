import { checkValues, isEmptyDast, type Field, type Json, type Model, type Values } from '../../../shared/domain';

const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "French" for "fr": users know languages by name, not by code. */
export function localeName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** One field, in one locale when it is localized: what the user reads and where the problem shows. */
export interface CellProblem {
  /** 'title.en' or 'slug', as checkValues keys them. */
  key: string;
  field: Field | null;
  locale: string | null;
  /** "Title (English)". */
  label: string;
  message: string;
}

/** "Title (English)" for "title.en"; the api key when the model has no such field. */
export function cellLabel(model: Model | undefined, key: string): { field: Field | null; locale: string | null; label: string } {
  const [apiKey, locale = null] = key.split('.') as [string, string | undefined];
  const field = model?.fields.find((f) => f.apiKey === apiKey) ?? null;
  const name = field?.label ?? apiKey;
  return { field, locale, label: locale ? `${name} (${localeName(locale)})` : name };
}

/**
 * What stands between these values and publishing, in the one check the server runs
 * (shared checkValues, mode publish): required fields, lengths, formats, types.
 */
export function publishProblems(model: Model, values: Values, locales: readonly string[]): CellProblem[] {
  const found = checkValues(model, values, { locales, mode: 'publish' });
  const order = new Map(model.fields.map((f, i) => [f.apiKey, i]));
  return Object.entries(found)
    .map(([key, message]) => ({ key, message, ...cellLabel(model, key) }))
    .sort((a, b) => (order.get(a.field?.apiKey ?? '') ?? 99) - (order.get(b.field?.apiKey ?? '') ?? 99) || (a.locale ?? '').localeCompare(b.locale ?? ''));
}

/**
 * The server's words with the raw cell key ("title.en is required") said the user's way
 * ("Title (English) is required"), e.g. in a refused operation's message.
 */
export function humanize(model: Model | undefined, message: string): string {
  if (!model) return message;
  return message.replace(/\b([a-z][a-z0-9_]*)(?:\.([a-z]{2}(?:-[A-Za-z]{2,4})?))?\b(?= )/g, (whole, key: string, locale?: string) =>
    model.fields.some((f) => f.apiKey === key) ? cellLabel(model, locale ? `${key}.${locale}` : key).label : whole,
  );
}

/** The value of one cell, in the locale asked when the field is localized. */
export function cellValue(values: Values, f: Field, locale: string): Json {
  const v = values[f.apiKey];
  return f.localized ? ((v as Record<string, Json> | undefined)?.[locale] ?? null) : (v ?? null);
}

// A cleared rich-text body is still a document (one empty paragraph): it counts as not filled,
// as the server's "required" check says.
const filled = (v: Json | undefined): boolean =>
  v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0) && !isEmptyDast(v);

/** How many of the model's localized fields have a value in this locale: the translator's progress. */
export function translated(model: Model, values: Values, locale: string): { done: number; total: number } {
  const localized = model.fields.filter((f) => f.localized);
  return { done: localized.filter((f) => filled(cellValue(values, f, locale))).length, total: localized.length };
}

/** The title in the working locale, else in the first locale that has one (marked as a fallback). */
export function titleIn(model: Model | undefined, values: Values, locale: string, locales: readonly string[]): { text: string; from: string | null } {
  const f = model?.fields.find((x) => x.type === 'string');
  if (!f) return { text: '', from: null };
  if (!f.localized) return { text: typeof values[f.apiKey] === 'string' ? (values[f.apiKey] as string) : '', from: null };
  for (const l of [locale, ...locales.filter((x) => x !== locale)]) {
    const t = cellValue(values, f, l);
    if (typeof t === 'string' && t.trim()) return { text: t, from: l === locale ? null : l };
  }
  return { text: '', from: null };
}

/** "Ink, part 1" → "ink-part-1": what the slug pattern of shared/domain accepts. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/g, '');
}
