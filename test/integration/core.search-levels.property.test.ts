import { recordNode } from '../support/record-node';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newStoreKey, openEncryptedDb, openStore } from '../../electron/core/store/open';
import { STORE_MIGRATIONS } from '../../electron/core/store/migrations';
import { migrate } from '../../shared/store/migrate';
import { searchText } from '../../electron/core/store/records';
import type { LocalStore } from '../../electron/core/store/store';
import type { Model } from '../../shared/domain';
import type { RecordNode } from '../../shared/api/operations';

/**
 * The two-level search index (electron/core/store/search.ts) against a naive substring scan:
 * after random sequences of first-pull bulk loads, upserts (new rows, changed and unchanged
 * text, a changed model), deletes (rowids taken again), full re-pulls that drop what did not
 * come back, dropped environments and folds of the recent level into the big one, every search
 * answers exactly the rows whose text contains the query. Real encrypted SQLite files.
 */

const model = (id: string): Model => ({
  id,
  apiKey: id,
  name: id,
  singleton: false,
  fields: [
    { id: 'title', apiKey: 'title', label: 'Title', type: 'string', localized: false, required: false, validators: {} },
    { id: 'slug', apiKey: 'slug', label: 'Slug', type: 'slug', localized: false, required: false, validators: {} },
  ],
});
const MODELS = [model('article'), model('author')];
const ENVS = ['main', 'sandbox'] as const;
const WORDS = ['harbour', 'harbor', 'bridge', 'ridge', 'kern', 'kernel', 'glyph', 'serif'];
const QUERIES = [...WORDS, 'arb', 'idg', 'erif', 'r2', 'our h', 'har', 'r1', 'ker'];

type Row = { env: string; id: string; model: string; title: string; slug: string };
type Cmd =
  | { k: 'bulk'; rows: Row[] }
  | { k: 'put'; row: Row }
  | { k: 'del'; env: string; id: string }
  | { k: 'repull'; env: string; rows: Row[] }
  | { k: 'fold'; n: number }
  | { k: 'check' };

const rowArb = fc.record({
  env: fc.constantFrom(...ENVS),
  id: fc.integer({ min: 0, max: 24 }).map((n) => `r${n}`),
  model: fc.constantFrom('article', 'author'),
  title: fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }).map((w) => w.join(' ')),
  slug: fc.constantFrom('', 'harbour-1', 'kern-2', 'x'),
});
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 1, arbitrary: fc.array(rowArb, { maxLength: 20 }).map((rows): Cmd => ({ k: 'bulk', rows })) },
  { weight: 8, arbitrary: rowArb.map((row): Cmd => ({ k: 'put', row })) },
  { weight: 3, arbitrary: fc.record({ env: fc.constantFrom(...ENVS), id: fc.integer({ min: 0, max: 24 }).map((n) => `r${n}`) }).map((d): Cmd => ({ k: 'del', ...d })) },
  { weight: 1, arbitrary: fc.record({ env: fc.constantFrom(...ENVS), rows: fc.array(rowArb, { maxLength: 10 }) }).map((r): Cmd => ({ k: 'repull', env: r.env, rows: r.rows.map((x) => ({ ...x, env: r.env })) })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }).map((n): Cmd => ({ k: 'fold', n })) },
  { weight: 3, arbitrary: fc.constant<Cmd>({ k: 'check' }) },
);

const node = (r: Row): RecordNode => recordNode(r.id, r.model, { title: r.title, slug: r.slug });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(store: LocalStore, cmds: Cmd[]): void {
  // The naive copy: env -> id -> row as last written.
  const rows = new Map<string, Map<string, Row>>(ENVS.map((e) => [e, new Map()]));
  const write = (r: Row) => {
    store.records.putBase(r.env, node(r));
    rows.get(r.env)!.set(r.id, r);
  };
  const check = () => {
    for (const env of ENVS) {
      for (const m of MODELS) {
        for (const q of QUERIES) {
          const want = [...rows.get(env)!.values()]
            .filter((r) => r.model === m.id && searchText(r.id, { title: r.title, slug: r.slug }, m).includes(q))
            .map((r) => r.id)
            .sort();
          const got = store.records.list(env, m.id, { search: q }, 1000, 0).map((r) => r.base.id);
          expect({ env, model: m.id, q, ids: got }).toEqual({ env, model: m.id, q, ids: want });
          expect(store.records.count(env, m.id, { search: q })).toBe(want.length);
        }
      }
    }
  };
  for (const c of cmds) {
    if (c.k === 'bulk') {
      // As a first pull does it: triggers and the model index off, then everything derived.
      store.bulkLoad(true);
      store.tx(() => c.rows.forEach(write));
      store.bulkLoad(false);
    } else if (c.k === 'put') store.tx(() => write(c.row));
    else if (c.k === 'del') {
      store.records.deleteBase(c.env, c.id);
      rows.get(c.env)!.delete(c.id);
    } else if (c.k === 'repull') {
      // A re-pull after a permission change (engine.pull, full): what does not come back goes.
      store.tx(() => {
        store.records.markUnseen(c.env);
        c.rows.forEach(write);
        for (const id of store.records.unseen(c.env)) {
          store.records.deleteBase(c.env, id);
          rows.get(c.env)!.delete(id);
        }
      });
    } else if (c.k === 'fold') store.foldSearch(0, c.n);
    else check();
  }
  check();
}

describe('two-level search index', () => {
  it('answers exactly what a substring scan over the rows answers', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { minLength: 1, maxLength: 40 }), (cmds) => {
        const dir = mkdtempSync(join(tmpdir(), 'inkstone-search-'));
        dirs.push(dir);
        const store = openStore(join(dir, 'store.sqlite'), newStoreKey());
        try {
          for (const env of ENVS) store.setSchema(env, MODELS, []);
          run(store, cmds);
        } finally {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('migration to the two-level index', () => {
  it('a store indexed by the one-level index keeps finding its rows, and a changed row by its new text only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-search-mig-'));
    dirs.push(dir);
    const file = join(dir, 'store.sqlite');
    const key = newStoreKey();
    // The store as the previous version left it: every migration before the two-level one.
    const before = STORE_MIGRATIONS.findIndex((m) => m.includes('bases_search_recent'));
    const db = openEncryptedDb(file, key);
    migrate(db, STORE_MIGRATIONS.slice(0, before), 'test store');
    const put = db.prepare("INSERT INTO bases (env, id, model, version, status, data, updated_at, search) VALUES ('main', ?, 'article', 1, 'draft', '{}', 't', ?)");
    for (let i = 0; i < 50; i++) put.run(`r${i}`, `r${i} harbour ${i % 2 ? 'kern' : 'glyph'}`);
    db.close();
    const store = openStore(file, key);
    try {
      store.setSchema('main', MODELS, []);
      expect(store.records.count('main', 'article', { search: 'kern' })).toBe(25);
      store.tx(() => store.records.putBase('main', node({ env: 'main', id: 'r1', model: 'article', title: 'serif', slug: '' })));
      expect(store.records.count('main', 'article', { search: 'kern' })).toBe(24);
      expect(store.records.list('main', 'article', { search: 'serif' }, 10, 0).map((r) => r.base.id)).toEqual(['r1']);
      expect(store.recentSearchRows()).toBe(1);
    } finally {
      store.close();
    }
  });
});
