import { RECORD_ACTIONS, ROLE_FLAGS, UPLOAD_ACTIONS, type Role, type RoleFlags } from '../domain/role';

const allFlags = (value: boolean) => Object.fromEntries(ROLE_FLAGS.map((f) => [f, value])) as RoleFlags;
/** Fresh copies for each role, so that no two roles share a mutable rule list. */
const everyRecordAction = (): Role['recordRules'] => [
  { effect: 'allow', models: 'all', actions: [...RECORD_ACTIONS], localizationScope: 'all', locales: 'all', environment: 'all', onCreator: 'anyone' },
];
const everyUploadAction = (): Role['uploadRules'] => [{ effect: 'allow', actions: [...UPLOAD_ACTIONS], folders: 'all', environment: 'all' }];

/** Everything, everywhere. Not editable. */
export const ADMIN_ROLE: Role = {
  id: 'admin',
  name: 'Admin',
  builtIn: true,
  flags: allFlags(true),
  environmentsAccess: 'all',
  recordRules: everyRecordAction(),
  uploadRules: everyUploadAction(),
};

/** Every record action on every model, every upload action in every folder, no flags. Not editable. */
export const EDITOR_ROLE: Role = {
  id: 'editor',
  name: 'Editor',
  builtIn: true,
  flags: allFlags(false),
  environmentsAccess: 'all',
  recordRules: everyRecordAction(),
  uploadRules: everyUploadAction(),
};

export const BUILT_IN_ROLES: readonly Role[] = [ADMIN_ROLE, EDITOR_ROLE];

export function isBuiltInRoleId(id: string): boolean {
  return BUILT_IN_ROLES.some((r) => r.id === id);
}
