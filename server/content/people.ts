import type { RequestContext } from '../context';

/**
 * Display names of project members, by id: what an editor needs to say who changed a record
 * ("Edited by Ada Moreau"), where records and versions carry author ids. Any signed-in member
 * may read names (not emails, not roles); an id of another project or unknown is left out.
 */
export function people(ctx: RequestContext, args: { ids: string[] }) {
  ctx.requireViewer();
  const ids = [...new Set(args.ids)].slice(0, 200);
  if (ids.length === 0) return [];
  const rows = ctx.db
    .prepare(`SELECT id, name FROM users WHERE project_id = ? AND id IN (${ids.map(() => '?').join(', ')})`)
    .all(ctx.project().id, ...ids) as { id: string; name: string }[];
  return rows;
}
