import { z } from 'zod';
import { folderRef } from '../domain/asset';
import type { Principal } from '../domain/principal';
import type { EnvironmentRef } from '../domain/project';
import { ROLE_FLAGS, UPLOAD_ACTIONS, type RoleFlag, type UploadAction } from '../domain/role';
import type { FieldShape } from '../domain/schema';
import {
  FLAG_ACTIONS,
  cellKey,
  isFlagAction,
  isRecordAction,
  isUploadAction,
  type Action,
  type Cell,
  type RecordResource,
  type ResourceFor,
  type UploadResource,
} from './actions';
import { can } from './evaluate';

/** The project as the engine sees it when it lists what a viewer may do. */
export interface PermissionContext {
  environments: readonly EnvironmentRef[];
  models: readonly { id: string; fields: readonly FieldShape[] }[];
  /** Ordered, default first. */
  locales: readonly string[];
  folders: readonly { id: string; parentId: string | null }[];
}

const creatorGrantSchema = z.strictObject({ own: z.boolean(), others: z.boolean() });
/** `record`: allowed without naming cells; `cells`: the cell keys (`title.fr`, `slug`) allowed. */
const cellGrantSchema = z.strictObject({ record: z.boolean(), cells: z.array(z.string()) });

export const modelPermissionsSchema = z.strictObject({
  read: creatorGrantSchema,
  create: cellGrantSchema,
  update: z.strictObject({ own: cellGrantSchema, others: cellGrantSchema }),
  publish: creatorGrantSchema,
  unpublish: creatorGrantSchema,
  delete: creatorGrantSchema,
});
export type ModelPermissions = z.infer<typeof modelPermissionsSchema>;
export type CreatorGrant = z.infer<typeof creatorGrantSchema>;
export type CellGrant = z.infer<typeof cellGrantSchema>;

const folderGrantSchema = z.strictObject({ root: z.boolean(), folders: z.array(z.string()) });

export const environmentPermissionsSchema = z.strictObject({
  primary: z.boolean(),
  /** Only models on which some action is allowed. */
  models: z.record(z.string(), modelPermissionsSchema),
  uploads: z.strictObject(Object.fromEntries(UPLOAD_ACTIONS.map((a) => [a, folderGrantSchema])) as Record<UploadAction, typeof folderGrantSchema>),
});
export type EnvironmentPermissions = z.infer<typeof environmentPermissionsSchema>;

export const effectivePermissionsSchema = z.strictObject({
  userId: z.string().nullable(),
  /** Read-only API tokens see published content only. */
  publishedOnly: z.boolean(),
  flags: z.strictObject(Object.fromEntries(ROLE_FLAGS.map((f) => [f, z.boolean()])) as Record<RoleFlag, z.ZodBoolean>),
  /** Only the environments the viewer may reach. */
  environments: z.record(z.string(), environmentPermissionsSchema),
});
export type EffectivePermissions = z.infer<typeof effectivePermissionsSchema>;

/** Every cell of a model, in field order then locale order. */
export function cellsOfModel(fields: readonly FieldShape[], locales: readonly string[]): Cell[] {
  return fields.flatMap((f): Cell[] =>
    f.localized ? locales.map((locale) => ({ field: f.apiKey, localized: true, locale })) : [{ field: f.apiKey, localized: false, locale: null }],
  );
}

const OTHER_CREATOR = '\u0000someone-else';

/**
 * What a viewer may do, listed for the client to draw with. It is derived by asking `can`
 * itself about every environment, model, cell and folder of the context, so the two
 * cannot disagree (and a property test holds them equal).
 */
