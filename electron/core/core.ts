import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { checkValues, type Json, type Model, type Values } from '../../shared/domain';
import { allows, cellKey } from '../../shared/permissions';
import { cellsIn, changedCells, indexFields, writeCell } from '../../shared/values';
import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, type Output } from '../../shared/ipc/contract';
import { AutoSync } from './sync/auto';
import { LOGIN, LOGOUT, VIEWER, type LoginResult, type ViewerResult } from '../../shared/api/operations';
import { ApiClient, assertHttpsUrl } from './api/client';
import { ApiError } from './api/errors';
import { KnownHosts } from './api/known-hosts';
import { probeCertificate } from './api/tls';
import { Cache } from './cache/cache';
import { newCacheKey, openCache, removeCacheFiles } from './cache/open';
import { SyncEngine, type SyncReport } from './sync/engine';
import { InputError, PermissionError, SignedOutError } from './errors';
export { InputError, PermissionError } from './errors';
import type { ProgressListener } from './sync/events';
import { cacheKeyAccount, tokenAccount, type TokenVault } from './vault/token-vault';

const accountSchema = z.object({
  url: z.string(),
  origin: z.string(),
  email: z.string(),
  userId: z.string(),
  projectId: z.string(),
  cacheFile: z.string(),
});
export type AccountRef = z.infer<typeof accountSchema>;

export interface CoreOptions {
  dataDir: string;
  vault: TokenVault;
  onProgress?: ProgressListener;
  /** Called whenever what `status()` answers may have changed (the bridge's session.changed). */
  onStatus?: (s: CoreStatus) => void;
  api?: { timeoutMs?: number; attempts?: number; backoffMs?: number };
}

export type CoreStatus = Output<'session.status'>;
type EnvironmentStatus = CoreStatus['environments'][string];
export type ProblemCode = CoreStatus['environments'][string]['problems'][number]['code'];

export interface RecordSummary {
  id: string;
  model: string;
  status: string;
  title: string;
  version: number | null;
  local: 'none' | 'edited' | 'created' | 'flagged';
  conflicts: number;
}

/**
 * The desktop core: everything the app does without a screen. The same object serves
 * Electron's main process, the browser host, the CLI and the tests.
 */
export class InkstoneCore {
  readonly knownHosts: KnownHosts;
  private account: AccountRef | null = null;
  private cacheRef: Cache | null = null;
  private apiRef: ApiClient | null = null;
  private token: string | null = null;
  private signedIn = false;
  private syncState: CoreStatus['sync'] = { state: 'idle', lastSyncedAt: null, nextAttemptAt: null, lastError: null };
  readonly auto: AutoSync;

