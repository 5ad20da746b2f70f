/**
 * The one migration runner, for the server's database and the desktop's local store alike.
 * Pure: it speaks to the database through the few calls below (better-sqlite3's own).
 */
export interface MigrationDb {
  exec(sql: string): unknown;
  pragma(source: string, options: { simple: true }): unknown;
  transaction<F extends () => void>(fn: F): () => void;
}

/**
 * One step: SQL, or a function for a data migration SQL cannot say well (e.g. rewriting JSON
 * cells); a function runs in the step's transaction like SQL does.
 */
export type MigrationStep<D extends MigrationDb = MigrationDb> = string | ((db: D) => void);

/**
 * Brings the schema from its PRAGMA user_version to `steps.length`: step i takes version i
 * to i+1, each in its own transaction. A database newer than the steps known is refused
 * (`what` names it in the message), never downgraded.
 */
export function migrate<D extends MigrationDb>(db: D, steps: readonly MigrationStep<D>[], what: string): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (!Number.isInteger(current) || current > steps.length) {
    throw new Error(`${what} schema version ${current} is newer than this version of Inkstone knows (${steps.length}); upgrade Inkstone`);
  }
  for (let v = current; v < steps.length; v++) {
    db.transaction(() => {
      const step = steps[v]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`, { simple: true });
    })();
  }
}