export function effectivePermissions(principal: Principal, ctx: PermissionContext): EffectivePermissions {
  const self = principal.userId;
  const flags = Object.fromEntries(
    Object.entries(FLAG_ACTIONS).map(([action, flag]) => [flag, can(principal, action as keyof typeof FLAG_ACTIONS, {}).allowed]),
  ) as Record<RoleFlag, boolean>;

  const environments: Record<string, EnvironmentPermissions> = {};
  for (const environment of ctx.environments) {
    if (!can(principal, 'environment.access', { environment }).allowed) continue;
    const models: Record<string, ModelPermissions> = {};
    for (const model of ctx.models) {
      const cells = cellsOfModel(model.fields, ctx.locales);
      const grant = (action: 'record.read' | 'record.publish' | 'record.unpublish' | 'record.delete'): CreatorGrant => {
        const others = can(principal, action, { environment, model: model.id, createdBy: OTHER_CREATOR }).allowed;
        const own = self === null ? others : can(principal, action, { environment, model: model.id, createdBy: self }).allowed;
        return { own, others };
      };
      const cellGrant = (action: 'record.create' | 'record.update', createdBy: string): CellGrant => ({
        record: can(principal, action, { environment, model: model.id, createdBy, cells: [] }).allowed,
        cells: cells.filter((c) => can(principal, action, { environment, model: model.id, createdBy, cells: [c] }).allowed).map(cellKey),
      });
      const updateOthers = cellGrant('record.update', OTHER_CREATOR);
      const perms: ModelPermissions = {
        read: grant('record.read'),
        create: cellGrant('record.create', OTHER_CREATOR),
        update: { own: self === null ? updateOthers : cellGrant('record.update', self), others: updateOthers },
        publish: grant('record.publish'),
        unpublish: grant('record.unpublish'),
        delete: grant('record.delete'),
      };
      if (hasAny(perms)) models[model.id] = perms;
    }
    const uploads = Object.fromEntries(
      UPLOAD_ACTIONS.map((a) => {
        const action = `upload.${a}` as const;
        return [
          a,
          {
            root: can(principal, action, { environment, folder: null }).allowed,
            folders: ctx.folders.filter((f) => can(principal, action, { environment, folder: folderRef(ctx.folders, f.id) }).allowed).map((f) => f.id),
          },
        ];
      }),
    ) as EnvironmentPermissions['uploads'];
    environments[environment.id] = { primary: environment.primary, models, uploads };
  }
  return { userId: self, publishedOnly: principal.token?.kind === 'read_only', flags, environments };
}

function hasAny(p: ModelPermissions): boolean {
  const g = (c: CreatorGrant) => c.own || c.others;
  const cg = (c: CellGrant) => c.record || c.cells.length > 0;
  return g(p.read) || g(p.publish) || g(p.unpublish) || g(p.delete) || cg(p.create) || cg(p.update.own) || cg(p.update.others);
}

/**
 * Answers `can` from effective permissions alone: how the renderer and the offline client
 * decide what to show and what to queue. Things outside the context are refused.
 */
export function allows<A extends Action>(eff: EffectivePermissions, action: A, resource: ResourceFor<A>): boolean {
  const envRef = (resource as { environment?: EnvironmentRef }).environment;
  const env = envRef ? eff.environments[envRef.id] : undefined;
  if (envRef && !env) return false;
  if (isFlagAction(action)) return eff.flags[FLAG_ACTIONS[action]];
  if (action === 'environment.access') return env !== undefined;
  if (!env) return false;
  if (isUploadAction(action)) {
    const r = resource as UploadResource;
    const grant = env.uploads[action.slice('upload.'.length) as UploadAction];
    return r.folder === null ? grant.root : grant.folders.includes(r.folder.id);
  }
  if (!isRecordAction(action)) return false;
  const r = resource as RecordResource;
  const model = env.models[r.model];
  if (!model) return false;
  const own = eff.userId !== null && (action === 'record.create' || r.createdBy === eff.userId);
  const cells = (grant: CellGrant) =>
    !r.cells || r.cells.length === 0 ? grant.record : r.cells.every((c) => grant.cells.includes(cellKey(c)));
  switch (action) {
    case 'record.create':
      return cells(model.create);
    case 'record.update':
      return cells(own ? model.update.own : model.update.others);
    default: {
      const grant = model[action.slice('record.'.length) as 'read' | 'publish' | 'unpublish' | 'delete'];
      return own ? grant.own : grant.others;
    }
  }
}

/** Stable JSON (sorted keys) so that equal permissions always print, and hash, the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
