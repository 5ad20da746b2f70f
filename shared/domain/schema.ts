import { z } from 'zod';
import { apiKeySchema, idSchema } from './ids';
import { formatPatternProblem } from './pattern';

export const FIELD_TYPES = [
  'string',
  'text',
  'boolean',
  'integer',
  'float',
  'date',
  'datetime',
  'json',
  'slug',
  'link',
  'links',
  'asset',
  'seo',
  'structured_text',
] as const;
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof fieldTypeSchema>;

export const validatorsSchema = z
  .strictObject({
    length: z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).optional(),
    range: z.strictObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
    format: z.string().max(500).optional(),
    /** For link / links: the model ids a link may point to. */
    itemTypes: z.array(idSchema).optional(),
    unique: z.boolean().optional(),
    /** For asset: the kinds of file it accepts (none given: any). */
    assetTypes: z.array(z.enum(['image', 'video', 'audio', 'pdf', 'text'])).min(1).optional(),
  })
  .default({});
export type Validators = z.infer<typeof validatorsSchema>;

export const fieldSchema = z.strictObject({
  id: idSchema,
  apiKey: apiKeySchema,
  label: z.string().min(1).max(200),
  type: fieldTypeSchema,
  localized: z.boolean(),
  required: z.boolean(),
  validators: validatorsSchema,
});
export type Field = z.infer<typeof fieldSchema>;

/**
 * A field as it is created: also its format must be a pattern RE2 can run within bounds
 * (stored fields are read with `fieldSchema`, so an older pattern never hides a model).
 */
export const newFieldSchema = fieldSchema.superRefine((field, ctx) => {
  const format = field.validators.format;
  const problem = format === undefined ? null : formatPatternProblem(format);
  if (problem) ctx.addIssue({ code: 'custom', path: ['validators', 'format'], message: `format ${problem}` });
});

export const modelSchema = z
  .strictObject({
    id: idSchema,
    apiKey: apiKeySchema,
    name: z.string().min(1).max(200),
    singleton: z.boolean(),
    fields: z.array(fieldSchema),
    // Api keys of deleted fields. Their values stay in records until each is next written (a
    // rewrite of every record would block the server for seconds at 200k); until then no new
    // field may take the key, or it would inherit them.
    retiredKeys: z.array(apiKeySchema).optional(),
  })
  .superRefine((model, ctx) => {
    const seen = new Set<string>();
    for (const [i, field] of model.fields.entries()) {
      if (seen.has(field.apiKey)) {
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'apiKey'], message: `duplicate field api key "${field.apiKey}"` });
      }
      seen.add(field.apiKey);
    }
  });
export type Model = z.infer<typeof modelSchema>;

/** The part of a field that decides how its values split into cells. */
export type FieldShape = Pick<Field, 'apiKey' | 'localized'>;
