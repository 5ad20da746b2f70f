import type { Sql } from './types';

/**
 * The substring search index, in two levels (migration 8).
 *
 * - `bases_search`: built by the first pull from every row and merged into one segment. An
 *   incremental sync leaves it alone: replacing a row's text there writes a tombstone into that
 *   segment's hash, whose pages span the whole project (at 200k records ~120 of the ~330 pages a
 *   100-change sync committed were those tombstones).
 * - `bases_search_recent` + `bases_recent`: the text of rows written since (triggers on bases),
 *   and the list of the rowids written or deleted since, whose entries in `bases_search` are
 *   stale.
 *
 * A search takes the big index's matches not listed in `bases_recent`, plus the recent index's
 * matches (searches join bases by rowid, as before).
 *
 * What bounds the recent index: folding. Once the store is idle and more than `RECENT_FOLD_AT`
 * rows are listed, `fold` moves up to `FOLD_CHUNK` of them into the big index per idle spell
 * (there, the tombstones of a whole chunk share the hash's pages), so outside a long burst of
 * writes it holds at most ~RECENT_FOLD_AT rows; a burst past that drains at a chunk a second.
 * A first pull (store.bulkLoad) rebuilds the big index from all rows and empties the recent one.
 */
export const RECENT_FOLD_AT = 5000;
/** ~0.1 ms a row at 200k records (measured): a chunk holds the thread ~50 ms, in a quiet spell. */
export const FOLD_CHUNK = 500;

/**
 * The WHERE term for rows of `bases b` whose search text contains the (quoted) trigram phrase;
 * takes the phrase twice. (`NOT IN` probes bases_recent's rowid tree directly: a correlated
 * `NOT EXISTS` cost ~4 ms more for a word in a quarter of 200k rows, `NOT IN` ~1 ms.)
 */
export const SEARCH_MATCH = `b.rowid IN (
  SELECT rowid FROM bases_search WHERE bases_search MATCH ? AND rowid NOT IN (SELECT id FROM bases_recent)
  UNION ALL SELECT rowid FROM bases_search_recent WHERE bases_search_recent MATCH ?)`;

/** After a bulk load: everything into one merged big index, the recent level empty. */
export const REBUILD_SEARCH = `
  INSERT INTO bases_search(bases_search) VALUES ('delete-all');
  INSERT INTO bases_search(rowid, text) SELECT rowid, search FROM bases;
  INSERT INTO bases_search(bases_search) VALUES ('optimize');
  INSERT INTO bases_search_recent(bases_search_recent) VALUES ('delete-all');
  DELETE FROM bases_recent;`;

/** Rows listed in the recent level. */
export function recentRows(db: Sql): number {
  return (db.prepare('SELECT count(*) AS n FROM bases_recent').get() as { n: number }).n;
}

/**
 * Moves up to `limit` listed rows into the big index (the caller's transaction): each row's
 * stale big entry is deleted, its current text inserted (none for a deleted row), and it leaves
 * the recent level. Returns how many rows moved.
 */
export function fold(db: Sql, limit: number): number {
  const ids = (db.prepare('SELECT id FROM bases_recent ORDER BY id LIMIT ?').all(limit) as { id: number }[]).map((r) => r.id);
  for (const id of ids) {
    db.prepare('DELETE FROM bases_search WHERE rowid = ?').run(id);
    db.prepare('INSERT INTO bases_search(rowid, text) SELECT rowid, search FROM bases WHERE rowid = ?').run(id);
    db.prepare('DELETE FROM bases_search_recent WHERE rowid = ?').run(id);
    db.prepare('DELETE FROM bases_recent WHERE id = ?').run(id);
  }
  return ids.length;
}
