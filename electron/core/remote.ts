import { randomUUID } from 'node:crypto';
import type { Output } from '../../shared/ipc/contract';
import { ASSET_FIELDS, type AssetNode } from '../../shared/api/operations';
import type { Content } from './content';
import type { CoreContext } from './context';
import { InputError, PermissionError } from './errors';

type AssetView = Output<'assets.list'>[number];
const ASSETS = 'query($e: ID!, $f: ID) { assets(environment: $e, folder: $f, first: 500) { nodes { id metadata } } }';
const UPDATE_ASSET = `mutation($e: ID!, $id: ID!, $m: JSON!, $c: ID!) { updateAsset(environment: $e, id: $id, metadata: $m, clientMutationId: $c) { ${ASSET_FIELDS} } }`;

/** What lives only on the server (assets, version history): these need a connection. */
export class Remote {
  /** Metadata saves of one asset run one after another: each reads what the last one wrote. */
  private readonly queue = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly content: Content,
  ) {}

  /** From the local store, kept by sync: the library browses offline. */
  list(env: string, folder?: string, search?: string): AssetView[] {
    this.ctx.env(env);
    if (folder && !this.content.folders(env).some((f) => f.id === folder)) throw new PermissionError(`folder "${folder}" is not visible with your role`);
    const store = this.ctx.store();
    const needle = search?.trim().toLowerCase() ?? '';
    // Queued moves and deletions show at once (a refused one no longer does: the server's copy stands).
    const ops = store.assetOps.open(env);
    const deleted = new Set(ops.filter((o) => o.kind === 'delete').map((o) => o.assetId));
    const moved = new Map(ops.filter((o) => o.kind === 'move').map((o) => [o.assetId, o.folder!]));
    return store.assets
      .list(env)
      .map((a) => ({ ...a, folder: moved.get(a.id) ?? a.folder }))
      .filter((a) => !deleted.has(a.id) && (!folder || a.folder === folder))
      .filter((a) => !needle || a.filename.toLowerCase().includes(needle) || Object.values(a.metadata).some((m) => `${m.alt ?? ''} ${m.title ?? ''}`.toLowerCase().includes(needle)))
      .map((a) => ({ id: a.id, folder: a.folder, filename: a.filename, size: a.size, mimeType: a.mimeType, width: a.width, height: a.height, createdAt: a.createdAt, preview: store.assets.thumbnail(env, a.id) !== null, pending: moved.has(a.id), metadata: a.metadata }));
  }

  /** The kept thumbnail of an asset the viewer can see, or null. */
  thumbnail(env: string, id: string): Output<'assets.thumbnail'> {
    this.ctx.env(env);
    const bytes = this.ctx.store().assets.thumbnail(env, id);
    return bytes ? { mimeType: 'image/webp', dataBase64: bytes.toString('base64') } : null;
  }

  /** The server's current copy (metadata merges lay a patch over it, not over a stale local one). */
  private async serverCopy(env: string, folder: string, id: string): Promise<{ id: string; metadata: AssetView['metadata'] } | undefined> {
    const r = await this.ctx.api().request<{ assets: { nodes: { id: string; metadata: AssetView['metadata'] }[] } }>(ASSETS, { e: env, f: folder });
    return r.assets.nodes.find((a) => a.id === id);
  }

  /**
   * Alt text and title of an asset in one locale, as a patch: only the keys given change.
   * The server replaces a locale's object whole, so the core lays the patch over the stored
   * one, one save at a time per asset.
   */
  async updateMetadata(env: string, id: string, folder: string, locale: string, patch: { alt?: string | null; title?: string | null }): Promise<void> {
    const perms = this.ctx.viewer().viewer.permissions.environments[env];
    if (!perms?.uploads.update.folders.includes(folder)) throw new PermissionError(`Your role (${this.ctx.viewer().viewer.role.name}) may not edit assets in this folder.`);
    if (!this.ctx.viewer().project.locales.includes(locale)) throw new InputError(`unknown locale "${locale}"`);
    const key = `${env}/${id}`;
    const run = (this.queue.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const current = await this.serverCopy(env, folder, id);
        if (!current) throw new InputError(`asset "${id}" is not in that folder`);
        const merged = { ...(current.metadata[locale] ?? {}), ...patch };
        const saved = await this.ctx.api().request<{ updateAsset: AssetNode }>(UPDATE_ASSET, { e: env, id, m: { [locale]: merged }, c: `ink-meta-${randomUUID()}` });
        this.ctx.store().assets.upsert(env, saved.updateAsset);
      });
    this.queue.set(key, run);
    try {
      await run;
    } finally {
      if (this.queue.get(key) === run) this.queue.delete(key);
    }
  }

  /** Names already looked up: authors rarely change names, and offline they are all there is. */
  private readonly known = new Map<string, string>();

  /** Display names of project members; the ones not known yet are asked of the server, offline the known ones answer. */
  async names(ids: string[]): Promise<{ id: string; name: string }[]> {
    const missing = [...new Set(ids)].filter((id) => !this.known.has(id));
    if (missing.length) {
      try {
        const r = await this.ctx.api().request<{ people: { id: string; name: string }[] }>('query($ids: [ID!]!) { people(ids: $ids) { id name } }', { ids: missing });
        for (const p of r.people) this.known.set(p.id, p.name);
      } catch {
        // Offline or signed out: a name is a nicety; the caller says "someone" for the unknown.
      }
    }
    return ids.filter((id) => this.known.has(id)).map((id) => ({ id, name: this.known.get(id)! }));
  }

  /** Version history, from the server (it keeps every version). */
  async versions(env: string, id: string): Promise<Output<'content.versions'>> {
    this.ctx.env(env);
    const r = await this.ctx
      .api()
      .request<{ recordVersions: Output<'content.versions'> }>('query($e: ID!, $id: ID!) { recordVersions(environment: $e, id: $id) { version values createdAt createdBy } }', { e: env, id });
    return r.recordVersions;
  }
}
