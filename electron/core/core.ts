import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, Values } from '../../shared/domain';
import type { Output, Status } from '../../shared/ipc/contract';
import type { ViewerResult } from '../../shared/api/operations';
import { Content } from './content';
import type { CoreContext } from './context';
import { Edits } from './edits';
import { Remote } from './remote';
import { Session, type SessionOptions } from './session';
import type { SyncReport } from './sync/engine';
import { Syncing } from './syncing';
import { UploadIntake } from './uploads';
import { AssetActions } from './asset-ops';

export { InputError, PermissionError, SignedOutError, StoreKeyError } from './errors';
export type { RecordSummary } from './content';
export type CoreStatus = Status;

export interface CoreOptions extends SessionOptions {
  /** Called whenever what `status()` answers may have changed (the bridge's session.changed). */
  onStatus?: (s: Status) => void;
  /** Sync by itself from the start when a kept sign-in opens (the app's hosts; a sign-in through the bridge turns it on too). */
  autoSync?: boolean;
}

/**
 * The desktop core: everything the app does without a screen, the same object for
 * Electron's main process, the browser host, the CLI and the tests. A thin front over its
 * parts: session, content reads, edits, sync, uploads, and what lives only on the server.
 */
export class InkstoneCore {
  private readonly session: Session;
  private readonly content: Content;
  private readonly edits: Edits;
  private readonly remote: Remote;
  private readonly syncing: Syncing;
  private readonly intake: UploadIntake;
  /** Queued asset moves and deletions. */
  readonly assetActions: AssetActions;

  private constructor(private readonly opts: CoreOptions) {
    this.session = new Session(opts);
    const ctx: CoreContext = {
      dataDir: opts.dataDir,
      store: () => this.session.store(),
      api: () => this.session.api(),
      viewer: () => this.session.viewer(),
      env: (env) => this.session.env(env),
      changed: () => this.changed(),
      edited: () => {
        this.changed();
        this.syncing.auto.poke();
      },
    };
    this.content = new Content(ctx);
    this.edits = new Edits(ctx, this.content);
    this.remote = new Remote(ctx, this.content);
    this.intake = new UploadIntake(ctx);
    this.assetActions = new AssetActions(ctx, this.content);
    this.syncing = new Syncing(ctx, { signedIn: () => this.session.signedIn, signedOut: () => this.session.forgetToken(), onProgress: opts.onProgress });
  }

  static async open(opts: CoreOptions): Promise<InkstoneCore> {
    const core = new InkstoneCore(opts);
    // Chunks of uploads that were arriving when the process ended: never committed, never queued.
    rmSync(join(opts.dataDir, 'incoming'), { recursive: true, force: true });
    await core.session.restore();
    if (opts.autoSync && core.session.signedIn) core.syncing.auto.setEnabled(true);
    return core;
  }

  /**
   * Tells the bridge the status may have changed, once per turn of the event loop and after
   * the caller's work: the counts behind it grow with the drafts (1.8 ms at 5,000 drafts,
   * measured), and an edit's answer, or a burst of changes, should not wait on them.
   */
  private changed(): void {
    if (!this.opts.onStatus || this.statusQueued) return;
    this.statusQueued = true;
    setImmediate(() => {
      this.statusQueued = false;
      try {
        this.opts.onStatus?.(this.status());
      } catch {
        // The store closed between the change and the notice: the next change tells again.
      }
    });
  }
  private statusQueued = false;

  get knownHosts() {
    return this.session.knownHosts;
  }
  get auto() {
    return this.syncing.auto;
  }

  // ---- session
  checkServer = (url: string) => this.session.checkServer(url);
  trustServer = (url: string, fingerprint: string, subject = '') => this.session.trustServer(url, fingerprint, subject);
  async login(input: { url: string; email: string; password: string; otp?: string | null }): Promise<ViewerResult> {
    const v = await this.session.login(input);
    this.syncing.set({ state: 'idle', lastError: null });
    return v;
  }
  /** Signs out; wipe=false keeps this computer's copy (readable, exportable), wipe=true removes it and its key. */
  async logout(opts: { wipe: boolean } = { wipe: false }): Promise<void> {
    this.syncing.auto.stop();
    await this.session.logout(opts);
    this.changed();
  }
  async close(): Promise<void> {
    this.syncing.auto.stop();
    await this.session.closeAccount();
  }
  permissions(): Output<'permissions.get'> {
    return this.session.account && this.session.hasStore() ? (this.session.store().viewer()?.viewer.permissions ?? null) : null;
  }

