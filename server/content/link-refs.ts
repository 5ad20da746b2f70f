import type { RequestContext } from '../context';
import type { EnvironmentRow } from './project';
import type { Model, Values } from '../../shared/domain';

/**
 * The link cells of a write, checked against the records they name: a link to a record the
 * writer may read must name one of the models its field takes (`itemTypes`), as DatoCMS's
 * item-types validator does. An id that names no such record is let through, whether it does
 * not exist or the writer may not read it: clients work offline, and a link may name a record
 * created on another computer that has not reached this one, or a new one of this client's
 * sent after the write that links it. Answering both alike keeps the check from telling a
 * writer whether a record they may not read exists or what it is. Keyed by cell, as
 * checkValues keys its problems; empty when every link cell is right.
 */
export function linkCellProblems(ctx: RequestContext, env: EnvironmentRow, model: Model, values: Values): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of model.fields) {
    const takes = field.validators.itemTypes;
    if ((field.type !== 'link' && field.type !== 'links') || !takes?.length || !Object.hasOwn(values, field.apiKey)) continue;
    const raw = values[field.apiKey];
    const cells: [string, unknown][] = field.localized
      ? Object.entries((raw ?? {}) as Record<string, unknown>).map(([locale, v]) => [`${field.apiKey}.${locale}`, v])
      : [[field.apiKey, raw]];
    for (const [key, value] of cells) {
      const ids = Array.isArray(value) ? value : [value];
      for (const id of ids) {
        if (typeof id !== 'string') continue;
        const found = linkedModel(ctx, env, id);
        if (found && !takes.includes(found)) {
          problems[key] = `takes ${takes.map((m) => modelName(ctx, env, m)).join(' or ')} records; "${id}" is ${article(modelName(ctx, env, found))}`;
          break;
        }
      }
    }
  }
  return problems;
}

/** The model of a live record `id` the writer may read; null for anything else. */
function linkedModel(ctx: RequestContext, env: EnvironmentRow, id: string): string | null {
  const row = ctx.db
    .prepare('SELECT model_id AS model, created_by AS createdBy, published_version AS publishedVersion, deleted FROM records WHERE project_id = ? AND environment = ? AND id = ?')
    .get(ctx.project().id, env.id, id) as { model: string; createdBy: string | null; publishedVersion: number | null; deleted: number } | undefined;
  if (!row || row.deleted) return null;
  if (ctx.effective().publishedOnly && row.publishedVersion === null) return null;
  return ctx.decide('record.read', { environment: env, model: row.model, createdBy: row.createdBy }).allowed ? row.model : null;
}

const modelName = (ctx: RequestContext, env: EnvironmentRow, id: string): string => ctx.modelsOf(env.id).find((m) => m.id === id)?.name ?? id;
const article = (name: string): string => `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
