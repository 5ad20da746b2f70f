import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * A bearer secret: 256 random bits, with a prefix that says what it is (so a leaked one is
 * recognisable in a scan). Only its hash is stored; the secret is shown once.
 */
export function newSecret(prefix: 'ink_s' | 'ink_t' | 'ink_i'): { secret: string; hash: string } {
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

/** SHA-256 suffices for 256-bit random secrets: there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const newId = (): string => randomUUID();
