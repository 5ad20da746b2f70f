import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { STORE_MIGRATIONS } from './migrations';
import { preallocateWal } from './wal-space';
import { LocalStore } from './store';
import { StoreKeyError } from '../errors';
import { cacheStatements } from '../../../shared/store/statement-cache';
import { migrate } from '../../../shared/store/migrate';

export type StoreDb = Database.Database;

export const newStoreKey = (): string => randomBytes(32).toString('hex');

/**
 * The most pages the WAL holds before a commit folds it into the file itself. SQLite's default
 * (1,000) put that checkpoint (the file's pages written and fsynced) inside one edit in ~120 of
 * a burst, and those were the slow 1% of autosaves. Writes normally reach the file when the
 * store is idle (LocalStore); this bound (16 MB at 4 KB pages) only caps a long burst.
 */
export const WAL_BOUND_PAGES = 4000;

/**
 * An encrypted SQLite file (SQLCipher through SQLite3MultipleCiphers): cipher first, then the
 * raw 256-bit key; WAL; FULL sync. A wrong key shows only at the first statement, so it is
 * probed at once and reported clearly. (The bench uses it bare as the floor of its figures.)
 */
export function openEncryptedDb(file: string, hexKey: string): StoreDb {
  if (!/^[0-9a-f]{64}$/.test(hexKey)) throw new Error('store key must be 32 bytes of hex');
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
  db.pragma(`wal_autocheckpoint = ${WAL_BOUND_PAGES}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * The local store of one account: the only copy of offline edits. Its WAL gets its space up to
 * the bound at once (wal-space.ts); not for a file about to be bulk-loaded without a WAL.
 */
export function openStore(file: string, hexKey: string, opts: { forBulkLoad?: boolean } = {}): LocalStore {
  const db = openEncryptedDb(file, hexKey);
  try {
    migrate(db, STORE_MIGRATIONS, `the local store ${file}`);
    if (!opts.forBulkLoad) preallocateWal(db, WAL_BOUND_PAGES);
  } catch (e) {
    db.close();
    throw e;
  }
  cacheStatements(db);
  return new LocalStore(db);
}

export function removeStoreFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f, { force: true });
}
