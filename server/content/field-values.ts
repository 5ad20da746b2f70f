import type { RequestContext } from '../context';
import { nextSeq } from './records';

/**
 * A deleted field's values leave every record of its model in the environment: the current
 * copy and the published one. Left behind, they made each such record unpublishable (a
 * publish checks the whole record against today's model: "unknown field"), with no field left
 * in which to clear them, and a later field of the same api key inherited them whatever its
 * type. Versions keep them, as history; a restore is held to today's model.
 *
 * Each changed row takes a new seq, so syncing clients receive the record without them. Its
 * version stays: no one's edit is undone, so no one's next write should be refused as stale.
 * Returns how many records changed.
 */
export function dropFieldValues(ctx: RequestContext, env: string, modelId: string, apiKey: string): number {
  // apiKeySchema holds a key to [a-z0-9_]: safe inside a quoted JSON path.
  const path = `$."${apiKey}"`;
  const project = ctx.project().id;
  const rows = ctx.db
    .prepare(
      `SELECT id FROM records WHERE project_id = ? AND environment = ? AND model_id = ?
       AND (json_type(data, ?) IS NOT NULL OR json_type(published_data, ?) IS NOT NULL)`,
    )
    .all(project, env, modelId, path, path) as { id: string }[];
  const drop = ctx.db.prepare('UPDATE records SET data = json_remove(data, ?), published_data = json_remove(published_data, ?), seq = ? WHERE project_id = ? AND environment = ? AND id = ?');
  for (const { id } of rows) drop.run(path, path, nextSeq(ctx, env), project, env, id);
  return rows.length;
}
