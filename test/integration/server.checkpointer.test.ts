import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/store/db';
import { startCheckpointer, type Checkpointer } from '../../server/store/checkpointer';

// The server folds its WAL into the database file from a thread of its own
// (server/store/checkpointer.ts), so a request's commit rarely pays for a checkpoint. Only
// the file's size is watched here: rows committed to the WAL reach the database file only
// through a checkpoint, and this connection's own automatic checkpoint is turned off.

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('the checkpoint thread', () => {
  let dir: string;
  let db: Db;
  let checkpointer: Checkpointer | null = null;
  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = null;
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fill = (megabytes: number) => {
    db.exec('CREATE TABLE IF NOT EXISTS filler (k INTEGER PRIMARY KEY, v TEXT)');
    const put = db.prepare('INSERT INTO filler (v) VALUES (?)');
    for (let i = 0; i < megabytes * 4; i++) db.transaction(() => put.run('x'.repeat(256 * 1024)))();
  };

  it('copies what a connection committed into the database file while that connection does nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-ckpt-'));
    const file = join(dir, 'x.sqlite');
    db = openDatabase(file);
    db.pragma('wal_autocheckpoint = 0');
    fill(4);
    const before = statSync(file).size;
    expect(before).toBeLessThan(1024 * 1024);
    checkpointer = startCheckpointer(file, 20);
    expect(await until(() => statSync(file).size >= 4 * 1024 * 1024, 10_000)).toBe(true);
    // The writer keeps writing, and its rows are all there: the thread never took them away.
    fill(1);
    expect((db.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n).toBe(20);
    expect(await until(() => statSync(file).size >= 5 * 1024 * 1024, 10_000)).toBe(true);
  });

  it('stops when asked, and the file stays whole', async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-ckpt-'));
    const file = join(dir, 'x.sqlite');
    db = openDatabase(file);
    checkpointer = startCheckpointer(file, 20);
    fill(1);
    await checkpointer.stop();
    checkpointer = null;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('holds the process until it has stopped: a server closed as the last thing a process does closes whole and exits 0 (found: exit 13, database left open)', () => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-ckpt-'));
    db = openDatabase(join(dir, 'unused.sqlite'));
    const script = join(dir, 'close-last.mts');
    const serverModule = join(process.cwd(), 'server/http/server.ts');
    writeFileSync(
      script,
      `import { startServer } from ${JSON.stringify(serverModule)};
const s = await startServer({ dataDir: ${JSON.stringify(join(dir, 'data'))}, host: '127.0.0.1', port: 0 });
await s.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});