  private constructor(private readonly opts: CoreOptions) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.knownHosts = new KnownHosts(join(opts.dataDir, 'known_hosts.json'));
    const file = join(opts.dataDir, 'account.json');
    if (existsSync(file)) this.account = accountSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    this.auto = new AutoSync({
      run: () => this.sync(),
      canRun: () => this.signedIn && this.cacheRef !== null,
      onSchedule: (at) => this.setSync({ nextAttemptAt: at ? new Date(at).toISOString() : null }),
    });
  }

  private setSync(patch: Partial<CoreStatus['sync']>): void {
    this.syncState = { ...this.syncState, ...patch };
    this.changed();
  }

  /** Tells the bridge that the status may have changed; never throws into the caller's path. */
  changed(): void {
    if (!this.opts.onStatus) return;
    try {
      this.opts.onStatus(this.status());
    } catch {
      // A closed store between the change and the notice: the next change tells again.
    }
  }

  static async open(opts: CoreOptions): Promise<InkstoneCore> {
    const core = new InkstoneCore(opts);
    if (core.account) {
      core.token = await opts.vault.get(tokenAccount(core.account.origin, core.account.userId));
      core.signedIn = core.token !== null;
      await core.openAccountCache();
    }
    return core;
  }

  // ---- server trust and session

  /** The certificate a server presents, and whether Inkstone already trusts it. */
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
    await this.openAccountCache();
    if (this.isEmptyCache()) await this.initialSync(viewer);
    this.setSync({ state: 'idle', lastError: null });
    return viewer;
  }

  private async cacheKey(create: boolean): Promise<string | null> {
    const a = this.account!;
    const account = cacheKeyAccount(a.origin, a.projectId, a.userId);
    let key = await this.opts.vault.get(account);
    if (!key && create) {
      key = newCacheKey();
      await this.opts.vault.set(account, key);
    }
    return key;
  }

  private async openAccountCache(): Promise<void> {
    if (!this.account || this.cacheRef) return;
    const key = await this.cacheKey(true);
    rmSync(`${this.account.cacheFile}.initial`, { force: true });
    this.cacheRef = new Cache(openCache(this.account.cacheFile, key!));
    this.apiRef ??= this.client(this.account.url);
  }

  private isEmptyCache(): boolean {
    const n = this.cache.db
      .prepare('SELECT (SELECT count(*) FROM bases) + (SELECT count(*) FROM drafts) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM cursors) AS n')
      .get() as { n: number };
    return n.n === 0;
  }

  /** The first full pull builds a separate file and swaps it in whole: a crash midway leaves no half cache. */
  private async initialSync(viewer: ViewerResult): Promise<void> {
    const a = this.account!;
    const tmp = `${a.cacheFile}.initial`;
    removeCacheFiles(tmp);
    const key = (await this.cacheKey(true))!;
    const fresh = new Cache(openCache(tmp, key));
    try {
      fresh.setMeta('viewer', viewer);
      const engine = new SyncEngine(fresh, this.api, this.opts.onProgress);
      await engine.refreshViewer();
      for (const env of Object.keys(fresh.viewer()!.viewer.permissions.environments)) await engine.pull(env);
      fresh.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      fresh.db.close();
    }
    this.cacheRef?.db.close();
    this.cacheRef = null;
    removeCacheFiles(a.cacheFile);
    renameSync(tmp, a.cacheFile);
    removeCacheFiles(tmp);
    this.cacheRef = new Cache(openCache(a.cacheFile, key));
  }

  async logout(opts: { wipe?: boolean } = {}): Promise<void> {
    const a = this.account;
    if (!a) return;
    this.auto.stop();
    if (this.signedIn) await this.api.request(LOGOUT).catch(() => undefined);
    await this.opts.vault.delete(tokenAccount(a.origin, a.userId));
    this.token = null;
    this.signedIn = false;
    if (opts.wipe) {
      await this.closeAccount();
      removeCacheFiles(a.cacheFile);
      await this.opts.vault.delete(cacheKeyAccount(a.origin, a.projectId, a.userId));
      rmSync(join(this.opts.dataDir, 'account.json'), { force: true });
      this.account = null;
    }
    this.changed();
  }

  async closeAccount(): Promise<void> {
    this.cacheRef?.db.close();
    this.cacheRef = null;
    await this.apiRef?.close();
    this.apiRef = null;
  }

  async close(): Promise<void> {
    this.auto.stop();
    await this.closeAccount();
  }

  get cache(): Cache {
    if (!this.cacheRef) throw new SignedOutError('not signed in: sign in to a server first');
    return this.cacheRef;
  }
  private get api(): ApiClient {
    if (!this.apiRef) throw new SignedOutError('not signed in: sign in to a server first');
    return this.apiRef;
  }
  private viewer(): ViewerResult {
    const v = this.cache.viewer();
    if (!v) throw new SignedOutError('no local copy of a session: sign in first');
    return v;
  }

  // ---- reading

  status(): CoreStatus {
    const a = this.account;
    const sync = { ...this.syncState, state: this.signedIn ? this.syncState.state : ('signed_out' as const) };
    if (!a || !this.cacheRef) return { signedIn: false, account: null, sync, environments: {} };
    const v = this.cache.viewer();
    const envs: Record<string, EnvironmentStatus> = {};
    const all = new Set([...Object.keys(v?.viewer.permissions.environments ?? {}), ...this.cache.ops().map((o) => o.env)]);
    for (const env of all) {
      const ops = this.cache.ops(env);
      const refused = ops.filter((o) => o.state === 'blocked');
      const queued = new Set(ops.map((o) => o.record_id));
      const drafts = this.cache.db.prepare('SELECT record_id FROM drafts WHERE env = ?').all(env) as { record_id: string }[];
      const uploads = (this.cache.db.prepare("SELECT count(*) AS n FROM uploads WHERE env = ? AND state != 'done'").get(env) as { n: number }).n;
      envs[env] = {
        primary: v?.viewer.permissions.environments[env]?.primary ?? false,
        pending: ops.filter((o) => o.state === 'pending').length + drafts.filter((d) => !queued.has(d.record_id)).length + uploads,
        problems: refused.map((o) => ({ seq: o.seq, kind: o.kind, recordId: o.record_id, title: this.titleFor(env, o.record_id), code: o.code ?? 'VALIDATION', message: o.reason ?? '' })),
        blocked: refused.map((o) => ({ seq: o.seq, kind: o.kind, recordId: o.record_id, reason: o.reason ?? '' })),
        conflicts: this.cache.conflicts(env).length,
        drafts: drafts.length,
        uploads,
      };
    }
    return {
      signedIn: this.signedIn,
      account: { url: a.url, email: a.email, project: v?.project.name ?? a.projectId, role: v?.viewer.role.name ?? '', locales: v?.project.locales ?? [], signedOut: !this.signedIn },
      sync,
      environments: envs,
    };
  }

  private titleFor(env: string, id: string): string {
    const local = this.cache.localValues(env, id);
    const model = local ? this.cache.model(env, local.base?.model ?? local.draft!.model) : undefined;
    return local && model ? this.titleOf(model, local.values) : id;
  }

  environments() {
    const v = this.viewer();
    return Object.entries(v.viewer.permissions.environments).map(([id, e]) => ({ id, primary: e.primary }));
  }

  /** Only models the role may see in that environment. */
  models(env: string) {
    const perms = this.viewer().viewer.permissions.environments[env];
    if (!perms) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    return this.cache.models(env).filter((m) => perms.models[m.id]);
  }

  private recordFilter(env: string, modelId: string, opts: { search?: string; status?: string }): { where: string; params: unknown[] } {
    const params: unknown[] = [env, modelId];
    let where = 'b.env = ? AND b.model = ?';
    const q = opts.search?.trim().toLowerCase();
    if (q && q.length >= 3) {
      where += ' AND b.rowid IN (SELECT rowid FROM bases_search WHERE bases_search MATCH ?)';
      params.push(`"${q.replace(/"/g, '""')}"`);
    } else if (q) {
      where += " AND b.search LIKE ? ESCAPE '\\'";
      params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (opts.status) {
      where += ' AND b.status = ?';
      params.push(opts.status);
    }
    return { where, params };
  }

  /** How many records a list with these filters has (for a virtualized list's height). */
  countRecords(env: string, model: string, opts: { search?: string; status?: string } = {}): number {
    const m = this.models(env).find((x) => x.id === model || x.apiKey === model);
    if (!m) throw new PermissionError(`model "${model}" is not visible with your role`);
    const { where, params } = this.recordFilter(env, m.id, opts);
    const n = (this.cache.db.prepare(`SELECT count(*) AS n FROM bases b WHERE ${where}`).get(...params) as { n: number }).n;
    const created = opts.search || opts.status ? 0 : (this.cache.db.prepare('SELECT count(*) AS n FROM drafts WHERE env = ? AND model = ? AND created_local = 1').get(env, m.id) as { n: number }).n;
    return n + created;
  }

  /** Folders of an environment the role may read, with what it may do in each. */
  folders(env: string) {
    const perms = this.viewer().viewer.permissions.environments[env];
    if (!perms) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    const folders = this.cache.getMeta<{ id: string; name: string; parentId: string | null; path: string }[]>(`folders:${env}`) ?? [];
    return folders
      .filter((f) => perms.uploads.read.folders.includes(f.id))
      .map((f) => ({ ...f, canUpload: perms.uploads.create.folders.includes(f.id) }));
  }

  records(env: string, model: string, opts: { search?: string; status?: string; limit?: number; offset?: number } = {}): RecordSummary[] {
    const m = this.models(env).find((x) => x.id === model || x.apiKey === model);
    if (!m) throw new PermissionError(`model "${model}" is not visible with your role`);
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    // Two steps: pick the page's ids from an index (cheap to skip through), then read those rows.
    const { where, params } = this.recordFilter(env, m.id, opts);
    const ids = (this.cache.db.prepare(`SELECT b.id FROM bases b WHERE ${where} ORDER BY b.id LIMIT ? OFFSET ?`).all(...params, limit, opts.offset ?? 0) as { id: string }[]).map(
      (r) => r.id,
    );
    const rows = ids.length
      ? (this.cache.db
          .prepare(
            `SELECT b.id, b.status, b.version, b.data, d.record_id AS draft, d.flag, (SELECT count(*) FROM conflicts c WHERE c.env = b.env AND c.record_id = b.id) AS conflicts
             FROM bases b LEFT JOIN drafts d ON d.env = b.env AND d.record_id = b.id WHERE b.env = ? AND b.id IN (${ids.map(() => '?').join(',')}) ORDER BY b.id`,
          )
          .all(env, ...ids) as { id: string; status: string; version: number; data: string; draft: string | null; flag: string | null; conflicts: number }[])
      : [];
    const title = (data: Values) => this.titleOf(m, data);
    const out: RecordSummary[] = rows.map((r) => ({
      id: r.id,
      model: m.id,
      status: r.status,
      title: title(JSON.parse(r.data) as Values),
      version: r.version,
      local: r.flag ? 'flagged' : r.draft ? 'edited' : 'none',
      conflicts: r.conflicts,
    }));
    if (!opts.offset && !opts.search && !opts.status) {
      const created = this.cache.db.prepare('SELECT record_id, data FROM drafts WHERE env = ? AND model = ? AND created_local = 1').all(env, m.id) as { record_id: string; data: string }[];
      for (const c of created) out.unshift({ id: c.record_id, model: m.id, status: 'draft', title: title(JSON.parse(c.data) as Values), version: null, local: 'created', conflicts: 0 });
    }
    return out;
  }

  /** A record's display title: its first string field, in the project's first locale. */
  private titleOf(model: Model, data: Values): string {
    const titleField = model.fields.find((f) => f.type === 'string');
    const locale = this.viewer().project.locales[0] ?? 'en';
    const v = titleField ? data[titleField.apiKey] : null;
    const t = titleField?.localized && v && typeof v === 'object' ? (v as Record<string, Json>)[locale] : v;
    return typeof t === 'string' ? t : '';
  }

  record(env: string, id: string) {
    const local = this.cache.localValues(env, id);
    if (!local) throw new InputError(`record "${id}" is not in the local cache of ${env}`);
    const model = this.cache.model(env, local.base?.model ?? local.draft!.model)!;
    const fields = indexFields(model.fields);
    return {
      id,
      model: model.id,
      title: this.titleOf(model, local.values),
      values: local.values,
      version: local.base?.version ?? null,
      status: local.base?.status ?? 'draft',
      createdBy: local.base?.created_by ?? null,
      updatedAt: local.base?.updated_at ?? null,
      updatedBy: local.base?.updated_by ?? null,
      draft: local.draft ? (JSON.parse(local.draft.data) as Values) : {},
      flag: local.draft?.flag ?? null,
      local: local.draft?.created_local === 1 ? ('created' as const) : local.draft ? ('edited' as const) : ('none' as const),
      problems: this.cache
        .opsFor(env, id)
        .filter((o) => o.state === 'blocked')
        .map((o) => ({ seq: o.seq, kind: o.kind, code: o.code ?? ('VALIDATION' as const), message: o.reason ?? '' })),
      conflicts: this.cache
        .conflicts(env)
        .filter((c) => c.record_id === id)
        .map((c) => {
          const [field, locale = null] = c.cell.split('.') as [string, string | undefined];
          return {
            cell: c.cell,
            field,
            locale,
            label: c.cell === '*' ? 'Whole record' : (fields.get(field) as { label?: string } | undefined)?.label ?? field,
            base: c.base === null ? null : (JSON.parse(c.base) as Json),
            mine: c.local === null ? null : (JSON.parse(c.local) as Json),
            theirs: c.remote === null ? null : (JSON.parse(c.remote) as Json),
            theirsAt: c.remote_at,
            theirsBy: c.remote_by,
          };
        }),
    };
  }

  // ---- writing (durable in SQLite before this returns)

  private envRef(env: string) {
    const e = this.viewer().viewer.permissions.environments[env];
    if (!e) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    return { id: env, primary: e.primary };
  }

  /** Writes cells locally. Refused before it is queued when the role may not write them. */
  edit(env: string, id: string, patch: Values, opts: { resolving?: boolean } = {}): void {
    const environment = this.envRef(env);
    const local = this.cache.localValues(env, id);
    if (!local) throw new InputError(`record "${id}" is not in the local cache of ${env}`);
    const modelId = local.base?.model ?? local.draft!.model;
    const model = this.cache.model(env, modelId);
    if (!model) throw new InputError(`model "${modelId}" is unknown here`);
    const problems = checkValues(model, patch, { locales: this.viewer().project.locales, mode: 'update' });
    if (Object.keys(problems).length) throw new InputError(`invalid value: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
    const fields = indexFields(model.fields);
    const cells = cellsIn(fields, patch);
    const inConflict = new Set(this.cache.conflicts(env).filter((c) => c.record_id === id).map((c) => c.cell));
    const blockedCells = cells.map(cellKey).filter((k) => inConflict.has(k) || inConflict.has('*'));
    if (blockedCells.length && !opts.resolving) throw new InputError(`resolve the conflict first: ${blockedCells.join(', ')} of this record is in conflict`);
    const perms = this.viewer().viewer.permissions;
    const createdLocal = local.draft?.created_local === 1;
    const ok = createdLocal
      ? allows(perms, 'record.create', { environment, model: model.id, cells })
      : allows(perms, 'record.update', { environment, model: model.id, createdBy: local.base?.created_by ?? null, cells });
    if (!ok) {
      const forbidden = cells.filter((c) =>
        createdLocal ? !allows(perms, 'record.create', { environment, model: model.id, cells: [c] }) : !allows(perms, 'record.update', { environment, model: model.id, createdBy: local.base?.created_by ?? null, cells: [c] }),
      );
      throw new PermissionError(`Your role (${this.viewer().viewer.role.name}) may not edit ${forbidden.map(cellKey).join(', ')} of this ${model.name} in ${env}; nothing was saved.`);
    }
    this.cache.tx(() => {
      const draft = local.draft ? (JSON.parse(local.draft.data) as Values) : {};
      for (const c of cells) writeCell(draft, fields.get(c.field)!, c.locale, readPatch(patch, c.field, c.locale));
      this.cache.putDraft(env, id, model.id, draft, { createdLocal });
      if (!this.cache.hasUnsentWrite(env, id)) this.cache.enqueue(env, createdLocal ? 'create' : 'update', id, model.id);
    });
    this.afterEdit();
  }

  private afterEdit(): void {
    this.auto.poke();
    this.changed();
  }

  create(env: string, modelRef: string, values: Values, id: string = randomUUID()): string {
    const environment = this.envRef(env);
    const model = this.models(env).find((m) => m.id === modelRef || m.apiKey === modelRef);
    if (!model) throw new PermissionError(`model "${modelRef}" is not visible with your role`);
    const problems = checkValues(model, values, { locales: this.viewer().project.locales, mode: 'create' });
    if (Object.keys(problems).length) throw new InputError(`invalid record: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
    const cells = cellsIn(indexFields(model.fields), values);
    if (!allows(this.viewer().viewer.permissions, 'record.create', { environment, model: model.id, cells })) {
      throw new PermissionError(`Your role (${this.viewer().viewer.role.name}) may not create ${model.name} records in ${env}.`);
    }
    this.cache.tx(() => {
      this.cache.putDraft(env, id, model.id, values, { createdLocal: true });
      this.cache.enqueue(env, 'create', id, model.id);
    });
    this.afterEdit();
    return id;
  }

  recordAction(env: string, id: string, kind: 'publish' | 'unpublish' | 'delete'): void {
    const environment = this.envRef(env);
    const local = this.cache.localValues(env, id);
    if (!local?.base) throw new InputError(`record "${id}" is not on the server yet; sync first`);
    if (!allows(this.viewer().viewer.permissions, `record.${kind}`, { environment, model: local.base.model, createdBy: local.base.created_by })) {
      throw new PermissionError(`Your role (${this.viewer().viewer.role.name}) may not ${kind} this record.`);
    }
    this.cache.tx(() => {
      this.cache.enqueue(env, kind, id, local.base!.model);
    });
    this.afterEdit();
  }

  /** Version history, from the server (it keeps every version); needs a connection. */
  async versions(env: string, id: string): Promise<{ version: number; values: Values; createdAt: string; createdBy: string | null }[]> {
    this.envRef(env);
    const r = await this.api.request<{ recordVersions: { version: number; values: Values; createdAt: string; createdBy: string | null }[] }>(
      'query($e: ID!, $id: ID!) { recordVersions(environment: $e, id: $id) { version values createdAt createdBy } }',
      { e: env, id },
    );
    return r.recordVersions;
  }

  /** Restoring a version is an edit like any other: the cells that differ, checked per cell, saved locally, synced later. */
  async restoreVersion(env: string, id: string, version: number): Promise<number> {
    const old = (await this.versions(env, id)).find((v) => v.version === version);
    if (!old) throw new InputError(`version ${version} of ${id} does not exist`);
    const local = this.cache.localValues(env, id);
    if (!local) throw new InputError(`record "${id}" is not in the local cache of ${env}`);
    const model = this.cache.model(env, local.base?.model ?? local.draft!.model)!;
    const { patch, cells } = changedCells(indexFields(model.fields), local.values, old.values);
    if (cells.length) this.edit(env, id, patch);
    return cells.length;
  }

  /** Assets of a folder, from the server (asset bytes are not cached); needs a connection. */
  async assets(env: string, folder: string) {
    this.envRef(env);
    if (!this.folders(env).some((f) => f.id === folder)) throw new PermissionError(`folder "${folder}" is not visible with your role`);
    const r = await this.api.request<{ assets: { nodes: { id: string; folder: string; filename: string; size: number; mimeType: string; metadata: Record<string, { alt?: string | null; title?: string | null }> }[] } }>(
      'query($e: ID!, $f: ID) { assets(environment: $e, folder: $f, first: 500) { nodes { id folder filename size mimeType metadata } } }',
      { e: env, f: folder },
    );
    return r.assets.nodes;
  }

  /** Serializes metadata saves per asset: each reads what the last one wrote. */
  private readonly metaQueue = new Map<string, Promise<unknown>>();

  /**
   * Alt text and title of an asset in one locale, as a patch: only the keys given change
   * (the server replaces a locale's object whole, so the core merges over the stored one).
   * Refused at once where the role may not update the folder.
   */
  async updateAssetMetadata(env: string, id: string, folder: string, locale: string, patch: { alt?: string | null; title?: string | null }): Promise<void> {
    const perms = this.viewer().viewer.permissions.environments[env];
    if (!perms?.uploads.update.folders.includes(folder)) throw new PermissionError(`Your role (${this.viewer().viewer.role.name}) may not edit assets in this folder.`);
    if (!this.viewer().project.locales.includes(locale)) throw new InputError(`unknown locale "${locale}"`);
    const key = `${env}/${id}`;
    const run = (this.metaQueue.get(key) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const current = (await this.assets(env, folder)).find((a) => a.id === id);
      if (!current) throw new InputError(`asset "${id}" is not in that folder`);
      const merged = { ...(current.metadata[locale] ?? {}), ...patch };
      await this.api.request('mutation($e: ID!, $id: ID!, $m: JSON!, $c: ID!) { updateAsset(environment: $e, id: $id, metadata: $m, clientMutationId: $c) { id } }', {
        e: env,
        id,
        m: { [locale]: merged },
        c: `ink-meta-${randomUUID()}`,
      });
    });
    this.metaQueue.set(key, run);
    try {
      await run;
    } finally {
      if (this.metaQueue.get(key) === run) this.metaQueue.delete(key);
    }
  }

  // ---- sync

  /** Pull then push (and uploads) for every reachable environment; `only` narrows it to one half. */
  async sync(opts: { only?: 'pull' | 'push' } = {}): Promise<SyncReport> {
    if (this.running) return this.running;
    this.setSync({ state: 'syncing' });
    this.running = this.syncOnce(opts);
    try {
      const report = await this.running;
      this.setSync(report.offline ? { state: 'offline', lastError: 'offline: the server cannot be reached' } : { state: 'idle', lastSyncedAt: new Date().toISOString(), lastError: null });
      return report;
    } catch (e) {
      this.setSync({ state: this.signedIn ? 'idle' : 'signed_out', lastError: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      this.running = null;
    }
  }
  private running: Promise<SyncReport> | null = null;

  private async syncOnce(opts: { only?: 'pull' | 'push' }): Promise<SyncReport> {
    const report: SyncReport = { pulled: 0, pushed: 0, conflicts: 0, problems: 0, uploaded: 0, offline: false, permissionsChanged: false };
    const engine = new SyncEngine(this.cache, this.api, this.opts.onProgress);
    try {
      report.permissionsChanged = (await engine.refreshViewer()).changed;
      const envs = new Set([...Object.keys(this.viewer().viewer.permissions.environments), ...this.cache.ops().map((o) => o.env)]);
      for (const env of envs) {
        if (!this.viewer().viewer.permissions.environments[env]) {
          report.problems += engine.rejudgeOutbox();
          continue;
        }
        if (opts.only !== 'push') {
          const pulled = await engine.pull(env);
          report.pulled += pulled.applied;
          report.conflicts += pulled.conflicts;
        }
        if (opts.only !== 'pull') {
          const pushed = await engine.push(env);
          report.pushed += pushed.sent;
          report.conflicts += pushed.conflicts;
          report.problems += pushed.blocked;
          report.uploaded += await engine.pushUploads(env);
        }
      }
      this.signedIn = true;
    } catch (e) {
      if (e instanceof SignedOutError) {
        await this.opts.vault.delete(tokenAccount(this.account!.origin, this.account!.userId));
        this.token = null;
        this.signedIn = false;
        throw e;
      }
      if (e instanceof ApiError && e.code === 'NETWORK') {
        report.offline = true;
        return report;
      }
      throw e;
    }
    return report;
  }

  conflicts(env?: string) {
    const envs = env ? [env] : [...new Set(this.cache.conflicts().map((c) => c.env))];
    return envs.flatMap((e) => {
      const ids = [...new Set(this.cache.conflicts(e).map((c) => c.record_id))];
      return ids.flatMap((id) => {
        const r = this.record(e, id);
        return r.conflicts.map(({ field: _f, ...c }) => ({ env: e, recordId: id, model: r.model, title: r.title, ...c }));
      });
    });
  }

  /** Keep mine (re-queued as an edit), take theirs (the server value stays), or a new value. */
  resolveConflict(env: string, recordId: string, cell: string, choice: { keep: 'mine' | 'theirs' } | { value: Json }): void {
    const c = this.cache.conflicts(env).find((x) => x.record_id === recordId && x.cell === cell);
    if (!c) throw new InputError(`no conflict on ${cell} of ${recordId}`);
    if (cell === '*') {
      // The server deleted the record: theirs drops the local copy; mine re-creates it as a new record.
      const draft = this.cache.draft(env, recordId);
      this.cache.tx(() => {
        this.cache.deleteConflict(env, recordId, cell);
        this.cache.deleteDraft(env, recordId);
      });
      if ('keep' in choice && choice.keep === 'mine' && c.local && c.base) {
        const model = this.cache.model(env, c.model)!;
        const values = { ...(JSON.parse(c.base) as Values), ...(JSON.parse(draft?.data ?? c.local) as Values) };
        this.create(env, model.id, values);
      }
      return;
    }
    if ('keep' in choice && choice.keep === 'theirs') {
      this.cache.tx(() => this.cache.deleteConflict(env, recordId, cell));
      this.changed();
      return;
    }
    const value = 'value' in choice ? choice.value : (JSON.parse(c.local ?? 'null') as Json);
    const [field, locale] = cell.split('.') as [string, string | undefined];
    const model = this.cache.model(env, c.model)!;
    const f = model.fields.find((x) => x.apiKey === field)!;
    const patch: Values = {};
    writeCell(patch, f, locale ?? null, value);
    this.cache.tx(() => {
      this.edit(env, recordId, patch, { resolving: true });
      this.cache.deleteConflict(env, recordId, cell);
    });
    this.changed();
  }

  // ---- uploads

  /** Uploads arriving chunk by chunk over the bridge; a file in app data until committed. */
  private readonly receiving = new Map<string, { env: string; folder: string; filename: string; mimeType: string; size: number; path: string; received: number }>();

  private uploadFolder(env: string, folderRef: string): { id: string; path: string } {
    this.envRef(env);
    const folders = this.cache.getMeta<{ id: string; path: string }[]>(`folders:${env}`) ?? [];
    const folder = folders.find((f) => f.id === folderRef || f.path === folderRef);
    const perms = this.viewer().viewer.permissions.environments[env]!;
    if (!folder || !perms.uploads.create.folders.includes(folder.id)) {
      throw new PermissionError(`Your role (${this.viewer().viewer.role.name}) may not upload into ${folder?.path ?? folderRef} in ${env}.`);
    }
    return folder;
  }

  beginUpload(env: string, folderRef: string, filename: string, mimeType: string, size: number): string {
    const folder = this.uploadFolder(env, folderRef);
    if (size > MAX_UPLOAD_BYTES) throw new InputError(`the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
    const id = randomUUID();
    const dir = join(this.opts.dataDir, 'incoming');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, id);
    writeFileSync(path, new Uint8Array(0), { mode: 0o600 });
    this.receiving.set(id, { env, folder: folder.id, filename: safeName(filename), mimeType, size, path, received: 0 });
    return id;
  }

  chunkUpload(id: string, offset: number, bytes: Buffer): number {
    const r = this.receiving.get(id);
    if (!r) throw new InputError(`no upload "${id}" is receiving`);
    if (offset !== r.received) throw new InputError(`chunk at ${offset}, but ${r.received} bytes were received so far`);
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new InputError(`a chunk is at most ${UPLOAD_CHUNK_BYTES} bytes`);
    if (r.received + bytes.length > r.size) throw new InputError(`more bytes than the ${r.size} announced`);
    appendFileSync(r.path, bytes);
    r.received += bytes.length;
    return r.received;
  }

  commitUpload(id: string): { id: string; state: string } {
    const r = this.receiving.get(id);
    if (!r) throw new InputError(`no upload "${id}" is receiving`);
    if (r.received !== r.size) throw new InputError(`${r.received} of ${r.size} bytes received; send the rest first`);
    this.receiving.delete(id);
    try {
      const queued = this.queueUpload(r.env, r.folder, r.path, r.mimeType, r.filename);
      return { id: queued, state: this.uploads().find((u) => u.id === queued)?.state ?? 'queued' };
    } finally {
      rmSync(r.path, { force: true });
    }
  }

  cancelUpload(id: string): void {
    const r = this.receiving.get(id);
    if (r) {
      this.receiving.delete(id);
      rmSync(r.path, { force: true });
      return;
    }
    const row = this.cache.db.prepare('SELECT path, state FROM uploads WHERE id = ?').get(id) as { path: string; state: string } | undefined;
    if (!row) throw new InputError(`no upload "${id}"`);
    if (row.state === 'done') throw new InputError('this file is already uploaded; delete the asset instead');
    this.cache.db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
    rmSync(row.path, { force: true });
    this.changed();
  }

  retryUpload(id: string): void {
    const row = this.cache.db.prepare('SELECT state FROM uploads WHERE id = ?').get(id) as { state: string } | undefined;
    if (!row) throw new InputError(`no upload "${id}"`);
    if (row.state !== 'blocked') throw new InputError(`upload "${id}" has not failed (${row.state})`);
    this.cache.db.prepare("UPDATE uploads SET state = 'queued', reason = NULL WHERE id = ?").run(id);
    this.afterEdit();
  }

  /** Bytes from the renderer in one message (small files only): written into app data and queued like a file. */
  queueUploadBytes(env: string, folderRef: string, filename: string, mimeType: string, bytes: Buffer): string {
    const id = this.beginUpload(env, folderRef, filename, mimeType, bytes.length);
    try {
      this.chunkUpload(id, 0, bytes);
      return this.commitUpload(id).id;
    } finally {
      if (this.receiving.has(id)) this.cancelUpload(id);
    }
  }

  /** Copies the file into app data and queues it; refused at once for a folder the role may not upload into. The same bytes to the same folder are queued once. */
  queueUpload(env: string, folderRef: string, filePath: string, mimeType: string, filename = basename(filePath)): string {
    const folder = this.uploadFolder(env, folderRef);
    const size = statSync(filePath).size;
    if (size === 0) throw new InputError('the file is empty');
    if (size > MAX_UPLOAD_BYTES) throw new InputError(`the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
    const sha256 = createHash('sha256').update(readFileSync(filePath)).digest('hex');
    const twin = this.cache.db.prepare('SELECT id FROM uploads WHERE env = ? AND folder = ? AND sha256 = ?').get(env, folder.id, sha256) as { id: string } | undefined;
    if (twin) return twin.id;
    const id = randomUUID();
    const dir = join(this.opts.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const copy = join(dir, id);
    copyFileSync(filePath, copy);
    this.cache.db
      .prepare('INSERT INTO uploads (id, env, folder, path, filename, size, mime_type, sha256, client_mutation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, env, folder.id, copy, filename, size, mimeType, sha256, `ink-up-${id}`, new Date().toISOString());
    this.afterEdit();
    return id;
  }

  uploads() {
    const rows = this.cache.db
      .prepare('SELECT id, env, folder, filename, mime_type AS mimeType, size, sent, state, reason, asset_id AS assetId FROM uploads ORDER BY created_at')
      .all() as { id: string; env: string; folder: string; filename: string; mimeType: string; size: number; sent: number; state: string; reason: string | null; assetId: string | null }[];
    const receiving = [...this.receiving.entries()].map(([id, r]) => ({ id, env: r.env, folder: r.folder, filename: r.filename, mimeType: r.mimeType, size: r.size, state: 'receiving', progress: r.received / r.size, reason: null, assetId: null }));
    return [
      ...rows.map(({ sent, ...u }) => ({ ...u, state: u.state === 'blocked' ? 'failed' : u.state, progress: u.state === 'done' ? 1 : u.size ? Math.min(sent / u.size, 1) : 0 })),
      ...receiving,
    ];
  }

  /** Writes the drafts export into app data (works signed out): for the user to keep when all else fails. */
  exportDraftsToFile(): { file: string; records: number } {
    const data = this.exportDrafts();
    const dir = join(this.opts.dataDir, 'exports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `drafts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
    return { file, records: data.drafts.length };
  }

  // ---- problems

  /** Sends a refused op again after the user fixed its cause; an update carries the current draft. */
  retryOp(env: string, seq: number): void {
    const op = this.cache.ops(env).find((o) => o.seq === seq);
    if (!op) throw new InputError(`no operation ${seq} in ${env}`);
    if (op.state !== 'blocked') throw new InputError(`operation ${seq} is not refused; it is waiting to be sent`);
    this.cache.tx(() => this.cache.requeue(seq));
    this.afterEdit();
  }

  /** Drops a refused op; the cells it would have written go back to the server's value. */
  discardOp(env: string, seq: number): void {
    const op = this.cache.ops(env).find((o) => o.seq === seq);
    if (!op) throw new InputError(`no operation ${seq} in ${env}`);
    if (op.state !== 'blocked') throw new InputError(`operation ${seq} is not refused; only a refused operation can be discarded`);
    this.cache.tx(() => {
      this.cache.removeOp(seq);
      if (op.kind === 'create' || op.kind === 'update') {
        this.cache.deleteDraft(env, op.record_id);
        for (const o of this.cache.opsFor(env, op.record_id)) if (o.kind === 'create' || o.kind === 'update') this.cache.removeOp(o.seq);
      }
    });
    this.changed();
  }

  /** Everything not yet on the server, as plain JSON: for the user to keep when all else fails. */
  exportDrafts() {
    return {
      exportedAt: new Date().toISOString(),
      account: this.account ? { url: this.account.url, email: this.account.email } : null,
      drafts: (
        this.cache.db.prepare('SELECT env, record_id AS recordId, model, data, created_local AS createdLocal, flag, updated_at AS updatedAt FROM drafts').all() as {
          env: string;
          recordId: string;
          model: string;
          data: string;
          createdLocal: number;
          flag: string | null;
          updatedAt: string;
        }[]
      ).map(
        ({ data, ...d }) => ({ ...d, values: JSON.parse(data) as Values }),
      ),
      operations: this.cache.ops().map((o) => ({ env: o.env, kind: o.kind, recordId: o.record_id, state: o.state, reason: o.reason })),
      conflicts: this.conflicts(),
      uploads: this.uploads(),
    };
  }
}

function readPatch(patch: Values, field: string, locale: string | null): Json {
  const v = patch[field];
  if (locale === null) return v ?? null;
  return ((v ?? {}) as Record<string, Json>)[locale] ?? null;
}

function safeName(filename: string): string {
  return basename(filename).replace(/[\\/\0]/g, '_') || 'upload';
}
