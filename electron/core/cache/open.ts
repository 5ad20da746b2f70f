import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CACHE_MIGRATIONS } from './migrations';
import { StoreKeyError } from '../errors';
import { cacheStatements } from '../../../shared/store/statement-cache';

export type CacheDb = Database.Database;

export const newCacheKey = (): string => randomBytes(32).toString('hex');

/**
 * Opens the encrypted cache (SQLCipher through SQLite3MultipleCiphers): cipher first, then
 * the raw 256-bit key; WAL; migrations. A wrong key shows only at the first statement, so
 * it is probed at once and reported clearly.
 */
export function openCache(file: string, hexKey: string): CacheDb {
  if (!/^[0-9a-f]{64}$/.test(hexKey)) throw new Error('cache key must be 32 bytes of hex');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma(`key="x'${hexKey}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    db.close();
    throw new StoreKeyError(file);
  }
  db.pragma('journal_mode = WAL');
  // FULL: an edit is on disk before the UI may call it saved.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < CACHE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(CACHE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  cacheStatements(db);
  return db;
}

export function removeCacheFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f, { force: true });
}
