import type { EnvironmentRef } from '../domain/project';
import type { FolderRef } from '../domain/asset';
import type { RecordAction, RoleFlag, UploadAction } from '../domain/role';

export type RecordActionName = `record.${RecordAction}`;
export type UploadActionName = `upload.${UploadAction}`;

/** Actions gated by a role flag, and the flag each needs. */
export const FLAG_ACTIONS = {
  'schema.edit': 'canEditSchema',
  'environments.manage': 'canManageEnvironments',
  'environments.promote': 'canPromoteEnvironments',
  'webhooks.manage': 'canManageWebhooks',
  'apiTokens.manage': 'canManageApiTokens',
  'collaborators.manage': 'canManageCollaborators',
  'settings.manage': 'canManageSettings',
  'auditLog.read': 'canAccessAuditLog',
} as const satisfies Record<string, RoleFlag>;
export type FlagActionName = keyof typeof FLAG_ACTIONS;

export type Action = RecordActionName | UploadActionName | FlagActionName | 'environment.access';

/** One field-locale cell of a record; `locale` is null for a non-localized field. */
export interface Cell {
  field: string;
  localized: boolean;
  locale: string | null;
}

export function cellKey(cell: Pick<Cell, 'field' | 'locale'>): string {
  return cell.locale === null ? cell.field : `${cell.field}.${cell.locale}`;
}

export interface RecordResource {
  environment: EnvironmentRef;
  model: string;
  /** Who created the record; ignored for create, where the principal is the creator. */
  createdBy?: string | null;
  /** For create and update: the cells written. Empty or absent means a record-level check. */
  cells?: readonly Cell[];
}

export interface UploadResource {
  environment: EnvironmentRef;
  /** null for the root of the media library. */
  folder: FolderRef | null;
}

export interface FlagResource {
  /** For environment-bound work (schema edits, promotion), the environment it touches. */
  environment?: EnvironmentRef;
}

export interface EnvironmentResource {
  environment: EnvironmentRef;
}

export type ResourceFor<A extends Action> = A extends RecordActionName
  ? RecordResource
  : A extends UploadActionName
    ? UploadResource
    : A extends FlagActionName
      ? FlagResource
      : EnvironmentResource;

export const CELL_ACTIONS: readonly RecordAction[] = ['create', 'update'];

export function isRecordAction(a: Action): a is RecordActionName {
  return a.startsWith('record.');
}
export function isUploadAction(a: Action): a is UploadActionName {
  return a.startsWith('upload.');
}
export function isFlagAction(a: Action): a is FlagActionName {
  return Object.hasOwn(FLAG_ACTIONS, a);
}
