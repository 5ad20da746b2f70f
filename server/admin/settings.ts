import { z } from 'zod';
import type { RequestContext } from '../context';
import { localeCodeSchema } from '../../shared/domain';
import { fail, invalid } from '../errors';
import { audit } from '../audit';
import { getRow } from '../content/records';

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

/**
 * The audit trail, filtered as what each entry is about: entries of an environment the
 * viewer may not reach are left out, and a record's entries are shown only to who may read
 * that record (model, creator). A page may come back short; `hasMore` and `endCursor` still
 * walk the whole log.
 */
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
    environment: string | null;
    targetType: string;
    targetId: string | null;
    details: string;
  }[];
  const page = rows.slice(0, first);
  const visible = page.filter((r) => {
    if (!r.environment) return true;
    // A deleted environment was a sandbox (the primary cannot be deleted).
    const env = ctx.environments().find((e) => e.id === r.environment) ?? { id: r.environment, primary: false, forkedFrom: null, createdAt: '' };
    if (!ctx.decide('environment.access', { environment: env }).allowed) return false;
    if (r.targetType !== 'record' || !r.targetId) return true;
    const rec = getRow(ctx, env.id, r.targetId);
    // Records outlive deletion (a flag); only a deleted environment takes them along.
    if (!rec) return env.createdAt === '';
    return ctx.decide('record.read', { environment: env, model: rec.model_id, createdBy: rec.created_by }).allowed;
  });
  return {
    nodes: visible.map((r) => ({ ...r, id: String(r.seq), details: JSON.parse(r.details) as unknown })),
    endCursor: page.length ? String(page.at(-1)!.seq) : null,
    hasMore: rows.length > first,
  };
}
