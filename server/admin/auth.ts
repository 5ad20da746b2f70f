import type { RequestContext } from '../context';
import { fail, forbidden, invalid } from '../errors';
import { dummyHash, hashPassword, passwordProblems, verifyPassword } from '../auth/passwords';
import { hashSecret, newId, newSecret } from '../auth/secrets';
import { currentTotp, newTotpSecret, totpStep, totpUri } from '../auth/totp';
import { findUserByEmail, resolveBearer } from '../auth/viewer';
import { loadProject } from '../content/project';
import { nowIso } from '../store/db';
import { audit } from '../audit';

function issueSession(ctx: RequestContext, userId: string) {
  const { secret, hash } = newSecret('ink_s');
  const expiresAt = new Date(Date.now() + ctx.services.limits.sessionTtlMs).toISOString();
  ctx.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(hash, userId, nowIso(), expiresAt);
  const viewer = resolveBearer(ctx.db, secret);
  if (!viewer) throw new Error('session vanished');
  return { token: secret, expiresAt, viewer };
}

/**
 * Accepts a code for the user's sealed secret once: its time step must be later than the
 * last one accepted (one UPDATE, so two parallel replays cannot both pass).
 */
function acceptTotp(ctx: RequestContext, userId: string, sealed: string, code: string): boolean {
  const step = totpStep(ctx.services.secretBox.open(sealed), code);
  if (step === null) return false;
  return ctx.db.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, userId, step).changes === 1;
}

/** Reserves one try on the account's brute-force count before any secret is checked. */
function reserveAttempt(ctx: RequestContext, account: string): void {
  const wait = ctx.services.loginGuard.reserve(account);
  if (wait) fail('RATE_LIMITED', `too many failed attempts for this account; try again in ${wait} s`, { retryAfter: wait });
}

/**
 * Password (+ OTP) sign-in. Every failure says the same INVALID_CREDENTIALS whatever was
 * wrong, takes the same time whether or not the account exists, and counts toward the
 * account's and the address's brute-force limits. The account's count is taken before the
 * password is checked, so parallel guesses cannot outrun the lock.
 */
export async function login(ctx: RequestContext, args: { email: string; password: string; otp?: string | null }) {
  const email = args.email.trim().toLowerCase();
  const ipWait = ctx.services.loginLimiter.hit(`ip:${ctx.ip}`);
  if (ipWait) fail('RATE_LIMITED', `too many sign-in attempts from this address; try again in ${ipWait} s`, { retryAfter: ipWait });
  reserveAttempt(ctx, email.slice(0, 320));

  const user = email.length <= 320 ? findUserByEmail(ctx.db, email) : undefined;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), args.password.slice(0, 1024));
  if (!user || !ok) fail('INVALID_CREDENTIALS', 'wrong email or password');
  if (user.totpSecret) {
    if (!args.otp) fail('OTP_REQUIRED', 'enter the 6-digit code from your authenticator app');
    if (!acceptTotp(ctx, user.id, user.totpSecret, args.otp)) fail('INVALID_CREDENTIALS', 'wrong or already used one-time code');
  }
  ctx.services.loginGuard.succeeded(email.slice(0, 320));
  const session = issueSession(ctx, user.id);
  audit(ctx, { action: 'session.login', targetType: 'user', targetId: user.id, actor: session.viewer });
  return session;
}

export function logout(ctx: RequestContext): boolean {
  const v = ctx.requireViewer(true);
  if (!v.sessionHash) fail('FORBIDDEN', 'API tokens do not sign out; delete or rotate the token instead', { reason: 'NOT_A_SESSION' });
  ctx.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(v.sessionHash);
  audit(ctx, { action: 'session.logout', targetType: 'user', targetId: v.user?.id ?? null });
  return true;
}

function sessionUser(ctx: RequestContext) {
  const v = ctx.requireViewer(true);
  if (!v.user || v.token) forbidden('two-factor settings belong to a signed-in user, not to an API token', 'NOT_A_SESSION');
  return v.user!;
}

