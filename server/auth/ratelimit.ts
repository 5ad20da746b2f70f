import type { Db } from '../store/db';

/** Fixed-window counters per key. In memory: limits protect one running server. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit; returns seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    w.count++;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/**
 * Brute-force protection per account, kept in SQLite. An attempt is *reserved* (counted as a
 * failure) in one transaction before the password is checked, so parallel attempts cannot
 * all pass the check while the slow hash runs: after `free` consecutive failures each
 * further one locks the account for twice as long as the last, up to `maxLockMs`. Only a
 * success clears the count.
 */
export class LoginGuard {
  private readonly reserveTx: (account: string, now: number) => number;
  constructor(
    private readonly db: Db,
    private readonly free = 5,
    private readonly baseLockMs = 30_000,
    private readonly maxLockMs = 15 * 60_000,
  ) {
    this.reserveTx = db.transaction((account: string, now: number): number => {
      const row = db.prepare('SELECT failures, locked_until AS lockedUntil FROM login_attempts WHERE account = ?').get(account) as
        | { failures: number; lockedUntil: number }
        | undefined;
      if (row && row.lockedUntil > now) return Math.ceil((row.lockedUntil - now) / 1000);
      const failures = (row?.failures ?? 0) + 1;
      const lockedUntil = failures >= this.free ? now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** (failures - this.free)) : 0;
      db.prepare(
        `INSERT INTO login_attempts (account, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      ).run(account, failures, lockedUntil, now);
      return 0;
    });
  }

  /**
   * Counts one attempt as failed before it is checked. Returns seconds to wait when the
   * account is locked (nothing is counted then), else 0: go on and check.
   */
  reserve(account: string, now = Date.now()): number {
    // Forget accounts quiet for a day (an index range, usually empty): the table stays small.
    this.db.prepare('DELETE FROM login_attempts WHERE updated_at < ? AND locked_until < ?').run(now - 86_400_000, now);
    return this.reserveTx(account, now);
  }

  /** The attempt reserved by `reserve` proved right: the count starts over. */
  succeeded(account: string): void {
    this.db.prepare('DELETE FROM login_attempts WHERE account = ?').run(account);
  }
}
