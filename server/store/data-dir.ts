import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const DATABASE_FILE = 'inkstone.sqlite';

/**
 * The data folder holds the database, the sealed-secret key and the files: owner-only
 * (DIR 0700, database files 0600), made so at every start whatever modes were there
 * before (an older server, a restore from backup, a loose umask).
 */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  secureDatabaseFiles(dataDir);
}

/** SQLite makes -wal and -shm with the database file's mode; set all three, where they exist. */
export function secureDatabaseFiles(dataDir: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const file = join(dataDir, DATABASE_FILE + suffix);
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
