import type { Status } from '../../shared/ipc/contract';
import { ApiError } from './api/errors';
import type { CoreContext } from './context';
import { SignedOutError } from './errors';
import { AutoSync } from './sync/auto';
import { SyncEngine, type SyncReport } from './sync/engine';
import type { ProgressListener } from './sync/events';

export interface SyncHooks {
  signedIn(): boolean;
  /** The server refused the token: forget it, keep the local copy. */
  signedOut(): Promise<void>;
  onProgress?: ProgressListener;
}

/** Runs syncs one at a time, keeps the one sync state, and drives the automatic sync. */
export class Syncing {
  state: Status['sync'] = { state: 'idle', lastSyncedAt: null, nextAttemptAt: null, lastError: null };
  readonly auto: AutoSync;
  private running: Promise<SyncReport> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly hooks: SyncHooks,
  ) {
    this.auto = new AutoSync({
      run: () => this.run(),
      canRun: () => this.hooks.signedIn(),
      onSchedule: (at) => this.set({ nextAttemptAt: at === null ? null : new Date(at).toISOString() }),
    });
  }

  set(patch: Partial<Status['sync']>): void {
    this.state = { ...this.state, ...patch };
    this.ctx.changed();
  }

  /** Pull then push (and uploads) for every reachable environment; `only` narrows it to one half. A sync already running is joined. */
  run(opts: { only?: 'pull' | 'push' } = {}): Promise<SyncReport> {
    if (this.running) return this.running;
    this.set({ state: 'syncing' });
    const run = this.once(opts)
      .then((report) => {
        this.set(report.offline ? { state: 'offline', lastError: 'the server cannot be reached' } : { state: 'idle', lastSyncedAt: new Date().toISOString(), lastError: null });
        return report;
      })
      .catch((e: unknown) => {
        this.set({ state: this.hooks.signedIn() ? 'idle' : 'signed_out', lastError: e instanceof Error ? e.message : String(e) });
        throw e;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = run;
    return run;
  }

  private async once(opts: { only?: 'pull' | 'push' }): Promise<SyncReport> {
    const report: SyncReport = { pulled: 0, pushed: 0, conflicts: 0, problems: 0, uploaded: 0, offline: false, permissionsChanged: false };
    const store = this.ctx.store();
    const engine = new SyncEngine(store, this.ctx.api(), this.hooks.onProgress);
    try {
      report.permissionsChanged = (await engine.refreshViewer()).changed;
      const reachable = this.ctx.viewer().viewer.permissions.environments;
      let unreachable = false;
      for (const env of new Set([...Object.keys(reachable), ...store.localEnvs()])) {
        if (!reachable[env]) {
          unreachable = true;
          // Its queued files fail there too (nothing is sent): shown, never left pending for ever.
          await engine.pushUploads(env);
          continue;
        }
        if (opts.only !== 'push') {
          const pulled = await engine.pull(env);
          report.pulled += pulled.applied;
          report.conflicts += pulled.conflicts;
          // The readable assets and their thumbnails, before the push: what is pending still
          // ends the sync when it is sent.
          await engine.pullAssets(env);
        }
        if (opts.only !== 'pull') {
          const pushed = await engine.push(env);
          report.pushed += pushed.sent;
          report.conflicts += pushed.conflicts;
          report.problems += pushed.refused;
          const assetOps = await engine.pushAssetOps(env);
          report.problems += assetOps.refused;
          const uploaded = await engine.pushUploads(env);
          report.uploaded += uploaded;
          // Files uploaded (or replaced) just now: listed with their thumbnails at once.
          if (uploaded > 0) await engine.pullAssets(env);
        }
      }
      // Ops of environments the role cannot reach stay, as problems (never redirected).
      if (unreachable) report.problems += engine.rejudgeOutbox();
    } catch (e) {
      if (e instanceof SignedOutError) {
        await this.hooks.signedOut();
        throw e;
      }
      if (e instanceof ApiError && e.code === 'NETWORK') return { ...report, offline: true };
      throw e;
    }
    return report;
  }
}
