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
 * Brute-force protection per account: after `free` consecutive failures each further one
 * locks the account for twice as long as the last, up to `maxLockMs`.
 */
export class LoginGuard {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  constructor(
    private readonly free = 5,
    private readonly baseLockMs = 30_000,
    private readonly maxLockMs = 15 * 60_000,
  ) {}

  /** Seconds the account must wait before another try; 0 if it may try now. */
  retryAfter(account: string, now = Date.now()): number {
    const f = this.failures.get(account);
    return f && f.lockedUntil > now ? Math.ceil((f.lockedUntil - now) / 1000) : 0;
  }

  failed(account: string, now = Date.now()): void {
    const f = this.failures.get(account) ?? { count: 0, lockedUntil: 0 };
    f.count++;
    if (f.count >= this.free) f.lockedUntil = now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** (f.count - this.free));
    this.failures.set(account, f);
  }

  succeeded(account: string): void {
    this.failures.delete(account);
  }
}
