import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EnvironmentRef } from '../../shared/domain';
import { LOGIN, LOGOUT, VIEWER, type LoginResult, type ViewerResult } from '../../shared/api/operations';
import { ApiClient, assertHttpsUrl } from './api/client';
import { ApiError } from './api/errors';
import { KnownHosts } from './api/known-hosts';
import { probeCertificate } from './api/tls';
import { PermissionError, SignedOutError, StoreKeyError } from './errors';
import { newStoreKey, openStore, removeStoreFiles } from './store/open';
import type { LocalStore } from './store/store';
import { SyncEngine } from './sync/engine';
import type { ProgressListener } from './sync/events';
import { cacheKeyAccount, tokenAccount, type TokenVault } from './vault/token-vault';

const accountSchema = z.object({
  url: z.string(),
  origin: z.string(),
  email: z.string(),
  userId: z.string(),
  projectId: z.string(),
  // The store file's path (named cacheFile in account.json files written before the store was renamed).
  cacheFile: z.string(),
});
export type AccountRef = z.infer<typeof accountSchema>;

export interface SessionOptions {
  dataDir: string;
  vault: TokenVault;
  onProgress?: ProgressListener;
  api?: { timeoutMs?: number; attempts?: number; backoffMs?: number };
}

/**
 * Trust, sign-in and sign-out, the account, and the local store with its key. Signing out
 * may keep the store (and its key): its drafts stay readable and exportable.
 */
export class Session {
  readonly knownHosts: KnownHosts;
  account: AccountRef | null = null;
  signedIn = false;
  private storeRef: LocalStore | null = null;
  /** The kept store could not be opened (its key is missing or wrong): every use says so until a wipe. */
  private storeError: StoreKeyError | null = null;
  private apiRef: ApiClient | null = null;
  private token: string | null = null;

  constructor(private readonly opts: SessionOptions) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.knownHosts = new KnownHosts(join(opts.dataDir, 'known_hosts.json'));
    const file = join(opts.dataDir, 'account.json');
    if (existsSync(file)) this.account = accountSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  /** Restores the account kept on disk: its token from the keychain, its store with its key. */
  async restore(): Promise<void> {
    if (!this.account) return;
    this.token = await this.opts.vault.get(tokenAccount(this.account.origin, this.account.userId));
    this.signedIn = this.token !== null;
    try {
      await this.openAccountStore();
    } catch (e) {
      // The app still opens: the user is told (STORE_KEY) and may wipe this computer's copy.
      if (!(e instanceof StoreKeyError)) throw e;
      this.storeError = e;
    }
  }

  async checkServer(url: string) {
    const u = assertHttpsUrl(url);
    const cert = await probeCertificate(u.href);
    const pinned = this.knownHosts.get(u.origin);
    return { origin: u.origin, ...cert, trusted: pinned ? pinned.fingerprint === cert.fingerprint : cert.systemTrusted, pinned: pinned?.fingerprint ?? null };
  }

  trustServer(url: string, fingerprint: string, subject = ''): void {
    this.knownHosts.trust(assertHttpsUrl(url).origin, fingerprint, subject);
  }

  private client(url: string): ApiClient {
    return new ApiClient({ url, knownHosts: this.knownHosts, token: async () => this.token, ...this.opts.api });
  }

  async login(input: { url: string; email: string; password: string; otp?: string | null }): Promise<ViewerResult> {
    const url = assertHttpsUrl(input.url).href;
    const api = this.client(url);
    const res = await api.request<LoginResult>(LOGIN, { email: input.email, password: input.password, otp: input.otp ?? null }, { auth: false });
    const user = res.login.viewer.user;
    if (!user) throw new ApiError('PROTOCOL', 'the server signed in no user');
    this.token = res.login.token;
    const viewer = await api.request<ViewerResult>(VIEWER);
    const origin = api.origin;
    await this.opts.vault.set(tokenAccount(origin, user.id), res.login.token);
    const id = createHash('sha256').update(`${origin}|${viewer.project.id}|${user.id}`).digest('hex').slice(0, 24);
    await this.closeAccount();
    this.account = { url, origin, email: user.email, userId: user.id, projectId: viewer.project.id, cacheFile: join(this.opts.dataDir, 'caches', `${id}.sqlite`) };
    writeFileSync(join(this.opts.dataDir, 'account.json'), JSON.stringify(this.account, null, 2), { mode: 0o600 });
    this.apiRef = api;
    this.signedIn = true;
    this.storeError = null;
    try {
      await this.openAccountStore();
    } catch (e) {
      if (e instanceof StoreKeyError) this.storeError = e;
      throw e;
    }
    if (this.store().isEmpty()) await this.initialSync(viewer);
    return viewer;
  }

