import { roleSchema, type Role } from '../../shared/domain';
import type { Db } from '../store/db';
import { invalid } from '../errors';

type EnvRule = { environment: string };

/**
 * A fork starts with the access each role had to its origin (as DatoCMS copies
 * environment-specific permissions): every rule naming the source gets a twin naming the
 * fork. Rules for 'all' already cover it; other environments' rules stay as they are.
 */
export function forkRoleRules(role: Role, from: string, to: string): Role {
  const twin = <R extends EnvRule>(rules: R[]): R[] => [...rules, ...rules.filter((r) => r.environment === from).map((r) => ({ ...r, environment: to }))];
  return { ...role, recordRules: twin(role.recordRules), uploadRules: twin(role.uploadRules) };
}

/** A deleted environment's rules go with it, so a later environment of the same id starts clean. */
export function dropRoleRules(role: Role, env: string): Role {
  const keep = <R extends EnvRule>(rules: R[]): R[] => rules.filter((r) => r.environment !== env);
  return { ...role, recordRules: keep(role.recordRules), uploadRules: keep(role.uploadRules) };
}

/** Applies a rewrite to every custom role of a project, inside the caller's transaction. */
export function rewriteRoles(db: Db, projectId: string, rewrite: (role: Role) => Role): void {
  const rows = db.prepare('SELECT definition FROM roles WHERE project_id = ? AND built_in = 0').all(projectId) as { definition: string }[];
  const update = db.prepare('UPDATE roles SET definition = ? WHERE project_id = ? AND id = ?');
  for (const row of rows) {
    const role = roleSchema.parse(JSON.parse(row.definition));
    const next = roleSchema.safeParse(rewrite(role));
    // The rule cap holds here too: the whole change is refused rather than a role left short.
    if (!next.success) invalid(`role "${role.name}" would hold more rules than a role may`, { role: role.id });
    const json = JSON.stringify(next.data);
    if (json !== row.definition) update.run(json, projectId, role.id);
  }
}
