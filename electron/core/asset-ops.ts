import { randomUUID } from 'node:crypto';
import type { Output } from '../../shared/ipc/contract';
import type { CoreContext } from './context';
import { InputError, PermissionError } from './errors';
import type { AssetOp } from './store/asset-ops';
import type { Content } from './content';

/**
 * Moving and deleting assets, offline first: each is decided here by the viewer's effective
 * permissions (the server decides again), queued in the local store and sent with the next
 * sync; the library shows it at once, and a refusal shows with the server's reason until the
 * user retries or discards it.
 */
export class AssetActions {
  constructor(
    private readonly ctx: CoreContext,
    private readonly content: Pick<Content, 'titleFor'>,
  ) {}

  private perms(env: string) {
    this.ctx.env(env);
    return this.ctx.viewer().viewer.permissions.environments[env]!;
  }

  /** The asset as the library shows it now (queued moves applied), or an error naming what is wrong. */
  private current(env: string, id: string): { folder: string } {
    const store = this.ctx.store();
    const a = store.assets.get(env, id);
    const ops = store.assetOps.open(env).filter((o) => o.assetId === id);
    if (!a || ops.some((o) => o.kind === 'delete')) throw new InputError(`no asset "${id}" in ${env}`);
    const moved = ops.filter((o) => o.kind === 'move').at(-1)?.folder;
    return { folder: moved ?? a.folder };
  }

  move(env: string, id: string, folder: string): number {
    const perms = this.perms(env);
    const from = this.current(env, id).folder;
    const role = this.ctx.viewer().viewer.role.name;
    if (!perms.uploads.update.folders.includes(from)) throw new PermissionError(`Your role (${role}) may not move assets out of this folder.`);
    if (!perms.uploads.create.folders.includes(folder)) throw new PermissionError(`Your role (${role}) may not put assets into that folder.`);
    if (folder === from) throw new InputError('the asset is already in that folder');
    return this.queue(env, 'move', id, folder);
  }

  delete(env: string, id: string): number {
    const perms = this.perms(env);
    const from = this.current(env, id).folder;
    if (!perms.uploads.delete.folders.includes(from)) throw new PermissionError(`Your role (${this.ctx.viewer().viewer.role.name}) may not delete assets in this folder.`);
    return this.queue(env, 'delete', id, null);
  }

  private queue(env: string, kind: AssetOp['kind'], assetId: string, folder: string | null): number {
    const seq = this.ctx.store().assetOps.add({ env, kind, assetId, folder, clientMutationId: `ink-asset-${randomUUID()}`, createdAt: new Date().toISOString() });
    this.ctx.edited();
    return seq;
  }

  retry(env: string, seq: number): void {
    const store = this.ctx.store();
    const op = store.assetOps.get(env, seq);
    if (!op) throw new InputError(`no asset change ${seq} in ${env}`);
    if (op.state !== 'refused') throw new InputError(`asset change ${seq} was not refused (it is ${op.state})`);
    store.assetOps.requeue(seq, `ink-asset-${randomUUID()}`);
    this.ctx.edited();
  }

  discard(env: string, seq: number): void {
    const store = this.ctx.store();
    if (!store.assetOps.get(env, seq)) throw new InputError(`no asset change ${seq} in ${env}`);
    store.assetOps.remove(seq);
    this.ctx.changed();
  }

  list(): Output<'assets.ops'> {
    const store = this.ctx.store();
    return store.assetOps.all().map((o) => ({
      seq: o.seq,
      env: o.env,
      kind: o.kind,
      assetId: o.assetId,
      filename: store.assets.get(o.env, o.assetId)?.filename ?? o.assetId,
      folder: o.folder,
      state: o.state,
      reason: o.reason === null ? null : this.named(o.env, o.reason),
    }));
  }

  /**
   * The server names the records that still use an asset by id (it answers every client alike);
   * the user knows them by title. Each word of the reason that is a record kept here, and so
   * one the user may read, is said as its title.
   */
  private named(env: string, reason: string): string {
    return reason.replace(/[A-Za-z0-9_-]+/g, (word) => {
      const title = this.content.titleFor(env, word);
      return title === word ? word : `“${title}”`;
    });
  }
}
