import { z } from 'zod';
import { environmentIdSchema, idSchema, isoDateTimeSchema } from './ids';
import { recordRuleSchema, uploadRuleSchema } from './role';

export const TOKEN_KINDS = ['read_only', 'full_access', 'custom'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const tokenEnvironmentScopeSchema = z.union([
  z.enum(['all', 'primary_only', 'sandbox_only']),
  z.array(environmentIdSchema).min(1, 'list at least one environment'),
]);
export type TokenEnvironmentScope = z.infer<typeof tokenEnvironmentScopeSchema>;

/** What a token may do on top of (never beyond) its user's role. */
export const tokenScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('read_only') }),
  z.strictObject({ kind: z.literal('full_access') }),
  z.strictObject({
    kind: z.literal('custom'),
    environments: tokenEnvironmentScopeSchema,
    recordRules: z.array(recordRuleSchema).max(200),
    uploadRules: z.array(uploadRuleSchema).max(200),
  }),
]);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const apiTokenSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(100),
  scope: tokenScopeSchema,
  /** The collaborator whose role bounds this token. */
  userId: idSchema,
  createdAt: isoDateTimeSchema,
  lastUsedAt: isoDateTimeSchema.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
