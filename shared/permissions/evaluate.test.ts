import { describe, expect, it } from 'vitest';
import { folderRef } from '../domain/asset';
import { ADMIN_ROLE, EDITOR_ROLE } from './builtins';
import { can } from './evaluate';
import type { Cell } from './actions';
import { FOLDERS, MAIN, MEDIA_MANAGER, SANDBOX_DEVELOPER, STAGING, TRANSLATOR_FR, as, recordRule, role } from '../testkit/context';

const cell = (field: string, locale: string | null = null): Cell => ({ field, localized: locale !== null, locale });
const folder = (id: string) => folderRef(FOLDERS, id);

describe('built-in roles', () => {
  it('Admin may do everything, flags included', () => {
    expect(can(as(ADMIN_ROLE), 'record.delete', { environment: MAIN, model: 'anything' }).allowed).toBe(true);
    expect(can(as(ADMIN_ROLE), 'schema.edit', { environment: MAIN })).toMatchObject({ allowed: true, reason: 'ALLOWED' });
    expect(can(as(ADMIN_ROLE), 'upload.delete', { environment: STAGING, folder: null }).allowed).toBe(true);
  });
  it('Editor may do every record and upload action but holds no flag', () => {
    expect(can(as(EDITOR_ROLE), 'record.publish', { environment: STAGING, model: 'article' }).allowed).toBe(true);
    expect(can(as(EDITOR_ROLE), 'upload.create', { environment: MAIN, folder: folder('legal') }).allowed).toBe(true);
    expect(can(as(EDITOR_ROLE), 'schema.edit', {})).toMatchObject({ allowed: false, reason: 'FLAG_MISSING' });
    expect(can(as(EDITOR_ROLE), 'apiTokens.manage', {}).message).toContain('canManageApiTokens');
  });
});

describe('deny by default and deny beats allow', () => {
  it('refuses with NO_ALLOW_RULE when no rule matches', () => {
    const d = can(as(role({})), 'record.read', { environment: MAIN, model: 'article' });
    expect(d).toMatchObject({ allowed: false, reason: 'NO_ALLOW_RULE' });
    expect(d.message).toContain('read records of model "article"');
  });
  it('refuses with DENIED_BY_RULE when a deny matches, whatever allows', () => {
    const r = role({ recordRules: [recordRule({ actions: ['read', 'delete'] }), recordRule({ effect: 'deny', models: ['article'], actions: ['delete'] })] });
    expect(can(as(r), 'record.delete', { environment: MAIN, model: 'article' })).toMatchObject({ allowed: false, reason: 'DENIED_BY_RULE' });
    expect(can(as(r), 'record.delete', { environment: MAIN, model: 'author' }).allowed).toBe(true);
  });
});

describe('models', () => {
  it("models: 'all' covers models created later", () => {
    const r = role({ recordRules: [recordRule({ actions: ['read'] })] });
    expect(can(as(r), 'record.read', { environment: MAIN, model: 'model-added-tomorrow' }).allowed).toBe(true);
  });
  it('a model list covers only the models named', () => {
    const r = role({ recordRules: [recordRule({ models: ['author'], actions: ['read'] })] });
    expect(can(as(r), 'record.read', { environment: MAIN, model: 'author' }).allowed).toBe(true);
    expect(can(as(r), 'record.read', { environment: MAIN, model: 'article' }).allowed).toBe(false);
  });
});

