import * as OTPAuth from 'otpauth';

const PERIOD_S = 30;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = 'Inkstone'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Inkstone', label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/**
 * The time step a code belongs to, or null when it is wrong. Accepts the current step and
 * one either side, for clock drift; the caller accepts a step once per user (replay).
 */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const t = totp(secret);
  const delta = t.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : t.counter({ timestamp: now }) + delta;
}

/** The code for a secret now, or `steps` periods later (a test needing a second, fresh code). */
export function currentTotp(secret: string, steps = 0): string {
  return totp(secret).generate({ timestamp: Date.now() + steps * PERIOD_S * 1000 });
}
