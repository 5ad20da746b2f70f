import type { Db } from '../store/db';
import type { Principal, Role, TokenScope } from '../../shared/domain';
import { tokenScopeSchema } from '../../shared/domain';
import { hashSecret } from './secrets';
import { loadProject, loadRole } from '../content/project';
import { nowIso } from '../store/db';
import { cacheAt, type CacheView } from '../store/generation';

export interface UserRow {
  id: string;
  projectId: string;
  email: string;
  name: string;
  roleId: string;
  totpSecret: string | null;
}

export interface Viewer {
  projectId: string;
  user: UserRow | null;
  token: { id: string; name: string; scope: TokenScope } | null;
  sessionHash: string | null;
  role: Role;
  principal: Principal;
  /** Idempotency and rate limits are per principal: a session user, or an API token. */
  key: string;
  /** The project requires 2FA and this user has not set it up: only 2FA setup is open to a session, nothing to a token. */
  needsTwoFactor: boolean;
}

const USER_COLUMNS = 'id, project_id AS projectId, email, name, role_id AS roleId, totp_secret AS totpSecret';

export function findUserById(db: Db, id: string): UserRow | undefined {
  return db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND removed_at IS NULL`).get(id) as UserRow | undefined;
}

export function findUserByEmail(db: Db, email: string): (UserRow & { passwordHash: string }) | undefined {
  return db.prepare(`SELECT ${USER_COLUMNS}, password_hash AS passwordHash FROM users WHERE email = ? AND removed_at IS NULL`).get(email) as
    | (UserRow & { passwordHash: string })
    | undefined;
}

/** What a session or token secret resolves to, cached per generation (see store/generation.ts). */
type Resolved = { viewer: Viewer; expiresAt: string | null; lastUsedAt: string | null };

/** Minute a token was last marked used by this process, so a cached token still writes once a minute. */
const markedUsed = new Map<string, string>();

/**
 * Who a bearer secret belongs to, current as of this request: the resolution is cached only
 * for the cache generation it was read at, which any change to users, roles, sessions,
 * tokens or the project moves on, so a role change, a removal or a rotation takes effect on
 * the very next request. Null when it is no one (not cached: a stream of made-up secrets
 * must not fill memory).
 */
export function resolveBearer(db: Db, secret: string, cache: CacheView = cacheAt(db)): Viewer | null {
  if (!secret.startsWith('ink_s_') && !secret.startsWith('ink_t_')) return null;
  const hash = hashSecret(secret);
  const resolved = cache.get('bearer', hash, () => lookup(db, secret, hash));
  if (!resolved) return null;
  const now = nowIso();
  if (resolved.expiresAt !== null && resolved.expiresAt <= now) return null;
  const token = resolved.viewer.token;
  if (token) {
    // Minute resolution is enough to tell a token in use, and spares a write per request.
    const minute = now.slice(0, 16);
    if (resolved.lastUsedAt?.slice(0, 16) !== minute && markedUsed.get(token.id) !== minute) {
      db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, token.id);
      if (markedUsed.size > 10_000) markedUsed.clear();
      markedUsed.set(token.id, minute);
    }
  }
  return resolved.viewer;
}

function lookup(db: Db, secret: string, hash: string): Resolved | null {
  if (secret.startsWith('ink_s_')) {
    const s = db.prepare('SELECT user_id AS userId, expires_at AS expiresAt FROM sessions WHERE token_hash = ?').get(hash) as
      | { userId: string; expiresAt: string }
      | undefined;
    if (!s) return null;
    const user = findUserById(db, s.userId);
    if (!user) return null;
    const role = loadRole(db, user.projectId, user.roleId);
    if (!role) return null;
    const project = loadProject(db, user.projectId);
    const viewer: Viewer = {
      projectId: user.projectId,
      user,
      token: null,
      sessionHash: hash,
      role,
      principal: { userId: user.id, role },
      key: `user:${user.id}`,
      needsTwoFactor: project.requireTwoFactor && !user.totpSecret,
    };
    return { viewer, expiresAt: s.expiresAt, lastUsedAt: null };
  }
  const t = db.prepare('SELECT id, name, scope, user_id AS userId, last_used_at AS lastUsedAt FROM api_tokens WHERE secret_hash = ?').get(hash) as
    | { id: string; name: string; scope: string; userId: string; lastUsedAt: string | null }
    | undefined;
  if (!t) return null;
  const user = findUserById(db, t.userId);
  if (!user) return null;
  const role = loadRole(db, user.projectId, user.roleId);
  if (!role) return null;
  const scope = tokenScopeSchema.parse(JSON.parse(t.scope));
  const project = loadProject(db, user.projectId);
  const viewer: Viewer = {
    projectId: user.projectId,
    user,
    token: { id: t.id, name: t.name, scope },
    sessionHash: null,
    role,
    principal: { userId: user.id, role, token: scope },
    key: `token:${t.id}`,
    // 2FA binds the owner's tokens too: made before the switch or not, they stop until the owner enables it.
    needsTwoFactor: project.requireTwoFactor && !user.totpSecret,
  };
  return { viewer, expiresAt: null, lastUsedAt: t.lastUsedAt };
}
