import type { EnvironmentRef } from '../domain/project';
import type { EnvironmentsAccess, RecordAction, RecordRule, UploadAction, UploadRule } from '../domain/role';
import type { TokenEnvironmentScope } from '../domain/token';
import type { FolderRef } from '../domain/asset';
import type { Cell } from './actions';

export function roleReachesEnvironment(access: EnvironmentsAccess, env: EnvironmentRef): boolean {
  switch (access) {
    case 'all':
      return true;
    case 'primary_only':
      return env.primary;
    case 'sandbox_only':
      return !env.primary;
    case 'none':
      return false;
  }
}

export function tokenReachesEnvironment(scope: TokenEnvironmentScope, env: EnvironmentRef): boolean {
  if (Array.isArray(scope)) return scope.includes(env.id);
  if (scope === 'all') return true;
  return scope === 'primary_only' ? env.primary : !env.primary;
}

/**
 * What a record rule is asked about: the whole record (read, publish, unpublish, delete,
 * or a create/update without cells) or one field-locale cell (create, update).
 */
export type RuleTarget = { kind: 'record' } | { kind: 'cell'; cell: Cell };

export interface RecordMatchContext {
  action: RecordAction;
  model: string;
  environment: EnvironmentRef;
  isCreator: boolean;
}

function cellInScope(rule: RecordRule, target: RuleTarget): boolean {
  // A rule narrowed to some cells speaks only of those cells: it neither grants nor
  // forbids record-level actions.
  if (target.kind === 'record') return rule.localizationScope === 'all' && rule.locales === 'all';
  const { cell } = target;
  if (!cell.localized) return rule.localizationScope !== 'localized';
  if (rule.localizationScope === 'not_localized') return false;
  return rule.locales === 'all' || (cell.locale !== null && rule.locales.includes(cell.locale));
}

export function recordRuleMatches(rule: RecordRule, ctx: RecordMatchContext, target: RuleTarget): boolean {
  return (
    rule.actions.includes(ctx.action) &&
    (rule.models === 'all' || rule.models.includes(ctx.model)) &&
    (rule.environment === 'all' || rule.environment === ctx.environment.id) &&
    (rule.onCreator === 'anyone' || ctx.isCreator) &&
    cellInScope(rule, target)
  );
}

export interface UploadMatchContext {
  action: UploadAction;
  environment: EnvironmentRef;
  folder: FolderRef | null;
}

export function uploadRuleMatches(rule: UploadRule, ctx: UploadMatchContext): boolean {
  if (!rule.actions.includes(ctx.action)) return false;
  if (rule.environment !== 'all' && rule.environment !== ctx.environment.id) return false;
  if (rule.folders === 'all') return true;
  if (ctx.folder === null) return false;
  const covered = rule.folders;
  return covered.includes(ctx.folder.id) || ctx.folder.ancestors.some((a) => covered.includes(a));
}

export type RuleVerdict = 'allow' | 'deny' | 'none';

/** Deny beats allow; nothing matching is a deny by default ('none'). */
export function verdict<R extends { effect: 'allow' | 'deny' }>(rules: readonly R[], matches: (r: R) => boolean): RuleVerdict {
  let allowed = false;
  for (const rule of rules) {
    if (!matches(rule)) continue;
    if (rule.effect === 'deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}
