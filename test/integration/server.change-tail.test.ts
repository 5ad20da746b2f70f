import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/store/db';
import { readTail } from '../../server/content/change-tail';
import type { RecordRow } from '../../server/content/records';

// The change feed's in-memory tail must answer exactly what SQLite answers, whatever
// sequence of writes came before: random writes in the server's own pattern (each takes the
// next seq), and the ones it must notice without a new seq (a row rewritten or deleted in
// place, an environment forked, deleted or recreated), read at random cursors and limits.

const P = 'p';
const SQL = 'SELECT * FROM records WHERE project_id = ? AND environment = ? AND seq > ? ORDER BY seq LIMIT ?';

type Cmd =
  | { kind: 'create'; env: number }
  | { kind: 'update'; env: number; pick: number }
  | { kind: 'delete'; env: number; pick: number }
  | { kind: 'inPlace'; env: number; pick: number }
  | { kind: 'hardDelete'; env: number; pick: number }
  | { kind: 'fork' }
  | { kind: 'dropSandbox' }
  | { kind: 'read'; env: number; back: number; limit: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), env: fc.nat(1) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('update' as const), env: fc.nat(1), pick: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), env: fc.nat(1), pick: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('inPlace' as const), env: fc.nat(1), pick: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hardDelete' as const), env: fc.nat(1), pick: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fork' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropSandbox' as const) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('read' as const), env: fc.nat(1), back: fc.nat(40), limit: fc.integer({ min: 1, max: 30 }) }) },
);

describe('change feed tail', () => {
  let dir: string;
  let db: Db;
  let served = 0;
  let reads = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-tail-'));
    db = openDatabase(join(dir, 'x.sqlite'));
    db.exec(`INSERT INTO projects (id, name, locales, created_at) VALUES ('${P}', 'P', '["en"]', 'now')`);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const envs = ['main', 'sandbox'];
  let n = 0;
  const nextSeq = (env: string) => (db.prepare('UPDATE environments SET seq = seq + 1 WHERE project_id = ? AND id = ? RETURNING seq').get(P, env) as { seq: number }).seq;
  // Most recently written first: the rows a tail holds are the recent ones.
  const ids = (env: string) => (db.prepare('SELECT id FROM records WHERE project_id = ? AND environment = ? ORDER BY seq DESC').all(P, env) as { id: string }[]).map((r) => r.id);
  const exists = (env: string) => db.prepare('SELECT 1 FROM environments WHERE project_id = ? AND id = ?').get(P, env) !== undefined;

  function run(c: Cmd): void {
    const env = envs['env' in c ? c.env : 0]!;
    if ('env' in c && !exists(env)) return;
    const pick = (list: string[], i: number) => list[i % list.length];
    switch (c.kind) {
      case 'create':
        db.prepare(
          `INSERT INTO records (project_id, environment, id, model_id, version, status, data, created_at, updated_at, seq) VALUES (?, ?, ?, 'm', 1, 'draft', ?, 'now', 'now', ?)`,
        ).run(P, env, `r${n++}`, JSON.stringify({ n }), nextSeq(env));
        return;
      case 'update':
      case 'delete': {
        const id = pick(ids(env), c.pick);
        if (!id) return;
        db.prepare(`UPDATE records SET version = version + 1, data = ?, deleted = ?, seq = ? WHERE project_id = ? AND environment = ? AND id = ?`).run(
          JSON.stringify({ n: n++ }),
          c.kind === 'delete' ? 1 : 0,
          nextSeq(env),
          P,
          env,
          id,
        );
        return;
      }
      case 'inPlace': {
        const id = pick(ids(env), c.pick);
        if (id) db.prepare('UPDATE records SET data = ? WHERE project_id = ? AND environment = ? AND id = ?').run(JSON.stringify({ inPlace: n++ }), P, env, id);
        return;
      }
      case 'hardDelete': {
        const id = pick(ids(env), c.pick);
        if (id) db.prepare('DELETE FROM records WHERE project_id = ? AND environment = ? AND id = ?').run(P, env, id);
        return;
      }
      case 'fork':
        if (exists('sandbox')) return;
        db.transaction(() => {
          const { seq } = db.prepare("SELECT seq FROM environments WHERE project_id = ? AND id = 'main'").get(P) as { seq: number };
          db.prepare("INSERT INTO environments (project_id, id, is_primary, forked_from, created_at, seq) VALUES (?, 'sandbox', 0, 'main', 'now', ?)").run(P, seq);
          db.prepare("INSERT INTO records SELECT project_id, 'sandbox', id, model_id, version, published_version, status, data, published_data, created_at, updated_at, published_at, created_by, updated_by, deleted, seq FROM records WHERE project_id = ? AND environment = 'main'").run(P);
        })();
        return;
      case 'dropSandbox':
        db.transaction(() => {
          db.prepare("DELETE FROM records WHERE project_id = ? AND environment = 'sandbox'").run(P);
          db.prepare("DELETE FROM environments WHERE project_id = ? AND id = 'sandbox'").run(P);
        })();
        return;
      case 'read': {
        const { seq } = db.prepare('SELECT seq FROM environments WHERE project_id = ? AND id = ?').get(P, env) as { seq: number };
        const since = Math.max(0, seq - c.back);
        const fromTail = readTail(db, P, env, since, c.limit);
        const fromSql = db.prepare(SQL).all(P, env, since, c.limit) as RecordRow[];
        reads++;
        if (fromTail) {
          served++;
          expect(fromTail.map((r) => ({ ...r }))).toEqual(fromSql);
        }
        return;
      }
    }
  }

  it('answers what SQLite answers after any sequence of writes (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 60 }), (cmds) => {
        db.exec(`DELETE FROM records; DELETE FROM environments; INSERT INTO environments (project_id, id, is_primary, created_at) VALUES ('${P}', 'main', 1, 'now')`);
        for (const c of cmds) run(c);
        // And once more at the end, from every cursor.
        for (const env of envs.filter(exists)) for (let back = 0; back <= 60; back += 3) run({ kind: 'read', env: envs.indexOf(env), back, limit: 500 });
      }),
      { numRuns: 1000 },
    );
    // The tail must have answered most reads itself, or this compared SQLite with SQLite.
    expect(served / reads).toBeGreaterThan(0.5);
  });

  it('never answers inside a transaction (what it would keep might be rolled back)', () => {
    db.exec(`DELETE FROM records; DELETE FROM environments; INSERT INTO environments (project_id, id, is_primary, created_at) VALUES ('${P}', 'main', 1, 'now')`);
    expect(readTail(db, P, 'main', 0, 10)).toEqual([]);
    db.transaction(() => {
      run({ kind: 'create', env: 0 });
      expect(readTail(db, P, 'main', 0, 10)).toBeNull();
    })();
    expect(readTail(db, P, 'main', 0, 10)!.map((r) => r.id)).toEqual([`r${n - 1}`]);
  });
});
