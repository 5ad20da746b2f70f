import { createHash } from 'node:crypto';
import type { Db } from '../store/db';
import { roleSchema, modelSchema, type Model, type Role, type Project } from '../../shared/domain';
import { BUILT_IN_ROLES, canonicalJson, effectivePermissions, type EffectivePermissions } from '../../shared/permissions';
import type { Principal } from '../../shared/domain';
import { notFound } from '../errors';

export interface EnvironmentRow {
  id: string;
  primary: boolean;
  forkedFrom: string | null;
  createdAt: string;
}

export interface FolderRow {
  id: string;
  name: string;
  parentId: string | null;
}

export function loadProject(db: Db, projectId: string): Project {
  const row = db.prepare('SELECT id, name, locales, timezone, require_two_factor FROM projects WHERE id = ?').get(projectId) as
    | { id: string; name: string; locales: string; timezone: string; require_two_factor: number }
    | undefined;
  if (!row) return notFound(`project "${projectId}"`);
  return { id: row.id, name: row.name, locales: JSON.parse(row.locales) as string[], timezone: row.timezone, requireTwoFactor: row.require_two_factor === 1 };
}

export function loadRole(db: Db, projectId: string, roleId: string): Role | null {
  const builtIn = BUILT_IN_ROLES.find((r) => r.id === roleId);
  if (builtIn) return builtIn;
  const row = db.prepare('SELECT definition FROM roles WHERE project_id = ? AND id = ?').get(projectId, roleId) as { definition: string } | undefined;
  return row ? roleSchema.parse(JSON.parse(row.definition)) : null;
}

export function listRoles(db: Db, projectId: string): Role[] {
  const rows = db.prepare('SELECT definition FROM roles WHERE project_id = ? ORDER BY name').all(projectId) as { definition: string }[];
  return [...BUILT_IN_ROLES, ...rows.map((r) => roleSchema.parse(JSON.parse(r.definition)))];
}

export function listEnvironments(db: Db, projectId: string): EnvironmentRow[] {
  const rows = db
    .prepare('SELECT id, is_primary, forked_from, created_at FROM environments WHERE project_id = ? ORDER BY is_primary DESC, id')
    .all(projectId) as { id: string; is_primary: number; forked_from: string | null; created_at: string }[];
  return rows.map((r) => ({ id: r.id, primary: r.is_primary === 1, forkedFrom: r.forked_from, createdAt: r.created_at }));
}

export function listModels(db: Db, projectId: string, environment: string): Model[] {
  const rows = db
    .prepare('SELECT definition FROM models WHERE project_id = ? AND environment = ? ORDER BY position, api_key')
    .all(projectId, environment) as { definition: string }[];
  return rows.map((r) => modelSchema.parse(JSON.parse(r.definition)));
}

export function listFolders(db: Db, projectId: string, environment: string): FolderRow[] {
  return db
    .prepare('SELECT id, name, parent_id AS parentId FROM folders WHERE project_id = ? AND environment = ? ORDER BY name')
    .all(projectId, environment) as FolderRow[];
}

export function folderPath(folders: readonly FolderRow[], id: string): string {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const parts: string[] = [];
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    parts.unshift(cur.name);
    seen.add(cur.id);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return `/${parts.join('/')}`;
}

/**
 * Effective permissions over the whole project: each environment is judged with its own
 * schema and folders, since sandboxes may differ from the primary. (Cached per principal
 * and generation by RequestContext.permissionsOf.)
 */
export function projectPermissions(db: Db, project: Project, principal: Principal): EffectivePermissions {
  const envs = listEnvironments(db, project.id);
  const result = effectivePermissions(principal, { environments: [], models: [], locales: project.locales, folders: [] });
  for (const env of envs) {
    const eff = effectivePermissions(principal, {
      environments: [{ id: env.id, primary: env.primary }],
      models: listModels(db, project.id, env.id),
      locales: project.locales,
      folders: listFolders(db, project.id, env.id),
    });
    Object.assign(result.environments, eff.environments);
  }
  return result;
}

export function fingerprint(eff: EffectivePermissions, role: Role): string {
  return createHash('sha256').update(canonicalJson({ eff, role: role.id })).digest('hex').slice(0, 32);
}