describe('per-cell checks (the translator)', () => {
  const t = as(TRANSLATOR_FR);
  const upd = (cells: Cell[]) => can(t, 'record.update', { environment: MAIN, model: 'article', createdBy: 'someone', cells });
  it('permits title.fr and nothing else', () => {
    expect(upd([cell('title', 'fr')]).allowed).toBe(true);
    expect(upd([cell('title', 'fr'), cell('body', 'fr')]).allowed).toBe(true);
    expect(upd([cell('title', 'en')])).toMatchObject({ allowed: false, reason: 'NO_ALLOW_RULE', cell: 'title.en' });
    expect(upd([cell('slug')])).toMatchObject({ allowed: false, cell: 'slug' });
  });
  it('refuses a write whole when one cell is forbidden', () => {
    expect(upd([cell('title', 'fr'), cell('title', 'de'), cell('body', 'fr')])).toMatchObject({ allowed: false, cell: 'title.de' });
  });
  it('a rule narrowed to cells grants no record-level action', () => {
    expect(can(t, 'record.update', { environment: MAIN, model: 'article' }).allowed).toBe(false);
    expect(can(t, 'record.publish', { environment: MAIN, model: 'article' }).allowed).toBe(false);
    expect(can(t, 'record.create', { environment: MAIN, model: 'article', cells: [cell('title', 'fr')] }).allowed).toBe(false);
    expect(can(t, 'record.delete', { environment: MAIN, model: 'article' }).allowed).toBe(false);
  });
  it('not_localized scope reaches only non-localized cells; locales do not narrow them', () => {
    const r = role({ recordRules: [recordRule({ actions: ['update'], localizationScope: 'not_localized', locales: ['fr'] })] });
    expect(can(as(r), 'record.update', { environment: MAIN, model: 'article', cells: [cell('slug')] }).allowed).toBe(true);
    expect(can(as(r), 'record.update', { environment: MAIN, model: 'article', cells: [cell('title', 'fr')] }).allowed).toBe(false);
  });
  it('a deny on one locale wins over an allow on every cell', () => {
    const r = role({
      recordRules: [recordRule({ actions: ['update'] }), recordRule({ effect: 'deny', actions: ['update'], localizationScope: 'localized', locales: ['de'] })],
    });
    expect(can(as(r), 'record.update', { environment: MAIN, model: 'article', cells: [cell('title', 'en'), cell('slug')] }).allowed).toBe(true);
    expect(can(as(r), 'record.update', { environment: MAIN, model: 'article', cells: [cell('title', 'de')] })).toMatchObject({
      allowed: false,
      reason: 'DENIED_BY_RULE',
      cell: 'title.de',
    });
  });
});

describe('environments', () => {
  it('primary_only keeps a role out of sandboxes', () => {
    expect(can(as(TRANSLATOR_FR), 'record.read', { environment: STAGING, model: 'article' })).toMatchObject({
      allowed: false,
      reason: 'ENVIRONMENT_NOT_ALLOWED',
    });
    expect(can(as(TRANSLATOR_FR), 'environment.access', { environment: MAIN }).allowed).toBe(true);
  });
  it('sandbox_only keeps a role, and its flags, out of the primary environment', () => {
    const dev = as(SANDBOX_DEVELOPER);
    expect(can(dev, 'record.read', { environment: MAIN, model: 'article' }).reason).toBe('ENVIRONMENT_NOT_ALLOWED');
    expect(can(dev, 'schema.edit', { environment: MAIN }).allowed).toBe(false);
    expect(can(dev, 'schema.edit', { environment: STAGING }).allowed).toBe(true);
    expect(can(dev, 'record.delete', { environment: STAGING, model: 'article' }).allowed).toBe(true);
  });
  it('none reaches no environment', () => {
    const r = role({ environmentsAccess: 'none', recordRules: [recordRule({ actions: ['read'] })] });
    expect(can(as(r), 'environment.access', { environment: MAIN }).allowed).toBe(false);
    expect(can(as(r), 'environment.access', { environment: STAGING }).allowed).toBe(false);
  });
  it('a rule bound to one environment does not reach another', () => {
    const r = role({ recordRules: [recordRule({ actions: ['read'], environment: 'staging' })] });
    expect(can(as(r), 'record.read', { environment: STAGING, model: 'article' }).allowed).toBe(true);
    expect(can(as(r), 'record.read', { environment: MAIN, model: 'article' }).reason).toBe('NO_ALLOW_RULE');
  });
});

describe('onCreator', () => {
  const r = role({ recordRules: [recordRule({ actions: ['read'] }), recordRule({ actions: ['update', 'delete', 'create'], onCreator: 'self' })] });
  it('self matches only records the principal created, and every create', () => {
    expect(can(as(r, 'u1'), 'record.delete', { environment: MAIN, model: 'article', createdBy: 'u1' }).allowed).toBe(true);
    expect(can(as(r, 'u1'), 'record.delete', { environment: MAIN, model: 'article', createdBy: 'u2' }).allowed).toBe(false);
    expect(can(as(r, 'u1'), 'record.create', { environment: MAIN, model: 'article', cells: [cell('slug')] }).allowed).toBe(true);
  });
  it('a principal without a user is nobody’s creator', () => {
    expect(can(as(r, null), 'record.update', { environment: MAIN, model: 'article', createdBy: null }).allowed).toBe(false);
    expect(can(as(r, null), 'record.create', { environment: MAIN, model: 'article' }).allowed).toBe(false);
  });
});

