import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db';

const PREFIX = 'v1:';

/**
 * Secrets the server must read back (TOTP seeds) are sealed with AES-256-GCM under a key kept
 * beside the database, not in it (`DIR/secret.key`, 0600), so a copy of the database file
 * alone does not hand out second factors.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Reads DIR/secret.key, creating it on first start. */
  static forDataDir(dataDir: string): SecretBox {
    const file = join(dataDir, 'secret.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} is not a 256-bit key; restore it from a backup (sealed 2FA secrets need it)`);
    return new SecretBox(key);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('not a sealed secret');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** Seals TOTP secrets an older server stored in clear; run once at start (a no-op when none are left). */
export function sealClearTotpSecrets(db: Db, box: SecretBox): number {
  const rows = db
    .prepare(`SELECT id, totp_secret AS s, totp_pending_secret AS p FROM users WHERE (totp_secret IS NOT NULL AND totp_secret NOT LIKE '${PREFIX}%') OR (totp_pending_secret IS NOT NULL AND totp_pending_secret NOT LIKE '${PREFIX}%')`)
    .all() as { id: string; s: string | null; p: string | null }[];
  const seal = (v: string | null) => (v === null || SecretBox.isSealed(v) ? v : box.seal(v));
  db.transaction(() => {
    for (const r of rows) db.prepare('UPDATE users SET totp_secret = ?, totp_pending_secret = ? WHERE id = ?').run(seal(r.s), seal(r.p), r.id);
  })();
  return rows.length;
}
