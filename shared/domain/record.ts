import { z } from 'zod';
import { idSchema, isoDateTimeSchema } from './ids';
import type { Field, Model } from './schema';
import { formatProblem } from './pattern';
import { dastProblem, isEmptyDast } from './dast';

/** A JSON value as it travels in `values`. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean(), z.null(), z.array(jsonSchema), z.record(z.string(), jsonSchema)]),
);

/** JSON nesting allowed in `values` (structured text needs about 50 levels at its own bound). */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether a JSON value nests deeper than `max`, found without recursion: every later check
 * (zod, "__proto__" keys, hashing) recurses, and a deep enough value would overflow the stack.
 */
export function jsonTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Where a "__proto__" key stands in a JSON value (JSON.parse makes it an own key), or null. */
function protoKeyPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (value === null || typeof value !== 'object') return null;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return [...path, '__proto__'];
  for (const [k, v] of Object.entries(value)) {
    const found = protoKeyPath(v, [...path, Array.isArray(value) ? Number(k) : k]);
    if (found) return found;
  }
  return null;
}

/**
 * `values` keyed by field api key; a localized field holds `{ locale: value }`. zod drops a
 * "__proto__" key without a word, so a write would quietly do less than was sent: such a
 * key is refused instead.
 */
export type Values = Record<string, Json>;
export const valuesSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (jsonTooDeep(value)) return ctx.addIssue({ code: 'custom', message: `is nested too deeply: more than ${MAX_JSON_DEPTH} levels` });
    const path = protoKeyPath(value);
    if (path) ctx.addIssue({ code: 'custom', path, message: 'the key "__proto__" is not allowed' });
  })
  .pipe(z.record(z.string(), jsonSchema));

export const RECORD_STATUSES = ['draft', 'published', 'updated'] as const;
export const recordStatusSchema = z.enum(RECORD_STATUSES);
export type RecordStatus = z.infer<typeof recordStatusSchema>;

export const recordSchema = z.strictObject({
  id: idSchema,
  model: idSchema,
  version: z.number().int().min(1),
  publishedVersion: z.number().int().min(1).nullable(),
  status: recordStatusSchema,
  values: valuesSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  publishedAt: isoDateTimeSchema.nullable().optional(),
  createdBy: idSchema.nullable(),
  updatedBy: idSchema.nullable(),
});
export type ContentRecord = z.infer<typeof recordSchema>;

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const seoSchema = z.strictObject({
  title: z.string().max(300).nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  image: idSchema.nullable().optional(),
});

const cellSchemas = new WeakMap<Field, z.ZodType<Json>>();

/** The schema one cell of a field must satisfy; null (empty) is always accepted here. Built once per field object. */
export function cellSchema(field: Field): z.ZodType<Json> {
  let s = cellSchemas.get(field);
  if (!s) {
    s = buildCellSchema(field);
    cellSchemas.set(field, s);
  }
  return s;
}

function buildCellSchema(field: Field): z.ZodType<Json> {
  const v = field.validators;
  const text = (max: number) => {
    let s = z.string().max(v.length?.max ?? max);
    if (v.length?.min !== undefined) s = s.min(v.length.min);
    const format = v.format;
    if (!format) return s;
    // RE2, never `new RegExp`: a field's pattern comes from a user (see pattern.ts).
    return s.superRefine((value, ctx) => {
      const problem = formatProblem(format, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
  };
  const num = (base: z.ZodNumber) => {
    let n = base;
    if (v.range?.min !== undefined) n = n.min(v.range.min);
    if (v.range?.max !== undefined) n = n.max(v.range.max);
    return n;
  };
  let s: z.ZodType<Json>;
  switch (field.type) {
    case 'string':
      s = text(1_000);
      break;
    case 'text':
      s = text(200_000);
      break;
    case 'slug':
      s = text(200).regex(slugPattern, 'must be a slug such as "my-first-post"');
      break;
    case 'boolean':
      s = z.boolean();
      break;
    case 'integer':
      s = num(z.number().int('must be a whole number').min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER));
      break;
    case 'float':
      s = num(z.number().refine(Number.isFinite, 'must be a finite number') as unknown as z.ZodNumber);
      break;
    case 'date':
      s = z.string().regex(datePattern, 'must be a date such as 2026-01-31').refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');
      break;
    case 'datetime':
      s = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-01-31T09:30:00Z' });
      break;
    case 'json':
      s = jsonSchema;
      break;
    case 'link':
    case 'asset':
      s = idSchema;
      break;
    case 'links':
      s = z.array(idSchema).max(1_000);
      break;
    case 'seo':
      s = seoSchema as unknown as z.ZodType<Json>;
      break;
    case 'structured_text':
      // Bounded and checked by dast.ts before zod sees its shape (one linear pass, no recursion).
      s = z.custom<Json>().superRefine((value, ctx) => {
        const problem = dastProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      });
      break;
  }
  return s.nullable() as z.ZodType<Json>;
}

export interface ValuesCheckOptions {
  /** Project locales, default first. */
  locales: readonly string[];
  /** `create` and `publish` also demand required fields; `update` carries changed cells only. */
  mode: 'create' | 'update' | 'publish';
}

/**
 * Checks `values` against a model: unknown fields, localized shape, cell types and
 * (for create/publish) required fields. Returns per-field messages; empty means valid.
 */
export function checkValues(model: Model, values: unknown, opts: ValuesCheckOptions): Record<string, string> {
  const problems: Record<string, string> = {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return { values: 'must be an object keyed by field api key' };
  }
  const byKey = new Map(model.fields.map((f) => [f.apiKey, f]));
  const input = values as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!byKey.has(key)) problems[key] = `unknown field "${key}" for model "${model.apiKey}"`;
  }
  for (const field of model.fields) {
    const present = Object.hasOwn(input, field.apiKey);
    const raw = present ? input[field.apiKey] : undefined;
    const schema = cellSchema(field);
    if (present) {
      if (field.localized) {
        if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
          problems[field.apiKey] = 'is localized: give an object keyed by locale, such as {"en": …}';
          continue;
        }
        for (const [locale, cell] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
          if (!opts.locales.includes(locale)) {
            problems[`${field.apiKey}.${locale}`] = `unknown locale "${locale}" (project locales: ${opts.locales.join(', ')})`;
            continue;
          }
          const r = schema.safeParse(cell);
          if (!r.success) problems[`${field.apiKey}.${locale}`] = r.error.issues[0]?.message ?? 'invalid value';
        }
      } else {
        const r = schema.safeParse(raw);
        if (!r.success) problems[field.apiKey] = r.error.issues[0]?.message ?? 'invalid value';
      }
    }
    if (field.required && opts.mode !== 'update') {
      const defaultLocale = opts.locales[0];
      const cell = field.localized && raw && typeof raw === 'object' && defaultLocale ? (raw as Record<string, unknown>)[defaultLocale] : raw;
      if (cell === undefined || cell === null || cell === '' || (field.type === 'structured_text' && isEmptyDast(cell))) {
        problems[field.localized ? `${field.apiKey}.${defaultLocale}` : field.apiKey] ??= 'is required';
      }
    }
  }
  return problems;
}
