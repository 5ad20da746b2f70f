/**
 * Queries are written inline where they are used; preparing is the costly part, and with
 * better-sqlite3 an unused statement is finalized only when the garbage collector gets to
 * it, so preparing per call also piles native memory up between collections (a 50k-record
 * pull held ~40 MB of them). Each SQL text is therefore prepared once per connection.
 * Safe because better-sqlite3 runs statements synchronously, and no caller keeps an
 * iterator open across calls or switches a statement's mode (pluck/raw/expand).
 * Shared by the server's store and the desktop cache, which use the same driver API.
 */
export function cacheStatements<S>(db: { prepare(sql: string): S }, max = 2000): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, S>();
  db.prepare = (sql: string): S => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      // Built SQL (search filters) has few shapes; the cap only guards against a bug.
      if (cache.size < max) cache.set(sql, stmt);
    }
    return stmt;
  };
}
