import type { Principal } from '../domain/principal';
import type { EnvironmentRef } from '../domain/project';
import type { RecordAction, RecordRule, UploadAction, UploadRule } from '../domain/role';
import {
  CELL_ACTIONS,
  FLAG_ACTIONS,
  cellKey,
  isFlagAction,
  isRecordAction,
  isUploadAction,
  type Action,
  type FlagResource,
  type RecordResource,
  type ResourceFor,
  type UploadResource,
} from './actions';
import {
  recordRuleMatches,
  roleReachesEnvironment,
  tokenReachesEnvironment,
  uploadRuleMatches,
  verdict,
  type RecordMatchContext,
  type RuleTarget,
} from './rules';

export type DecisionReason =
  | 'ALLOWED'
  | 'ENVIRONMENT_NOT_ALLOWED'
  | 'TOKEN_ENVIRONMENT_NOT_ALLOWED'
  | 'TOKEN_READ_ONLY'
  | 'TOKEN_HAS_NO_FLAGS'
  | 'FLAG_MISSING'
  | 'NO_ALLOW_RULE'
  | 'DENIED_BY_RULE'
  | 'TOKEN_NO_ALLOW_RULE'
  | 'TOKEN_DENIED_BY_RULE';

export interface Decision {
  allowed: boolean;
  reason: DecisionReason;
  /** A sentence for people: what was refused and why. */
  message: string;
  /** For refused cell writes: the first forbidden cell (`title.en`). */
  cell?: string;
}

const allow: Decision = Object.freeze({ allowed: true, reason: 'ALLOWED', message: 'allowed' });
const deny = (reason: DecisionReason, message: string, cell?: string): Decision =>
  cell === undefined ? { allowed: false, reason, message } : { allowed: false, reason, message, cell };

/** A token may only read; these are the actions that count as reading. */
const READ_ACTIONS: ReadonlySet<Action> = new Set<Action>(['record.read', 'upload.read', 'environment.access']);

function environmentGate(p: Principal, env: EnvironmentRef): Decision | null {
  if (!roleReachesEnvironment(p.role.environmentsAccess, env)) {
    return deny('ENVIRONMENT_NOT_ALLOWED', `role "${p.role.name}" may not work in environment "${env.id}"`);
  }
  if (p.token?.kind === 'custom' && !tokenReachesEnvironment(p.token.environments, env)) {
    return deny('TOKEN_ENVIRONMENT_NOT_ALLOWED', `this API token is not scoped to environment "${env.id}"`);
  }
  return null;
}

function targetsOf(action: RecordAction, r: RecordResource): RuleTarget[] {
  if (!CELL_ACTIONS.includes(action) || !r.cells || r.cells.length === 0) return [{ kind: 'record' }];
  return r.cells.map((cell) => ({ kind: 'cell', cell }));
}

function describe(action: string, target: RuleTarget, model: string): string {
  return target.kind === 'cell' ? `${action} ${cellKey(target.cell)} of model "${model}"` : `${action} records of model "${model}"`;
}

function checkRecordRules(
  rules: readonly RecordRule[],
  ctx: RecordMatchContext,
  targets: RuleTarget[],
  who: string,
  fromToken: boolean,
): Decision | null {
  for (const target of targets) {
    const v = verdict(rules, (rule) => recordRuleMatches(rule, ctx, target));
    if (v === 'allow') continue;
    const cell = target.kind === 'cell' ? cellKey(target.cell) : undefined;
    const what = describe(ctx.action, target, ctx.model);
    if (v === 'deny') return deny(fromToken ? 'TOKEN_DENIED_BY_RULE' : 'DENIED_BY_RULE', `${who} is denied: ${what}`, cell);
    return deny(fromToken ? 'TOKEN_NO_ALLOW_RULE' : 'NO_ALLOW_RULE', `${who} has no rule that allows: ${what}`, cell);
  }
  return null;
}

function canRecord(p: Principal, action: RecordAction, r: RecordResource): Decision {
  const ctx: RecordMatchContext = {
    action,
    model: r.model,
    environment: r.environment,
    isCreator: p.userId !== null && (action === 'create' || r.createdBy === p.userId),
  };
  const targets = targetsOf(action, r);
  return (
    checkRecordRules(p.role.recordRules, ctx, targets, `role "${p.role.name}"`, false) ??
    (p.token?.kind === 'custom' ? checkRecordRules(p.token.recordRules, ctx, targets, 'this API token', true) : null) ??
    allow
  );
}

function checkUploadRules(rules: readonly UploadRule[], action: UploadAction, r: UploadResource, who: string, fromToken: boolean): Decision | null {
  const v = verdict(rules, (rule) => uploadRuleMatches(rule, { action, environment: r.environment, folder: r.folder }));
  if (v === 'allow') return null;
  const where = r.folder === null ? 'the media library root' : `folder "${r.folder.id}"`;
  if (v === 'deny') return deny(fromToken ? 'TOKEN_DENIED_BY_RULE' : 'DENIED_BY_RULE', `${who} is denied: ${action} uploads in ${where}`);
  return deny(fromToken ? 'TOKEN_NO_ALLOW_RULE' : 'NO_ALLOW_RULE', `${who} has no rule that allows: ${action} uploads in ${where}`);
}

function canUpload(p: Principal, action: UploadAction, r: UploadResource): Decision {
  return (
    checkUploadRules(p.role.uploadRules, action, r, `role "${p.role.name}"`, false) ??
    (p.token?.kind === 'custom' ? checkUploadRules(p.token.uploadRules, action, r, 'this API token', true) : null) ??
    allow
  );
}

/**
 * The one authorization decision of Inkstone: the server enforces with it, and the
 * effective permissions the client draws with are derived from the same rules.
 * Deny by default; a deny rule beats any allow; a token never exceeds its user's role.
 */
export function can<A extends Action>(principal: Principal, action: A, resource: ResourceFor<A>): Decision {
  if (principal.token?.kind === 'read_only' && !READ_ACTIONS.has(action)) {
    return deny('TOKEN_READ_ONLY', `this API token is read-only and may not ${action}`);
  }
  const env = (resource as { environment?: EnvironmentRef }).environment;
  if (env) {
    const gate = environmentGate(principal, env);
    if (gate) return gate;
  }
  if (isRecordAction(action)) {
    return canRecord(principal, action.slice('record.'.length) as RecordAction, resource as RecordResource);
  }
  if (isUploadAction(action)) {
    return canUpload(principal, action.slice('upload.'.length) as UploadAction, resource as UploadResource);
  }
  if (isFlagAction(action)) {
    void (resource as FlagResource);
    if (principal.token && principal.token.kind !== 'full_access') {
      return deny('TOKEN_HAS_NO_FLAGS', `this API token may not ${action}; only full-access tokens may`);
    }
    const flag = FLAG_ACTIONS[action];
    if (!principal.role.flags[flag]) return deny('FLAG_MISSING', `role "${principal.role.name}" lacks ${flag}`);
    return allow;
  }
  // environment.access: the gate above has decided.
  return allow;
}
