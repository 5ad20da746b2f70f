import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../server/store/db';
import { seedDemo } from '../../server/demo/seed';
import { FileStore } from '../../server/uploads/filestore';
import { articleValues } from './articles';

/** A server data dir holding the demo project plus `n` generated articles in main. */
export async function generateProject(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `inkstone-bench-${n}-`));
  const db = openDatabase(join(dir, 'inkstone.sqlite'));
  await seedDemo(db, new FileStore(join(dir, 'files')));
  const at = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO records (project_id, environment, id, model_id, version, published_version, status, data, published_data, created_at, updated_at, created_by, updated_by, seq)
     VALUES ('demo-magazine', 'main', ?, 'article', 1, NULL, 'draft', ?, NULL, ?, ?, NULL, NULL, ?)`,
  );
  db.transaction(() => {
    let seq = (db.prepare("SELECT seq FROM environments WHERE project_id = 'demo-magazine' AND id = 'main'").get() as { seq: number }).seq;
    for (let i = 0; i < n; i++) insert.run(`gen-${String(i).padStart(6, '0')}`, JSON.stringify(articleValues(i)), at, at, ++seq);
    db.prepare("UPDATE environments SET seq = ? WHERE project_id = 'demo-magazine' AND id = 'main'").run(seq);
  })();
  db.close();
  return dir;
}

export interface SpawnedServer {
  url: string;
  ca: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The server in its own process, as in production, so measurements of the client are its own. */
export async function spawnServer(dir: string, extraArgs: string[] = []): Promise<SpawnedServer> {
  const extra = process.env['BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'server/cli.ts', '--data', dir, '--demo', '--ip-rate', '10000000', '--principal-rate', '10000000', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { url: string; ca: string };
  return {
    url: ready.url,
    ca: readFileSync(ready.ca, 'utf8'),
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
