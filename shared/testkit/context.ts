import type { Principal } from '../domain/principal';
import type { EnvironmentRef } from '../domain/project';
import type { RecordRule, Role, UploadRule } from '../domain/role';
import { ROLE_FLAGS, type RoleFlags } from '../domain/role';
import type { PermissionContext } from '../permissions/effective';

/** A small project in the shape of the demo: two environments, two models, three locales, a folder tree. */
export const MAIN: EnvironmentRef = { id: 'main', primary: true };
export const STAGING: EnvironmentRef = { id: 'staging', primary: false };
export const LOCALES = ['en', 'fr', 'de'] as const;

export const ARTICLE_FIELDS = [
  { apiKey: 'title', localized: true },
  { apiKey: 'slug', localized: false },
  { apiKey: 'body', localized: true },
  { apiKey: 'published_on', localized: false },
];
export const AUTHOR_FIELDS = [
  { apiKey: 'name', localized: false },
  { apiKey: 'bio', localized: true },
];

export const FOLDERS = [
  { id: 'marketing', parentId: null },
  { id: 'campaigns', parentId: 'marketing' },
  { id: 'editorial', parentId: null },
  { id: 'legal', parentId: null },
];

export const CONTEXT: PermissionContext = {
  environments: [MAIN, STAGING],
  models: [
    { id: 'article', fields: ARTICLE_FIELDS },
    { id: 'author', fields: AUTHOR_FIELDS },
  ],
  locales: [...LOCALES],
  folders: FOLDERS,
};

export const noFlags = (): RoleFlags => Object.fromEntries(ROLE_FLAGS.map((f) => [f, false])) as RoleFlags;

export function role(partial: Partial<Role> & { recordRules?: RecordRule[]; uploadRules?: UploadRule[] }): Role {
  return {
    id: 'custom',
    name: 'Custom',
    builtIn: false,
    flags: noFlags(),
    environmentsAccess: 'all',
    recordRules: [],
    uploadRules: [],
    ...partial,
  };
}

export function recordRule(partial: Partial<RecordRule>): RecordRule {
  return {
    effect: 'allow',
    models: 'all',
    actions: ['read'],
    localizationScope: 'all',
    locales: 'all',
    environment: 'all',
    onCreator: 'anyone',
    ...partial,
  };
}

export const TRANSLATOR_FR: Role = role({
  id: 'translator-fr',
  name: 'French translator',
  environmentsAccess: 'primary_only',
  recordRules: [
    recordRule({ actions: ['read'] }),
    recordRule({ models: ['article', 'author'], actions: ['update'], localizationScope: 'localized', locales: ['fr'] }),
  ],
  uploadRules: [{ effect: 'allow', actions: ['read'], folders: 'all', environment: 'all' }],
});

export const MEDIA_MANAGER: Role = role({
  id: 'media',
  name: 'Media manager',
  environmentsAccess: 'primary_only',
  recordRules: [recordRule({ actions: ['read'] })],
  uploadRules: [{ effect: 'allow', actions: ['read', 'create', 'update', 'delete'], folders: ['marketing'], environment: 'all' }],
});

export const SANDBOX_DEVELOPER: Role = role({
  id: 'developer',
  name: 'Sandbox developer',
  environmentsAccess: 'sandbox_only',
  flags: { ...noFlags(), canEditSchema: true, canManageEnvironments: true },
  recordRules: [recordRule({ actions: ['read', 'create', 'update', 'publish', 'unpublish', 'delete'] })],
  uploadRules: [{ effect: 'allow', actions: ['read', 'create', 'update', 'delete'], folders: 'all', environment: 'all' }],
});

export const as = (r: Role, userId: string | null = 'u1', token?: Principal['token']): Principal =>
  token ? { userId, role: r, token } : { userId, role: r };
