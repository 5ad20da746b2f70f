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
}
const stores = new WeakMap<Db, Store>();

function storeOf(db: Db): Store {
  let s = stores.get(db);
  if (!s) {
    s = { generation: Number.NaN, entries: new Map() };
    stores.set(db, s);
  }
  return s;
}

export function currentGeneration(db: Db): number {
  return (db.prepare('SELECT value FROM cache_generation WHERE id = 1').get() as { value: number }).value;
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
