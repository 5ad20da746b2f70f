import type { Db } from './db';
import { currentGeneration } from './generation';

/**
 * Group commit for the sync hot path's writes. The record mutations that arrive in one turn of
 * the event loop are run one after another inside a single transaction, each in a savepoint of
 * its own, and answered once that transaction has committed. A commit costs system calls per
 * page written (two per WAL frame, plus locks): one update alone writes ~16 pages, most of them
 * the same hot pages (the environment's change counter, the tails of the version, audit and
 * idempotency trees) that the next update in the group writes again.
 *
 * Each item is isolated as if it had run alone: a refusal or error rolls back its savepoint and
 * reaches its own caller only. If the commit itself fails, every item of the group fails with
 * it and nothing of any of them is written (their callers retry with the same clientMutationId).
 *
 * An item runs after other requests of its turn may have committed (a role change, a revoked
 * token): `revalidate` is called first, inside the transaction, with the cache generation as of
 * then, so that it runs with the viewer and permissions of that moment, never with what was
 * resolved when its body arrived. The generation is read once a group: grouped work must not
 * write what the generation tracks (roles, tokens, schema...), and a group in which it moved is
 * rolled back whole and refused rather than committed with views its own items made stale.
 */
export interface Revalidating {
  revalidate(generation: number): void;
}

interface Item {
  ctx: Revalidating;
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Items of one group at most: a group's answers wait for its last item. */
const MAX_GROUP = 64;

export class CommitGroup {
  private queue: Item[] = [];
  private scheduled = false;
  private flushed: (() => void)[] = [];
  /** Groups committed and items in them, for the bench and tests. */
  readonly stats = { groups: 0, items: 0 };

  constructor(private readonly db: Db) {}

  /** Runs `work` (synchronous, its writes only through `db`) in the next group; its result once committed. */
  run<T>(ctx: Revalidating, work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ctx, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once nothing is queued (before the database closes). */
  drain(): Promise<void> {
    return this.queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.flushed.push(resolve));
  }

  private flush(): void {
    const items = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length > 0) setImmediate(() => this.flush());
    else this.scheduled = false;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        const generation = currentGeneration(this.db);
        for (const item of items) {
          try {
            // A nested transaction is a savepoint: a throw rolls back this item alone.
            const value = this.db.transaction(() => {
              item.ctx.revalidate(generation);
              return item.work();
            })();
            outcomes.push({ ok: true, value });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
        if (currentGeneration(this.db) !== generation) throw new Error('a grouped write changed the cache generation: the group is rolled back');
        // IMMEDIATE: the write lock first (waiting its turn behind another process's writer), so
        // that no commit elsewhere can slip in after the group's first read and leave every item
        // unable to write (SQLITE_BUSY_SNAPSHOT).
      }).immediate();
    } catch (error) {
      for (const item of items) item.reject(error);
      this.settled();
      return;
    }
    this.stats.groups++;
    this.stats.items += items.length;
    items.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
    this.settled();
  }

  private settled(): void {
    if (this.queue.length > 0) return;
    for (const resolve of this.flushed.splice(0)) resolve();
  }
}
