/** When the core syncs by itself (DESIGN §5: after edits, on reconnect, with backoff while offline). */
export const AUTO_SYNC = { debounceMs: 1_000, intervalMs: 30_000, backoffMinMs: 2_000, backoffMaxMs: 60_000 } as const;

export interface AutoSyncDeps {
  /** One sync; resolves with whether the server was reachable. */
  run(): Promise<{ offline: boolean }>;
  /** Whether a sync may start at all (signed in, store open). */
  canRun(): boolean;
  /** The next planned attempt (epoch ms), or null when none is planned. */
  onSchedule(at: number | null): void;
  timing?: Partial<typeof AUTO_SYNC>;
}

/**
 * One timer: after an edit it fires after the debounce; after a successful sync, after the
 * interval; after an offline one, after a backoff that doubles up to its cap. A poke while
 * offline retries soon (the user is working, maybe the network is back).
 */
export class AutoSync {
  private enabled = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private backoff = 0;
  private busy = false;
  private readonly t: typeof AUTO_SYNC;

  constructor(private readonly deps: AutoSyncDeps) {
    this.t = { ...AUTO_SYNC, ...deps.timing };
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): boolean {
    this.enabled = on;
    if (on) this.schedule(0);
    else this.clear();
    return this.enabled;
  }

  /** Something changed locally (an edit) or the network may be back: sync soon. */
  poke(): void {
    if (this.enabled) this.schedule(this.t.debounceMs);
  }

  stop(): void {
    this.enabled = false;
    this.clear();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.deps.onSchedule(null);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    const at = Date.now() + ms;
    this.timer = setTimeout(() => void this.fire(), ms);
    // A planned sync never keeps a CLI or test process alive by itself.
    this.timer.unref?.();
    this.deps.onSchedule(at);
  }

  private async fire(): Promise<void> {
    this.timer = null;
    if (!this.enabled) return;
    // Busy: an edit made during a sync goes right after it. Signed out: look again later.
    if (this.busy) {
      this.schedule(this.t.debounceMs);
      return;
    }
    if (!this.deps.canRun()) {
      this.schedule(this.t.intervalMs);
      return;
    }
    this.busy = true;
    let offline = false;
    try {
      offline = (await this.deps.run()).offline;
    } catch {
      // The error is in the status (lastError); keep trying at the normal pace.
    } finally {
      this.busy = false;
    }
    if (!this.enabled) return;
    if (offline) {
      this.backoff = this.backoff ? Math.min(this.backoff * 2, this.t.backoffMaxMs) : this.t.backoffMinMs;
      this.schedule(this.backoff);
    } else {
      this.backoff = 0;
      if (!this.timer) this.schedule(this.t.intervalMs);
    }
  }
}