export function setupTwoFactor(ctx: RequestContext) {
  const user = sessionUser(ctx);
  if (user.totpSecret) fail('CONFLICT', 'two-factor authentication is already on; disable it first to change it');
  const secret = newTotpSecret();
  ctx.db.prepare('UPDATE users SET totp_pending_secret = ? WHERE id = ?').run(ctx.services.secretBox.seal(secret), user.id);
  return { secret, otpauthUrl: totpUri(secret, user.email) };
}

export function confirmTwoFactor(ctx: RequestContext, args: { otp: string }): boolean {
  const user = sessionUser(ctx);
  const row = ctx.db.prepare('SELECT totp_pending_secret AS s FROM users WHERE id = ?').get(user.id) as { s: string | null };
  if (!row.s) fail('CONFLICT', 'call setupTwoFactor first');
  const step = totpStep(ctx.services.secretBox.open(row.s), args.otp);
  if (step === null) fail('INVALID_CREDENTIALS', 'wrong one-time code');
  // The confirming code's step counts as used: it cannot sign in afterwards.
  ctx.db.prepare('UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ? WHERE id = ?').run(step, user.id);
  audit(ctx, { action: 'user.enableTwoFactor', targetType: 'user', targetId: user.id });
  return true;
}

/** Guessing codes here counts against the same account lock as signing in. */
export function disableTwoFactor(ctx: RequestContext, args: { otp: string }): boolean {
  const user = sessionUser(ctx);
  if (!user.totpSecret) return true;
  if (loadProject(ctx.db, user.projectId).requireTwoFactor) forbidden('this project requires two-factor authentication', 'TWO_FACTOR_ENFORCED');
  reserveAttempt(ctx, user.email.toLowerCase());
  if (!acceptTotp(ctx, user.id, user.totpSecret, args.otp)) fail('INVALID_CREDENTIALS', 'wrong or already used one-time code');
  ctx.services.loginGuard.succeeded(user.email.toLowerCase());
  ctx.db.prepare('UPDATE users SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?').run(user.id);
  audit(ctx, { action: 'user.disableTwoFactor', targetType: 'user', targetId: user.id });
  return true;
}

/** For the demo seed and tests that must pass 2FA: today's code for a secret. */
export { currentTotp };

export async function acceptInvitation(ctx: RequestContext, args: { token: string; name: string; password: string }) {
  const problem = passwordProblems(args.password);
  if (problem) invalid(`password ${problem}`, { password: problem });
  const name = args.name.trim();
  if (name.length < 1 || name.length > 200) invalid('name must be 1-200 characters', { name: 'invalid' });
  const inv = ctx.db
    .prepare('SELECT project_id AS projectId, email, role_id AS roleId, expires_at AS expiresAt, accepted_at AS acceptedAt FROM invitations WHERE token_hash = ?')
    .get(hashSecret(args.token)) as { projectId: string; email: string; roleId: string; expiresAt: string; acceptedAt: string | null } | undefined;
  if (!inv || inv.acceptedAt || inv.expiresAt <= nowIso()) fail('INVALID_CREDENTIALS', 'this invitation is not valid (used, expired or unknown)');
  const passwordHash = await hashPassword(args.password);
  const id = newId();
  ctx.db.transaction(() => {
    const taken = ctx.db.prepare('SELECT 1 FROM users WHERE email = ?').get(inv.email);
    if (taken) fail('CONFLICT', `an account for ${inv.email} already exists`);
    ctx.db
      .prepare('INSERT INTO users (id, project_id, email, name, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, inv.projectId, inv.email, name, passwordHash, inv.roleId, nowIso());
    ctx.db.prepare('UPDATE invitations SET accepted_at = ? WHERE token_hash = ?').run(nowIso(), hashSecret(args.token));
  })();
  const session = issueSession(ctx, id);
  audit(ctx, { action: 'collaborator.join', targetType: 'user', targetId: id, actor: session.viewer, details: { email: inv.email, role: inv.roleId } });
  return session;
}
