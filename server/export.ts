import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './store/db';
import { FileStore } from './uploads/filestore';
import { listEnvironments, listFolders, listModels, listRoles, loadProject } from './content/project';

/**
 * A whole project as JSON plus its files: `project.json` and `files/<sha256>`. Secrets
 * (password hashes, TOTP secrets, token hashes) are never exported.
 */
export function exportProject(db: Db, dataDir: string, projectId: string, outDir: string): { records: number; files: number } {
  const project = loadProject(db, projectId);
  const store = new FileStore(join(dataDir, 'files'));
  mkdirSync(join(outDir, 'files'), { recursive: true });
  const environments = listEnvironments(db, projectId).map((env) => {
    const records = db
      .prepare(
        'SELECT id, model_id AS model, version, published_version AS publishedVersion, status, data, created_at AS createdAt, updated_at AS updatedAt, created_by AS createdBy, updated_by AS updatedBy FROM records WHERE project_id = ? AND environment = ? AND deleted = 0 ORDER BY id',
      )
      .all(projectId, env.id) as { data: string }[];
    const versions = db
      .prepare('SELECT record_id AS recordId, version, data, created_at AS createdAt, created_by AS createdBy FROM record_versions WHERE project_id = ? AND environment = ? ORDER BY record_id, version')
      .all(projectId, env.id) as { data: string }[];
    const assets = db
      .prepare('SELECT id, folder_id AS folder, filename, size, mime_type AS mimeType, sha256, metadata, created_at AS createdAt FROM assets WHERE project_id = ? AND environment = ? ORDER BY id')
      .all(projectId, env.id) as { sha256: string; metadata: string }[];
    return {
      ...env,
      models: listModels(db, projectId, env.id),
      folders: listFolders(db, projectId, env.id),
      records: records.map(({ data, ...r }) => ({ ...r, values: JSON.parse(data) as unknown })),
      versions: versions.map(({ data, ...v }) => ({ ...v, values: JSON.parse(data) as unknown })),
      assets: assets.map(({ metadata, ...a }) => ({ ...a, metadata: JSON.parse(metadata) as unknown })),
    };
  });
  const collaborators = db.prepare('SELECT id, email, name, role_id AS roleId, created_at AS createdAt FROM users WHERE project_id = ? AND removed_at IS NULL').all(projectId);
  const audit = db.prepare('SELECT * FROM audit_log WHERE project_id = ? ORDER BY seq').all(projectId);
  writeFileSync(
    join(outDir, 'project.json'),
    JSON.stringify({ format: 'inkstone-export/1', exportedAt: new Date().toISOString(), project, roles: listRoles(db, projectId), collaborators, environments, audit }, null, 2),
  );
  const shas = new Set(environments.flatMap((e) => e.assets.map((a) => a.sha256)));
  let files = 0;
  for (const sha of shas) {
    if (!existsSync(store.pathOf(sha))) continue;
    copyFileSync(store.pathOf(sha), join(outDir, 'files', sha));
    files++;
  }
  return { records: environments.reduce((n, e) => n + e.records.length, 0), files };
}