describe('folders', () => {
  const m = as(MEDIA_MANAGER);
  it('a rule on a folder covers its subfolders, and no other folder', () => {
    expect(can(m, 'upload.create', { environment: MAIN, folder: folder('marketing') }).allowed).toBe(true);
    expect(can(m, 'upload.create', { environment: MAIN, folder: folder('campaigns') }).allowed).toBe(true);
    expect(can(m, 'upload.create', { environment: MAIN, folder: folder('legal') })).toMatchObject({ allowed: false, reason: 'NO_ALLOW_RULE' });
    expect(can(m, 'upload.create', { environment: MAIN, folder: null }).allowed).toBe(false);
  });
  it('a deny on a parent folder beats an allow on its child', () => {
    const r = role({
      uploadRules: [
        { effect: 'allow', actions: ['create'], folders: ['campaigns'], environment: 'all' },
        { effect: 'deny', actions: ['create'], folders: ['marketing'], environment: 'all' },
      ],
    });
    expect(can(as(r), 'upload.create', { environment: MAIN, folder: folder('campaigns') }).reason).toBe('DENIED_BY_RULE');
  });
  it('the media manager is kept to the primary environment', () => {
    expect(can(m, 'upload.read', { environment: STAGING, folder: folder('marketing') }).reason).toBe('ENVIRONMENT_NOT_ALLOWED');
  });
});

describe('API tokens never exceed the role', () => {
  it('read_only tokens may only read', () => {
    const p = as(ADMIN_ROLE, 'u1', { kind: 'read_only' });
    expect(can(p, 'record.read', { environment: MAIN, model: 'article' }).allowed).toBe(true);
    expect(can(p, 'record.update', { environment: MAIN, model: 'article', cells: [cell('slug')] })).toMatchObject({ allowed: false, reason: 'TOKEN_READ_ONLY' });
    expect(can(p, 'schema.edit', {}).reason).toBe('TOKEN_READ_ONLY');
  });
  it('full_access tokens carry the role, no more', () => {
    const p = as(TRANSLATOR_FR, 'u1', { kind: 'full_access' });
    expect(can(p, 'record.update', { environment: MAIN, model: 'article', cells: [cell('title', 'fr')] }).allowed).toBe(true);
    expect(can(p, 'record.update', { environment: MAIN, model: 'article', cells: [cell('title', 'en')] }).allowed).toBe(false);
    expect(can(as(ADMIN_ROLE, 'u1', { kind: 'full_access' }), 'schema.edit', {}).allowed).toBe(true);
  });
  it('custom tokens are the intersection of their rules and the role', () => {
    const token = {
      kind: 'custom' as const,
      environments: ['staging'],
      recordRules: [recordRule({ actions: ['read', 'update'], models: ['article'] })],
      uploadRules: [],
    };
    const p = as(EDITOR_ROLE, 'u1', token);
    expect(can(p, 'record.update', { environment: STAGING, model: 'article', cells: [cell('slug')] }).allowed).toBe(true);
    expect(can(p, 'record.update', { environment: MAIN, model: 'article', cells: [cell('slug')] }).reason).toBe('TOKEN_ENVIRONMENT_NOT_ALLOWED');
    expect(can(p, 'record.delete', { environment: STAGING, model: 'article' }).reason).toBe('TOKEN_NO_ALLOW_RULE');
    expect(can(p, 'upload.read', { environment: STAGING, folder: null }).reason).toBe('TOKEN_NO_ALLOW_RULE');
    expect(can(p, 'schema.edit', {}).reason).toBe('TOKEN_HAS_NO_FLAGS');
    const denying = as(EDITOR_ROLE, 'u1', { ...token, recordRules: [...token.recordRules, recordRule({ effect: 'deny', actions: ['update'] })] });
    expect(can(denying, 'record.update', { environment: STAGING, model: 'article', cells: [cell('slug')] }).reason).toBe('TOKEN_DENIED_BY_RULE');
    const wide = as(TRANSLATOR_FR, 'u1', { ...token, environments: 'all', recordRules: [recordRule({ actions: ['update', 'delete'] })] });
    expect(can(wide, 'record.delete', { environment: MAIN, model: 'article' }).reason).toBe('NO_ALLOW_RULE');
  });
  it('token environment scopes primary_only and sandbox_only', () => {
    const scoped = (environments: 'primary_only' | 'sandbox_only') => as(EDITOR_ROLE, 'u1', { kind: 'custom', environments, recordRules: [recordRule({})], uploadRules: [] });
    expect(can(scoped('primary_only'), 'record.read', { environment: STAGING, model: 'a' }).reason).toBe('TOKEN_ENVIRONMENT_NOT_ALLOWED');
    expect(can(scoped('sandbox_only'), 'record.read', { environment: MAIN, model: 'a' }).reason).toBe('TOKEN_ENVIRONMENT_NOT_ALLOWED');
    expect(can(scoped('sandbox_only'), 'record.read', { environment: STAGING, model: 'a' }).allowed).toBe(true);
  });
});
