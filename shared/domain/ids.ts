import { z } from 'zod';

/** Field api keys and model api keys: lower snake case, as DatoCMS uses them. */
export const apiKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must start with a lowercase letter and hold only a-z, 0-9 and _ (at most 64 characters)');

/** BCP-47-ish locale codes: `en`, `fr`, `pt-BR`. */
export const localeCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale code such as "en" or "pt-BR"');

/** Opaque ids chosen by the server or, for records, by the client (UUIDs). */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, _ and -');

/** Environment ids are their names (`main`, `staging`). */
export const environmentIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lowercase name such as "main" or "staging-2"');

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
