import type { RequestContext } from '../context';
import { environmentIdSchema } from '../../shared/domain';
import { fail, forbidden, invalid } from '../errors';
import { nowIso, type Db } from '../store/db';
import { audit } from '../audit';
import { dropRoleRules, forkRoleRules, rewriteRoles } from './environment-role-rules';

export function environments(ctx: RequestContext) {
  const envs = ctx.environments();
  return envs.filter((e) => ctx.decide('environment.access', { environment: e }).allowed);
}

const COPY_TABLES = ['models', 'records', 'record_versions', 'folders', 'assets'] as const;

export function forkEnvironment(db: Db, projectId: string, from: string, id: string): void {
  db.transaction(() => {
    const seq = (db.prepare('SELECT seq FROM environments WHERE project_id = ? AND id = ?').get(projectId, from) as { seq: number }).seq;
    db.prepare('INSERT INTO environments (project_id, id, is_primary, forked_from, created_at, seq) VALUES (?, ?, 0, ?, ?, ?)').run(projectId, id, from, nowIso(), seq);
    for (const table of COPY_TABLES) {
      const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'environment');
      db.prepare(`INSERT INTO ${table} (environment, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM ${table} WHERE project_id = ? AND environment = ?`).run(
        id,
        projectId,
        from,
      );
    }
    rewriteRoles(db, projectId, (role) => forkRoleRules(role, from, id));
  })();
}

/** A sandbox forked from another environment: schema, records, versions, folders, asset metadata, and role rules naming the source. */
export function createEnvironment(ctx: RequestContext, args: { id: string; from: string }) {
  const id = environmentIdSchema.safeParse(args.id);
  if (!id.success) invalid(`environment id ${id.error.issues[0]?.message}`, { id: id.error.issues[0]?.message ?? 'invalid' });
  const from = ctx.environment(args.from);
  const target = { id: args.id, primary: false };
  ctx.require('environments.manage', { environment: target });
  if (ctx.environments().some((e) => e.id === args.id)) fail('CONFLICT', `environment "${args.id}" already exists`);
  forkEnvironment(ctx.db, ctx.project().id, from.id, args.id);
  ctx.invalidate();
  audit(ctx, { environment: args.id, action: 'environment.fork', targetType: 'environment', targetId: args.id, details: { from: from.id } });
  return ctx.environments().find((e) => e.id === args.id)!;
}

/** The sandbox becomes primary; the old primary becomes a sandbox. */
export function promoteEnvironment(ctx: RequestContext, args: { id: string }) {
  const env = ctx.environment(args.id);
  const primary = ctx.environments().find((e) => e.primary);
  ctx.require('environments.promote', {});
  if (env.primary) return env;
  if (primary && !ctx.decide('environment.access', { environment: primary }).allowed) {
    forbidden('promoting replaces the primary environment, which this role may not reach', 'ENVIRONMENT_NOT_ALLOWED');
  }
  ctx.db.transaction(() => {
    ctx.db.prepare('UPDATE environments SET is_primary = 0 WHERE project_id = ?').run(ctx.project().id);
    ctx.db.prepare('UPDATE environments SET is_primary = 1 WHERE project_id = ? AND id = ?').run(ctx.project().id, env.id);
  })();
  ctx.invalidate();
  audit(ctx, { environment: env.id, action: 'environment.promote', targetType: 'environment', targetId: env.id, details: { previousPrimary: primary?.id } });
  return ctx.environments().find((e) => e.id === env.id)!;
}

export function deleteEnvironment(ctx: RequestContext, args: { id: string }): boolean {
  const env = ctx.environment(args.id);
  ctx.require('environments.manage', { environment: env });
  if (env.primary) fail('CONFLICT', 'the primary environment cannot be deleted; promote another one first');
  const p = ctx.project().id;
  ctx.db.transaction(() => {
    for (const table of COPY_TABLES) ctx.db.prepare(`DELETE FROM ${table} WHERE project_id = ? AND environment = ?`).run(p, env.id);
    ctx.db.prepare('DELETE FROM environments WHERE project_id = ? AND id = ?').run(p, env.id);
    rewriteRoles(ctx.db, p, (role) => dropRoleRules(role, env.id));
  })();
  ctx.invalidate();
  audit(ctx, { environment: env.id, action: 'environment.delete', targetType: 'environment', targetId: env.id });
  return true;
}

