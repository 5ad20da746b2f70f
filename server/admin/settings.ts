import { z } from 'zod';
import type { RequestContext } from '../context';
import { localeCodeSchema } from '../../shared/domain';
import { fail, invalid } from '../errors';
import { audit } from '../audit';

const settingsSchema = z.strictObject({
  requireTwoFactor: z.boolean().optional(),
  timezone: z.string().min(1).max(64).optional(),
  locales: z
    .array(localeCodeSchema)
    .min(1)
    .refine((l) => new Set(l).size === l.length, 'locales must be unique')
    .optional(),
});

export function updateProjectSettings(ctx: RequestContext, args: { input: unknown }) {
  ctx.require('settings.manage', {});
  const r = settingsSchema.safeParse(args.input);
  if (!r.success) invalid(`invalid settings: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, { input: 'invalid' });
  const s = r.data!;
  const p = ctx.project();
  const me = ctx.requireViewer();
  if (s.requireTwoFactor && !p.requireTwoFactor && me.user && !me.user.totpSecret) {
    // Otherwise the admin who flips the switch locks themselves out of the settings too.
    fail('CONFLICT', 'turn on two-factor authentication for your own account before requiring it of everyone');
  }
  ctx.db
    .prepare('UPDATE projects SET require_two_factor = ?, timezone = ?, locales = ? WHERE id = ?')
    .run((s.requireTwoFactor ?? p.requireTwoFactor) ? 1 : 0, s.timezone ?? p.timezone, JSON.stringify(s.locales ?? p.locales), p.id);
  audit(ctx, { action: 'project.updateSettings', targetType: 'project', targetId: p.id, details: s });
  return { ...p, ...s };
}

export function auditLog(ctx: RequestContext, args: { first: number; after?: string | null; recordId?: string | null }) {
  ctx.require('auditLog.read', {});
  const first = Math.min(Math.max(args.first, 1), 500);
  const after = args.after ? Number(args.after) : Number.MAX_SAFE_INTEGER;
  const rows = ctx.db
    .prepare(
      `SELECT seq, at, user_id AS userId, token_id AS tokenId, environment, action, target_type AS targetType, target_id AS targetId, details
       FROM audit_log WHERE project_id = ? AND seq < ? ${args.recordId ? 'AND target_id = ?' : ''} ORDER BY seq DESC LIMIT ?`,
    )
    .all(...[ctx.project().id, after, ...(args.recordId ? [args.recordId] : []), first + 1]) as {
    seq: number;
    details: string;
  }[];
  const page = rows.slice(0, first);
  return {
    nodes: page.map((r) => ({ ...r, id: String(r.seq), details: JSON.parse(r.details) as unknown })),
    endCursor: page.length ? String(page.at(-1)!.seq) : null,
    hasMore: rows.length > first,
  };
}
