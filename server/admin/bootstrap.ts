import type { Db } from '../store/db';
import { nowIso } from '../store/db';
import { hashPassword, passwordProblems } from '../auth/passwords';
import { newId } from '../auth/secrets';
import { projectSchema, type Role } from '../../shared/domain';

export interface NewProject {
  name: string;
  locales: string[];
  adminEmail: string;
  adminName: string;
  adminPassword: string;
  id?: string;
}

/** A project with its primary environment `main` and its first Admin. For the CLI and the demo. */
export async function createProject(db: Db, input: NewProject): Promise<{ projectId: string; adminId: string }> {
  const problem = passwordProblems(input.adminPassword);
  if (problem) throw new Error(`admin password ${problem}`);
  const project = projectSchema.parse({ id: input.id ?? newId(), name: input.name, locales: input.locales });
  const passwordHash = await hashPassword(input.adminPassword);
  const adminId = newId();
  db.transaction(() => {
    db.prepare('INSERT INTO projects (id, name, locales, timezone, require_two_factor, created_at) VALUES (?, ?, ?, ?, 0, ?)').run(
      project.id,
      project.name,
      JSON.stringify(project.locales),
      project.timezone,
      nowIso(),
    );
    db.prepare("INSERT INTO environments (project_id, id, is_primary, forked_from, created_at, seq) VALUES (?, 'main', 1, NULL, ?, 0)").run(project.id, nowIso());
    db.prepare("INSERT INTO users (id, project_id, email, name, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?, 'admin', ?)").run(
      adminId,
      project.id,
      input.adminEmail.toLowerCase(),
      input.adminName,
      passwordHash,
      nowIso(),
    );
  })();
  return { projectId: project.id, adminId };
}

export function insertRole(db: Db, projectId: string, role: Role): void {
  db.prepare('INSERT INTO roles (project_id, id, name, built_in, definition) VALUES (?, ?, ?, 0, ?)').run(projectId, role.id, role.name, JSON.stringify(role));
}

export async function insertUser(db: Db, projectId: string, u: { email: string; name: string; password: string; roleId: string }): Promise<string> {
  const id = newId();
  db.prepare('INSERT INTO users (id, project_id, email, name, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    projectId,
    u.email.toLowerCase(),
    u.name,
    await hashPassword(u.password),
    u.roleId,
    nowIso(),
  );
  return id;
}
