import { z } from 'zod';
import { environmentIdSchema, idSchema, localeCodeSchema } from './ids';

export const RECORD_ACTIONS = ['read', 'create', 'update', 'publish', 'unpublish', 'delete'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];
export const UPLOAD_ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type UploadAction = (typeof UPLOAD_ACTIONS)[number];

export const ROLE_FLAGS = [
  'canEditSchema',
  'canManageEnvironments',
  'canPromoteEnvironments',
  'canManageWebhooks',
  'canManageApiTokens',
  'canManageCollaborators',
  'canManageSettings',
  'canAccessAuditLog',
] as const;
export type RoleFlag = (typeof ROLE_FLAGS)[number];
export type RoleFlags = Record<RoleFlag, boolean>;

export const ENVIRONMENTS_ACCESS = ['all', 'primary_only', 'sandbox_only', 'none'] as const;
export type EnvironmentsAccess = (typeof ENVIRONMENTS_ACCESS)[number];

const uniqueList = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'list at least one, or use "all"').refine((l) => new Set(l).size === l.length, 'must not repeat an entry');

export const effectSchema = z.enum(['allow', 'deny']);
export type Effect = z.infer<typeof effectSchema>;

export const recordRuleSchema = z.strictObject({
  effect: effectSchema,
  models: z.union([z.literal('all'), uniqueList(idSchema)]),
  actions: uniqueList(z.enum(RECORD_ACTIONS)),
  localizationScope: z.enum(['all', 'localized', 'not_localized']).default('all'),
  locales: z.union([z.literal('all'), uniqueList(localeCodeSchema)]).default('all'),
  environment: z.union([z.literal('all'), environmentIdSchema]).default('all'),
  onCreator: z.enum(['anyone', 'self']).default('anyone'),
});
export type RecordRule = z.infer<typeof recordRuleSchema>;

export const uploadRuleSchema = z.strictObject({
  effect: effectSchema,
  actions: uniqueList(z.enum(UPLOAD_ACTIONS)),
  /** A rule on a folder covers its subfolders. */
  folders: z.union([z.literal('all'), uniqueList(idSchema)]),
  environment: z.union([z.literal('all'), environmentIdSchema]).default('all'),
});
export type UploadRule = z.infer<typeof uploadRuleSchema>;

const flagsShape = Object.fromEntries(ROLE_FLAGS.map((f) => [f, z.boolean().default(false)])) as Record<
  RoleFlag,
  z.ZodDefault<z.ZodBoolean>
>;
export const roleFlagsSchema = z.strictObject(flagsShape);

export const roleSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(100),
  builtIn: z.boolean().default(false),
  flags: roleFlagsSchema,
  environmentsAccess: z.enum(ENVIRONMENTS_ACCESS),
  recordRules: z.array(recordRuleSchema).max(200),
  uploadRules: z.array(uploadRuleSchema).max(200),
});
export type Role = z.infer<typeof roleSchema>;

/** What createRole/updateRole accept: a role without server-chosen parts. */
export const roleInputSchema = roleSchema.omit({ id: true, builtIn: true });
export type RoleInput = z.infer<typeof roleInputSchema>;
