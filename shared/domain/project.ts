import { z } from 'zod';
import { environmentIdSchema, idSchema, isoDateTimeSchema, localeCodeSchema } from './ids';

export const projectSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  /** Ordered; the first is the default locale. */
  locales: z
    .array(localeCodeSchema)
    .min(1, 'a project needs at least one locale')
    .refine((l) => new Set(l).size === l.length, 'locales must be unique'),
  timezone: z.string().min(1).default('UTC'),
  requireTwoFactor: z.boolean().default(false),
});
export type Project = z.infer<typeof projectSchema>;

export const environmentSchema = z.strictObject({
  id: environmentIdSchema,
  primary: z.boolean(),
  forkedFrom: environmentIdSchema.nullable(),
  createdAt: isoDateTimeSchema,
});
export type Environment = z.infer<typeof environmentSchema>;

/** What the permission engine needs to know of an environment. */
export type EnvironmentRef = Pick<Environment, 'id' | 'primary'>;
