import type { RequestContext } from './context';
import type { Viewer } from './auth/viewer';
import { nowIso } from './store/db';

/** Every write lands here: who, when, where, what. */
export function audit(
  ctx: RequestContext,
  entry: {
    environment?: string | null;
    action: string;
    targetType: string;
    targetId?: string | null;
    details?: Record<string, unknown>;
    /** Who acted, when it is not the request's viewer (a sign-in, before it has one). */
    actor?: Viewer;
  },
): void {
  const v = entry.actor ?? ctx.viewer;
  ctx.db
    .prepare(
      'INSERT INTO audit_log (project_id, at, user_id, token_id, environment, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      v?.projectId ?? ctx.project().id,
      nowIso(),
      v?.user?.id ?? null,
      v?.token?.id ?? null,
      entry.environment ?? null,
      entry.action,
      entry.targetType,
      entry.targetId ?? null,
      JSON.stringify(entry.details ?? {}),
    );
}
