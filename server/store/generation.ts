import type { Db } from './db';

/**
 * Caches of what every request re-derived from the database (the viewer behind a bearer
 * secret, the project, its environments and models, effective permissions), valid for one
 * value of `cache_generation`. Triggers (migration 8) give that row a new random value on
 * any write to the tables those are made of, so a role change, a revoked token or a schema
 * edit takes effect on the very next request, whichever code path or connection made it.
 * A request pays one indexed read for the generation instead of six to ten reads and zod
 * parses.
 *
 * Values are deep-frozen: they are shared between requests, and a caller that mutated one
 * would change what the next request sees.
 */
export interface CacheView {
  readonly generation: number;
  /** The cached value of `kind`/`key` at this generation, or `load()`'s, stored when safe (null and undefined never are). */
  get<T>(kind: string, key: string, load: () => T): T;
}

const MAX_ENTRIES = 20_000;

interface Store {
  generation: number;
  entries: Map<string, unknown>;
  /** Values read in this event-loop turn (perTurn), and this connection's write count then. */
  turn: { writes: number; values: Map<string, unknown> } | null;
}
const stores = new WeakMap<Db, Store>();

function storeOf(db: Db): Store {
  let s = stores.get(db);
  if (!s) {
    s = { generation: Number.NaN, entries: new Map(), turn: null };
    stores.set(db, s);
  }
  return s;
}

/**
 * `read()`'s value, read at most once an event-loop turn per key outside transactions. A
 * statement on this WAL database is a read transaction whose locks are system calls (~6% of
 * the server's CPU under the 50-client load when every request read the generation, ~4% for
 * the change counter), more than the work such a read does. The value is reused until the
 * turn's check phase, and read again at once after any write on this connection
 * (`total_changes()`, which takes no lock, counts trigger writes too). A write by another
 * connection or process is seen from the next turn on: requests handled in one turn are
 * answered as of its first read, as if they had arrived together. Inside a transaction it is
 * always read (what a transaction sees is its own, and may yet be rolled back).
 */
export function perTurn<T>(db: Db, key: string, read: () => T): T {
  if (db.inTransaction) return read();
  const store = storeOf(db);
  const writes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  if (store.turn?.writes !== writes) {
    if (!store.turn) setImmediate(() => (store.turn = null)).unref();
    store.turn = { writes, values: new Map() };
  }
  const values = store.turn.values;
  if (values.has(key)) return values.get(key) as T;
  const value = read();
  values.set(key, value);
  return value;
}

/** The generation (once a turn outside transactions, see perTurn; the commit group reads it under the write lock). */
export function currentGeneration(db: Db): number {
  return perTurn(db, 'generation', () => (db.prepare('SELECT value FROM cache_generation WHERE id = 1').get() as { value: number }).value);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A view of the caches at the generation current when it is first used (read lazily, so a
 * request that needs none of them, /healthz, reads nothing); take a new one after a write of
 * your own.
 */
export function cacheAt(db: Db): CacheView {
  const store = storeOf(db);
  let read: number | null = null;
  const at = (): number => (read ??= currentGeneration(db));
  return {
    get generation() {
      return at();
    },
    get<T>(kind: string, key: string, load: () => T): T {
      const generation = at();
      const k = `${kind}\u0000${key}`;
      if (store.generation === generation && store.entries.has(k)) return store.entries.get(k) as T;
      const value = deepFreeze(load());
      // Stored only under the generation it was read at: inside a transaction that already
      // wrote one of the tracked tables the generation differs, and what was read may yet be
      // rolled back, so it is not kept.
      if (value !== null && value !== undefined && currentGeneration(db) === generation) {
        if (store.generation !== generation || store.entries.size >= MAX_ENTRIES) {
          store.generation = generation;
          store.entries.clear();
        }
        store.entries.set(k, value);
      }
      return value;
    },
  };
}