  private async storeKey(): Promise<string> {
    const a = this.account!;
    const account = cacheKeyAccount(a.origin, a.projectId, a.userId);
    let key = await this.opts.vault.get(account);
    // A store without its key is unreadable: a new key would only hide that.
    if (!key && existsSync(a.cacheFile)) throw new StoreKeyError(a.cacheFile);
    if (!key) {
      key = newStoreKey();
      await this.opts.vault.set(account, key);
    }
    return key;
  }

  private async openAccountStore(): Promise<void> {
    if (!this.account || this.storeRef) return;
    const key = await this.storeKey();
    rmSync(`${this.account.cacheFile}.initial`, { force: true });
    this.storeRef = openStore(this.account.cacheFile, key);
    this.apiRef ??= this.client(this.account.url);
  }

  /** The first full pull builds a separate file and swaps it in whole: a crash midway leaves no half store. */
  private async initialSync(viewer: ViewerResult): Promise<void> {
    const a = this.account!;
    const tmp = `${a.cacheFile}.initial`;
    removeStoreFiles(tmp);
    const key = await this.storeKey();
    const fresh = openStore(tmp, key, { forBulkLoad: true });
    try {
      fresh.setViewer(viewer);
      fresh.bulkLoad(true);
      const engine = new SyncEngine(fresh, this.api(), this.opts.onProgress);
      await engine.refreshViewer();
      for (const env of Object.keys(fresh.viewer()!.viewer.permissions.environments)) await engine.pull(env);
      fresh.bulkLoad(false);
      fresh.checkpoint();
    } finally {
      fresh.close();
    }
    // Built without fsyncs (bulkLoad): on disk whole before it replaces anything.
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.storeRef?.close();
    this.storeRef = null;
    removeStoreFiles(a.cacheFile);
    renameSync(tmp, a.cacheFile);
    removeStoreFiles(tmp);
    this.storeRef = openStore(a.cacheFile, key);
  }

  /** Signs out; `wipe` also removes this computer's copy (store file and its key). */
  async logout(opts: { wipe: boolean }): Promise<void> {
    const a = this.account;
    if (!a) return;
    if (this.signedIn && this.apiRef) await this.apiRef.request(LOGOUT).catch(() => undefined);
    await this.forgetToken();
    if (opts.wipe) {
      this.storeError = null;
      await this.closeAccount();
      removeStoreFiles(a.cacheFile);
      removeStoreFiles(`${a.cacheFile}.initial`);
      await this.opts.vault.delete(cacheKeyAccount(a.origin, a.projectId, a.userId));
      rmSync(join(this.opts.dataDir, 'account.json'), { force: true });
      this.account = null;
    }
  }

  /** The server no longer accepts the token (401): forget it, keep everything else. */
  async forgetToken(): Promise<void> {
    if (this.account) await this.opts.vault.delete(tokenAccount(this.account.origin, this.account.userId));
    this.token = null;
    this.signedIn = false;
  }

  async closeAccount(): Promise<void> {
    this.storeRef?.close();
    this.storeRef = null;
    await this.apiRef?.close();
    this.apiRef = null;
  }

  /** Why the kept store cannot be read, if it cannot. */
  storeProblem(): string | null {
    return this.storeError?.message ?? null;
  }
  hasStore(): boolean {
    return this.storeRef !== null;
  }
  store(): LocalStore {
    if (this.storeError) throw this.storeError;
    if (!this.storeRef) throw new SignedOutError('not signed in: sign in to a server first');
    return this.storeRef;
  }
  api(): ApiClient {
    if (!this.apiRef || !this.signedIn) throw new SignedOutError('not signed in: sign in again to reach the server (your local copy is kept)');
    return this.apiRef;
  }
  viewer(): ViewerResult {
    const v = this.store().viewer();
    if (!v) throw new SignedOutError('no local copy of a session: sign in first');
    return v;
  }
  env(env: string): EnvironmentRef {
    const e = this.viewer().viewer.permissions.environments[env];
    if (!e) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    return { id: env, primary: e.primary };
  }
}
