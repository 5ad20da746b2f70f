import type { RequestContext } from '../context';
import type { EnvironmentRow } from './project';
import { acceptsAsset, assetKind, type Model, type Values } from '../../shared/domain';

/**
 * The asset cells of a write, checked against the assets they name: each must be an asset of
 * this environment that the writer may read, of a kind its field accepts (`assetTypes`). The
 * shared value rules (checkValues) see only an id; what it names is known here. An asset the
 * writer may not read is answered exactly as one that does not exist. Problems are keyed by
 * cell, as checkValues keys them; empty when every asset cell is right.
 */
export function assetCellProblems(ctx: RequestContext, env: EnvironmentRow, model: Model, values: Values): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of model.fields) {
    if (field.type !== 'asset' || !Object.hasOwn(values, field.apiKey)) continue;
    const raw = values[field.apiKey];
    const cells: [string, unknown][] = field.localized
      ? Object.entries((raw ?? {}) as Record<string, unknown>).map(([locale, id]) => [`${field.apiKey}.${locale}`, id])
      : [[field.apiKey, raw]];
    for (const [key, id] of cells) {
      if (typeof id !== 'string') continue;
      const asset = ctx.db
        .prepare('SELECT folder_id AS folder, filename, mime_type AS mimeType FROM assets WHERE project_id = ? AND environment = ? AND id = ?')
        .get(ctx.project().id, env.id, id) as { folder: string; filename: string; mimeType: string } | undefined;
      if (!asset || !ctx.decide('upload.read', { environment: env, folder: ctx.folderRef(env.id, asset.folder) }).allowed) {
        problems[key] = `no asset "${id}" in ${env.id}`;
      } else if (!acceptsAsset(field.validators.assetTypes, asset.mimeType)) {
        problems[key] = `takes ${field.validators.assetTypes!.join(' or ')} files; ${asset.filename} is ${assetKind(asset.mimeType)}`;
      }
    }
  }
  return problems;
}
