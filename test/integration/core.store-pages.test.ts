import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { walFrames } from '../support/wal';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newStoreKey, openEncryptedDb, openStore } from '../../electron/core/store/open';
import { STORE_MIGRATIONS } from '../../electron/core/store/migrations';
import type { LocalStore } from '../../electron/core/store/store';
import { openWriteOf } from '../../electron/core/store/outbox';
import { migrate } from '../../shared/store/migrate';
import { DEMO_USERS } from '../../server/demo/seed';
import { serverWithCores } from '../support/core';

/**
 * Issue 12, autosave: what one edit commits, and migration 7 (the 7th entry of
 * STORE_MIGRATIONS), which rebuilt drafts and outbox for it. Real encrypted store files; the
 * pages a commit wrote are the frames it added to the WAL (each frame is one page).
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-pages-'));
  dirs.push(dir);
  return join(dir, 'store.sqlite');
}

/** The core's autosave transaction (Edits.edit) for a record on the server. */
function edit(store: LocalStore, id: string, text: string): void {
  store.tx(() => {
    store.records.putDraft('main', id, 'article', { title: { en: text } }, { createdLocal: false });
    if (!openWriteOf(store.outbox.asQueuedFor('main', id))) store.outbox.oweWrite('main', id);
  });
}

describe('local store: pages per autosave and migration 7', () => {
  it('a first edit of a record commits 1 page (was 8, then 4), as a re-edit does (was 2); the writes owed are queued in the order of the edits', () => {
    const f = file();
    const store = openStore(f, newStoreKey());
    // Enough rows that the tables are more than their root pages; then writes measured one by one.
    for (let i = 0; i < 300; i++) edit(store, `rec-${String(i).padStart(4, '0')}`, `warm ${i}`);
    const first: number[] = [];
    const again: number[] = [];
    for (let i = 300; i < 340; i++) {
      const id = `rec-${String(i).padStart(4, '0')}`;
      let w = walFrames(f);
      edit(store, id, `first ${i}`);
      first.push(walFrames(f) - w);
      w = walFrames(f);
      edit(store, id, `again ${i}`);
      again.push(walFrames(f) - w);
    }
    // A B-tree page split now and then adds pages to one commit; the usual commit is the figure.
    const usual = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    expect(usual(first)).toBe(1);
    expect(usual(again)).toBe(1);
    // Counted as the ops they will be, before and after they are queued.
    expect(store.counts('main')).toMatchObject({ queuedOps: 340, drafts: 340, draftsWithoutOp: 0, incomplete: 0 });
    // The writes the drafts owe join the outbox when it is read, one op a record, in the order of
    // their drafts' last edits; an edit after that folds into its op (the draft's page alone).
    expect(store.outbox.all('main').map((o) => [o.recordId, o.kind, o.state])).toEqual(
      Array.from({ length: 340 }, (_, i) => [`rec-${String(i).padStart(4, '0')}`, 'update', 'queued']),
    );
    const w = walFrames(f);
    edit(store, 'rec-0007', 'after the ops were queued');
    expect(walFrames(f) - w).toBe(1);
    expect(store.outbox.forRecord('main', 'rec-0007')).toHaveLength(1);
    expect(store.counts('main')).toMatchObject({ queuedOps: 340, drafts: 340, draftsWithoutOp: 0, incomplete: 0 });
    store.close();
  });

  it('a write owed is queued once: across a rolled-back settle and a restart', () => {
    const f = file();
    const key = newStoreKey();
    let store = openStore(f, key);
    edit(store, 'rec-a', 'one');
    edit(store, 'rec-b', 'two');
    // Queued inside a transaction that then rolls back: the mark is back, and so is its key.
    expect(() =>
      store.tx(() => {
        expect(store.outbox.forRecord('main', 'rec-a')).toHaveLength(1);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.outbox.asQueuedFor('main', 'rec-a')).toEqual([]);
    expect(store.outbox.all().map((o) => o.recordId).sort()).toEqual(['rec-a', 'rec-b']);
    edit(store, 'rec-c', 'three');
    store.close();
    // Read again from the drafts at open.
    store = openStore(f, key);
    expect(store.counts('main')).toMatchObject({ queuedOps: 3, draftsWithoutOp: 0 });
    expect(store.outbox.all().map((o) => o.recordId)).toEqual(['rec-a', 'rec-b', 'rec-c']);
    store.close();
  });

  it('an op removed never gives its seq to a later one, across a restart too', () => {
    const f = file();
    const key = newStoreKey();
    let store = openStore(f, key);
    const a = store.outbox.enqueue('main', 'update', 'r1', 'article');
    const b = store.outbox.enqueue('main', 'publish', 'r1', 'article');
    const c = store.outbox.enqueue('main', 'update', 'r2', 'article');
    expect([a.seq, b.seq, c.seq]).toEqual([a.seq, a.seq + 1, a.seq + 2]);
    // The highest removed: the next op comes after it, not in its place.
    store.tx(() => store.outbox.remove(c.seq));
    const d = store.outbox.enqueue('main', 'update', 'r3', 'article');
    expect(d.seq).toBe(c.seq + 1);
    expect(store.outbox.get('main', c.seq)).toBeNull();
    // Several at once, the highest among them, then a restart.
    store.tx(() => store.outbox.removeForRecord('main', 'r3'));
    store.tx(() => store.outbox.removeForRecord('main', 'r1'));
    store.close();
    store = openStore(f, key);
    expect(store.outbox.all().map((o) => o.seq)).toEqual([]);
    const e = store.outbox.enqueue('main', 'delete', 'r4', 'article');
    expect(e.seq).toBe(d.seq + 1);
    // The op hands back the row as stored, with its own clientMutationId.
    expect(store.outbox.get('main', e.seq)).toEqual(e);
    expect(e).toMatchObject({ env: 'main', kind: 'delete', recordId: 'r4', model: 'article', state: 'queued', payload: null, attempts: 0 });
    store.close();
  });

  it('a store file of schema 6 with drafts and ops crosses migration 7 with nothing lost', () => {
    const f = file();
    const key = newStoreKey();
    const old = openEncryptedDb(f, key);
    migrate(old, STORE_MIGRATIONS.slice(0, 6), 'schema 6');
    const draft = old.prepare('INSERT INTO drafts (env, record_id, model, data, created_local, flag, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    draft.run('main', 'srv-1', 'article', JSON.stringify({ title: { en: 'Mine' } }), 0, null, '2026-11-24T01:00:00.000Z');
    draft.run('main', 'new-1', 'author', JSON.stringify({ name: 'New' }), 1, null, '2026-11-24T01:00:01.000Z');
    draft.run('sandbox', 'srv-2', 'article', JSON.stringify({ title: { fr: 'À moi' } }), 0, 'unreadable', '2026-11-24T01:00:02.000Z');
    const op = old.prepare(
      'INSERT INTO outbox (env, kind, record_id, model, client_mutation_id, payload, base_version, state, reason, attempts, created_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    op.run('main', 'update', 'srv-1', 'article', 'ink-a', JSON.stringify({ values: { title: { en: 'Mine' } } }), 3, 'sent', null, 2, '2026-11-24T01:00:03.000Z', null);
    op.run('main', 'publish', 'srv-1', 'article', 'ink-b', null, 3, 'refused', 'no', 1, '2026-11-24T01:00:04.000Z', 'PERMISSION');
    op.run('main', 'create', 'new-1', 'author', 'ink-c', null, null, 'queued', null, 0, '2026-11-24T01:00:05.000Z', null);
    op.run('sandbox', 'update', 'srv-2', 'article', 'ink-d', null, null, 'queued', null, 0, '2026-11-24T01:00:06.000Z', null);
    // The highest seq acknowledged and gone before the upgrade: AUTOINCREMENT kept it in sqlite_sequence.
    old.prepare("DELETE FROM outbox WHERE client_mutation_id = 'ink-d'").run();
    const drafts = old.prepare('SELECT * FROM drafts ORDER BY env, record_id').all();
    const ops = old.prepare('SELECT * FROM outbox ORDER BY seq').all() as { seq: number }[];
    const gone = (old.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number }).seq;
    expect(gone).toBe(ops.at(-1)!.seq + 1);
    old.close();

    const store = openStore(f, key);
    const db = (store as unknown as { db: typeof old }).db;
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_MIGRATIONS.length);
    expect(db.prepare('SELECT * FROM drafts ORDER BY env, record_id').all()).toEqual(drafts.map((d) => ({ ...(d as object), write_owed: 0 })));
    expect(db.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual(ops);
    expect(store.outbox.all('main').map((o) => [o.clientMutationId, o.state, o.problem?.code ?? null, o.attempts])).toEqual([
      ['ink-a', 'sent', null, 2],
      ['ink-b', 'refused', 'PERMISSION', 1],
      ['ink-c', 'queued', null, 0],
    ]);
    expect(store.records.createdLocal('main', 'author').map((d) => d.recordId)).toEqual(['new-1']);
    expect(store.records.draft('sandbox', 'srv-2')).toMatchObject({ flag: 'unreadable', values: { title: { fr: 'À moi' } } });
    expect(store.counts('main')).toMatchObject({ queuedOps: 2, refusedOps: 1, drafts: 2, draftsWithoutOp: 0 });
    // The seq removed before the upgrade is not handed out again.
    expect(store.outbox.enqueue('sandbox', 'update', 'srv-2', 'article').seq).toBe(gone + 1);
    // Rebuilt: the draft is its own key, and no unique index on client_mutation_id nor AUTOINCREMENT is left.
    const sqlOf = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string } | undefined)?.sql ?? '';
    expect(sqlOf('drafts')).toMatch(/WITHOUT ROWID/);
    expect(sqlOf('outbox')).not.toMatch(/AUTOINCREMENT|UNIQUE/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'outbox' AND type = 'index' ORDER BY name").all()).toEqual([{ name: 'outbox_env_state' }, { name: 'outbox_record' }]);
    store.close();
  });
});

describe('the core’s autosave, page by page', () => {
  const suite = serverWithCores();
  it('a first edit of a server record commits 1 page, its draft’s (4 before); the writes all reach the server', async () => {
    const core = await suite.coreFor(DEMO_USERS.editor);
    // The store's handle, for the WAL alone (a test of what a commit writes; nothing else reaches in).
    const db = (core as unknown as { edits: { ctx: { store(): { db: { name: string; pragma(s: string): unknown } } } } }).edits.ctx.store().db;
    const ids = core.records('main', 'article', { limit: 30 }).map((r) => r.id);
    const frames: number[] = [];
    for (const id of ids) {
      // An empty WAL first: its frames after the edit are that edit's pages.
      db.pragma('wal_checkpoint(TRUNCATE)');
      core.edit('main', id, { title: { en: `Autosaved ${id}` } });
      frames.push(walFrames(db.name));
    }
    const usual = [...frames].sort((x, y) => x - y)[Math.floor(frames.length / 2)]!;
    expect(usual).toBe(1);
    expect(core.status().environments['main']).toMatchObject({ pending: ids.length });
    expect(await core.sync()).toMatchObject({ problems: 0 });
    expect(core.status().environments['main']).toMatchObject({ pending: 0, drafts: 0 });
    const onServer = await suite.admin.ok<{ records: { nodes: { id: string; values: { title: { en: string } } }[] } }>(
      '{ records(environment: "main", model: "article", first: 500) { nodes { id values } } }',
    );
    const titles = new Map(onServer.records.nodes.map((r) => [r.id, r.values.title.en]));
    expect(ids.map((id) => titles.get(id))).toEqual(ids.map((id) => `Autosaved ${id}`));
  });
});
