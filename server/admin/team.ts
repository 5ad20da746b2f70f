import { z } from 'zod';
import type { RequestContext } from '../context';
import { roleInputSchema, formatIssues, type Role } from '../../shared/domain';
import { isBuiltInRoleId } from '../../shared/permissions';
import { fail, forbidden, invalid, notFound } from '../errors';
import { listRoles, loadRole } from '../content/project';
import { newId, newSecret } from '../auth/secrets';
import { nowIso } from '../store/db';
import { audit } from '../audit';

const roleOut = (r: Role) => ({ id: r.id, name: r.name, builtIn: r.builtIn, definition: r });

export function roles(ctx: RequestContext) {
  ctx.require('collaborators.manage', {});
  return listRoles(ctx.db, ctx.project().id).map(roleOut);
}

function parseRole(input: unknown): z.infer<typeof roleInputSchema> {
  const r = roleInputSchema.safeParse(input);
  if (!r.success) {
    const problems = formatIssues(r.error, 'role');
    return invalid(`invalid role: ${problems.join('; ')}`, Object.fromEntries(problems.map((p) => [p.split(':')[0] ?? 'role', p])));
  }
  return r.data;
}

export function createRole(ctx: RequestContext, args: { input: unknown }) {
  ctx.require('collaborators.manage', {});
  const input = parseRole(args.input);
  const role: Role = { id: newId(), builtIn: false, ...input };
  ctx.db.prepare('INSERT INTO roles (project_id, id, name, built_in, definition) VALUES (?, ?, ?, 0, ?)').run(ctx.project().id, role.id, role.name, JSON.stringify(role));
  audit(ctx, { action: 'role.create', targetType: 'role', targetId: role.id, details: { name: role.name } });
  return roleOut(role);
}

export function updateRole(ctx: RequestContext, args: { id: string; input: unknown }) {
  ctx.require('collaborators.manage', {});
  if (isBuiltInRoleId(args.id)) forbidden(`built-in role "${args.id}" cannot be changed`, 'BUILT_IN_ROLE');
  if (!loadRole(ctx.db, ctx.project().id, args.id)) notFound(`role "${args.id}"`);
  const input = parseRole(args.input);
  const role: Role = { id: args.id, builtIn: false, ...input };
  ctx.db.prepare('UPDATE roles SET name = ?, definition = ? WHERE project_id = ? AND id = ?').run(role.name, JSON.stringify(role), ctx.project().id, role.id);
  audit(ctx, { action: 'role.update', targetType: 'role', targetId: role.id, details: { name: role.name } });
  return roleOut(role);
}

export function deleteRole(ctx: RequestContext, args: { id: string }): boolean {
  ctx.require('collaborators.manage', {});
  if (isBuiltInRoleId(args.id)) forbidden(`built-in role "${args.id}" cannot be deleted`, 'BUILT_IN_ROLE');
  if (!loadRole(ctx.db, ctx.project().id, args.id)) notFound(`role "${args.id}"`);
  const inUse = ctx.db.prepare('SELECT COUNT(*) AS n FROM users WHERE role_id = ? AND removed_at IS NULL AND project_id = ?').get(args.id, ctx.project().id) as { n: number };
  if (inUse.n > 0) fail('CONFLICT', `role is held by ${inUse.n} collaborator(s); give them another role first`);
  ctx.db.prepare('DELETE FROM roles WHERE project_id = ? AND id = ?').run(ctx.project().id, args.id);
  audit(ctx, { action: 'role.delete', targetType: 'role', targetId: args.id });
  return true;
}

export function collaborators(ctx: RequestContext) {
  ctx.require('collaborators.manage', {});
  const rows = ctx.db
    .prepare('SELECT id, email, name, role_id AS roleId, totp_secret IS NOT NULL AS tfa FROM users WHERE project_id = ? AND removed_at IS NULL ORDER BY email')
    .all(ctx.project().id) as { id: string; email: string; name: string; roleId: string; tfa: number }[];
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, roleId: r.roleId, twoFactorEnabled: r.tfa === 1 }));
}

const emailSchema = z.email().max(320);

export function inviteCollaborator(ctx: RequestContext, args: { email: string; role: string }) {
  ctx.require('collaborators.manage', {});
  const email = emailSchema.safeParse(args.email.trim().toLowerCase());
  if (!email.success) invalid('email is not a valid address', { email: 'invalid email' });
  if (!loadRole(ctx.db, ctx.project().id, args.role)) notFound(`role "${args.role}"`);
  if (ctx.db.prepare('SELECT 1 FROM users WHERE email = ?').get(email.data)) fail('CONFLICT', `${email.data} already has an account`);
  const { secret, hash } = newSecret('ink_i');
  ctx.db
    .prepare('INSERT INTO invitations (token_hash, project_id, email, role_id, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(hash, ctx.project().id, email.data, args.role, ctx.requireViewer().user?.id ?? '', nowIso(), new Date(Date.now() + 7 * 86_400_000).toISOString());
  audit(ctx, { action: 'collaborator.invite', targetType: 'invitation', targetId: email.data!, details: { role: args.role } });
  // The token is shown once; the server keeps only its hash.
  return { email: email.data!, token: secret };
}

function collaborator(ctx: RequestContext, userId: string) {
  const row = ctx.db.prepare('SELECT id, role_id AS roleId FROM users WHERE id = ? AND project_id = ? AND removed_at IS NULL').get(userId, ctx.project().id) as
    | { id: string; roleId: string }
    | undefined;
  return row ?? notFound(`collaborator "${userId}"`);
}

function adminsLeft(ctx: RequestContext, exceptUserId: string): number {
  const r = ctx.db
    .prepare("SELECT COUNT(*) AS n FROM users WHERE project_id = ? AND role_id = 'admin' AND removed_at IS NULL AND id != ?")
    .get(ctx.project().id, exceptUserId) as { n: number };
  return r.n;
}

export function changeCollaboratorRole(ctx: RequestContext, args: { userId: string; role: string }) {
  ctx.require('collaborators.manage', {});
  const user = collaborator(ctx, args.userId);
  if (!loadRole(ctx.db, ctx.project().id, args.role)) notFound(`role "${args.role}"`);
  if (user.roleId === 'admin' && args.role !== 'admin' && adminsLeft(ctx, user.id) === 0) fail('CONFLICT', 'the project must keep at least one Admin');
  ctx.db.prepare('UPDATE users SET role_id = ? WHERE id = ?').run(args.role, user.id);
  audit(ctx, { action: 'collaborator.changeRole', targetType: 'user', targetId: user.id, details: { from: user.roleId, to: args.role } });
  return true;
}

export function removeCollaborator(ctx: RequestContext, args: { userId: string }): boolean {
  ctx.require('collaborators.manage', {});
  const user = collaborator(ctx, args.userId);
  if (user.roleId === 'admin' && adminsLeft(ctx, user.id) === 0) fail('CONFLICT', 'the project must keep at least one Admin');
  ctx.db.transaction(() => {
    ctx.db.prepare('UPDATE users SET removed_at = ? WHERE id = ?').run(nowIso(), user.id);
    // Removal revokes every way in: sessions and API tokens alike.
    ctx.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
    ctx.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(user.id);
  })();
  audit(ctx, { action: 'collaborator.remove', targetType: 'user', targetId: user.id });
  return true;
}