  status(): Status {
    const s = this.session;
    const sync = { ...this.syncing.state, ...(s.signedIn ? {} : { state: 'signed_out' as const }) };
    const a = s.account;
    if (!a || !s.hasStore()) return { signedIn: false, account: null, sync: { ...sync, lastError: s.storeProblem() ?? sync.lastError }, environments: {} };
    const store = s.store();
    const v = store.viewer();
    const environments: Status['environments'] = {};
    for (const env of new Set([...Object.keys(v?.viewer.permissions.environments ?? {}), ...store.localEnvs()])) {
      const n = store.counts(env);
      const problems = n.refusedOps
        ? store.outbox.refused(env).map((o) => ({ seq: o.seq, kind: o.kind, recordId: o.recordId, title: this.content.titleFor(env, o.recordId), code: o.problem!.code, message: o.problem!.message }))
        : [];
      environments[env] = {
        primary: v?.viewer.permissions.environments[env]?.primary ?? false,
        pending: n.queuedOps + n.draftsWithoutOp + n.openUploads + n.assetOps,
        problems,
        conflicts: n.conflicts,
        drafts: n.drafts,
        uploads: n.openUploads,
        assetChanges: n.assetOps,
        mediaProblems: n.mediaProblems,
        incomplete: n.incomplete,
      };
    }
    return {
      signedIn: s.signedIn,
      account: { url: a.url, email: a.email, project: v?.project.name ?? a.projectId, role: v?.viewer.role.name ?? '', locales: v?.project.locales ?? [], signedOut: !s.signedIn },
      sync,
      environments,
    };
  }

  // ---- content reads (local; offline and signed out too)
  environments = () => this.content.environments();
  models = (env: string) => this.content.models(env);
  folders = (env: string) => this.content.folders(env);
  records = (env: string, model: string, opts: { search?: string; status?: string; limit?: number; offset?: number } = {}) => this.content.records(env, model, opts);
  countRecords = (env: string, model: string, opts: { search?: string; status?: string } = {}) => this.content.count(env, model, opts);
  record = (env: string, id: string) => this.content.record(env, id);
  conflicts = (env?: string) => this.content.conflicts(env);
  exportDrafts = () => this.content.exportDrafts(this.session.account ? { url: this.session.account.url, email: this.session.account.email } : null);

  /** Writes the drafts export into app data (works signed out): for the user to keep when all else fails. */
  exportDraftsToFile(): { file: string; records: number } {
    const data = this.exportDrafts();
    const dir = join(this.opts.dataDir, 'exports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `drafts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
    return { file, records: data.drafts.length };
  }

  // ---- edits (durable before they return)
  edit = (env: string, id: string, patch: Values) => this.edits.edit(env, id, patch);
  create = (env: string, model: string, values: Values, id?: string) => this.edits.create(env, model, values, id);
  recordAction = (env: string, id: string, kind: 'publish' | 'unpublish' | 'delete') => this.edits.recordAction(env, id, kind);
  resolveConflict = (env: string, recordId: string, cell: string, choice: { keep: 'mine' | 'theirs' } | { value: Json }) => this.edits.resolveConflict(env, recordId, cell, choice);
  undoDelete = (env: string, id: string) => this.edits.undoDelete(env, id);
  retryOp = (env: string, seq: number) => this.edits.retryOp(env, seq);
  discardOp = (env: string, seq: number) => this.edits.discardOp(env, seq);
  async restoreVersion(env: string, id: string, version: number): Promise<number> {
    return this.edits.restoreVersion(env, id, version, await this.remote.versions(env, id));
  }

  // ---- sync
  sync = (opts: { only?: 'pull' | 'push' } = {}): Promise<SyncReport> => this.syncing.run(opts);

  // ---- server-only reads and writes
  versions = (env: string, id: string) => this.remote.versions(env, id);
  names = (ids: string[]) => this.remote.names(ids);
  assets = (env: string, folder?: string, search?: string) => this.remote.list(env, folder, search);
  assetThumbnail = (env: string, id: string) => this.remote.thumbnail(env, id);
  updateAssetMetadata = (env: string, id: string, folder: string, locale: string, patch: { alt?: string | null; title?: string | null }) => this.remote.updateMetadata(env, id, folder, locale, patch);

  // ---- uploads
  beginUpload = (env: string, folder: string, filename: string, mimeType: string, size: number, replaces: string | null = null) => this.intake.begin(env, folder, filename, mimeType, size, replaces);
  chunkUpload = (id: string, offset: number, bytes: Buffer) => this.intake.chunk(id, offset, bytes);
  commitUpload = (id: string) => this.intake.commit(id);
  cancelUpload = (id: string) => this.intake.cancel(id);
  retryUpload = (id: string) => this.intake.retry(id);
  queueUpload = (env: string, folder: string, filePath: string, mimeType: string, filename?: string, replaces: string | null = null) => this.intake.queueFile(env, folder, filePath, mimeType, filename, replaces);
  uploads = () => this.intake.list();
}
