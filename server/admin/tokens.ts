import type { RequestContext } from '../context';
import { formatIssues, tokenScopeSchema, type TokenScope } from '../../shared/domain';
import { invalid, notFound } from '../errors';
import { newId, newSecret } from '../auth/secrets';
import { nowIso } from '../store/db';
import { audit } from '../audit';
import { ADMIN_ROLE } from '../../shared/permissions';

interface TokenRow {
  id: string;
  name: string;
  scope: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
}
const tokenOut = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  kind: (JSON.parse(r.scope) as TokenScope).kind,
  scope: JSON.parse(r.scope) as TokenScope,
  userId: r.user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** Admin manages every collaborator's tokens; any other role only its own user's. */
function managesAll(ctx: RequestContext): boolean {
  return ctx.requireViewer().role.id === ADMIN_ROLE.id;
}

export function apiTokens(ctx: RequestContext) {
  ctx.require('apiTokens.manage', {});
  const rows = managesAll(ctx)
    ? (ctx.db.prepare('SELECT * FROM api_tokens WHERE project_id = ? ORDER BY created_at').all(ctx.project().id) as TokenRow[])
    : (ctx.db.prepare('SELECT * FROM api_tokens WHERE project_id = ? AND user_id = ? ORDER BY created_at').all(ctx.project().id, ctx.requireViewer().user?.id ?? '') as TokenRow[]);
  return rows.map(tokenOut);
}

/** A token is made for the caller and bounded by the caller's role (token ∩ role). */
export function createApiToken(ctx: RequestContext, args: { name: string; scope: unknown }) {
  ctx.require('apiTokens.manage', {});
  const name = args.name.trim();
  if (name.length < 1 || name.length > 100) invalid('name must be 1-100 characters', { name: 'invalid' });
  const scope = tokenScopeSchema.safeParse(args.scope);
  if (!scope.success) {
    const problems = formatIssues(scope.error, 'scope');
    invalid(`invalid token scope: ${problems.join('; ')}`, { scope: problems.join('; ') });
  }
  const user = ctx.requireViewer().user;
  if (!user) return notFound('user');
  const { secret, hash } = newSecret('ink_t');
  const id = newId();
  ctx.db
    .prepare('INSERT INTO api_tokens (id, project_id, user_id, name, scope, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, ctx.project().id, user.id, name, JSON.stringify(scope.data), hash, nowIso());
  audit(ctx, { action: 'apiToken.create', targetType: 'apiToken', targetId: id, details: { name, kind: scope.data!.kind } });
  const row = ctx.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow;
  return { token: secret, apiToken: tokenOut(row) };
}

/**
 * A token the caller may manage: its own user's, or (Admin only) anyone's. Another user's
 * token is NOT_FOUND to a non-Admin, so its existence is not told.
 */
function ownToken(ctx: RequestContext, id: string): TokenRow {
  const row = ctx.db.prepare('SELECT * FROM api_tokens WHERE id = ? AND project_id = ?').get(id, ctx.project().id) as TokenRow | undefined;
  if (!row || (row.user_id !== ctx.requireViewer().user?.id && !managesAll(ctx))) return notFound(`API token "${id}"`);
  return row;
}

/** Audit details that say when an Admin acted on someone else's token. */
function ownership(ctx: RequestContext, row: TokenRow): Record<string, unknown> {
  return row.user_id === ctx.requireViewer().user?.id ? {} : { owner: row.user_id, onBehalfOfOwner: true };
}

/** The old secret stops working at once: only the new hash is kept. */
export function rotateApiToken(ctx: RequestContext, args: { id: string }) {
  ctx.require('apiTokens.manage', {});
  const row = ownToken(ctx, args.id);
  const { secret, hash } = newSecret('ink_t');
  ctx.db.prepare('UPDATE api_tokens SET secret_hash = ? WHERE id = ?').run(hash, row.id);
  audit(ctx, { action: 'apiToken.rotate', targetType: 'apiToken', targetId: row.id, details: ownership(ctx, row) });
  return { token: secret, apiToken: tokenOut(ownToken(ctx, row.id)) };
}

export function deleteApiToken(ctx: RequestContext, args: { id: string }): boolean {
  ctx.require('apiTokens.manage', {});
  const row = ownToken(ctx, args.id);
  ctx.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(row.id);
  audit(ctx, { action: 'apiToken.delete', targetType: 'apiToken', targetId: row.id, details: ownership(ctx, row) });
  return true;
}
