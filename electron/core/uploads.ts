import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, type Output } from '../../shared/ipc/contract';
import type { CoreContext } from './context';
import { InputError, PermissionError } from './errors';

interface Receiving {
  env: string;
  folder: string;
  filename: string;
  mimeType: string;
  size: number;
  path: string;
  received: number;
  replaces: string | null;
}

const safeName = (filename: string): string => basename(filename).replace(/[\\/\0]/g, '_') || 'upload';
const MIB = 1024 * 1024;

/**
 * Files into app data and the upload queue. A file never crosses the bridge as one message:
 * it arrives in chunks (begin/chunk/commit), or as a path (CLI, Electron). The same bytes
 * into the same folder are queued once.
 */
export class UploadIntake {
  private readonly receiving = new Map<string, Receiving>();

  constructor(private readonly ctx: CoreContext) {}

  private folder(env: string, ref: string): { id: string; path: string } {
    this.ctx.env(env);
    const folder = this.ctx
      .store()
      .folders(env)
      .find((f) => f.id === ref || f.path === ref);
    const perms = this.ctx.viewer().viewer.permissions.environments[env]!;
    if (!folder || !perms.uploads.create.folders.includes(folder.id)) {
      throw new PermissionError(`Your role (${this.ctx.viewer().viewer.role.name}) may not upload into ${folder?.path ?? ref} in ${env}.`);
    }
    return folder;
  }

  /** A file that will replace asset `replaces` (kept in its folder): needs update rights there. */
  private replaced(env: string, id: string): { id: string; folder: string } {
    const asset = this.ctx.store().assets.get(env, id);
    if (!asset) throw new InputError(`no asset "${id}" in ${env}`);
    if (!this.ctx.viewer().viewer.permissions.environments[env]?.uploads.update.folders.includes(asset.folder)) {
      throw new PermissionError(`Your role (${this.ctx.viewer().viewer.role.name}) may not replace files in this folder.`);
    }
    return asset;
  }

  begin(env: string, folderRef: string, filename: string, mimeType: string, size: number, replaces: string | null = null): string {
    const folder = replaces ? { id: this.replaced(env, replaces).folder } : this.folder(env, folderRef);
    if (size < 1) throw new InputError('the file is empty');
    if (size > MAX_UPLOAD_BYTES) throw new InputError(`the file is larger than ${MAX_UPLOAD_BYTES / MIB} MiB`);
    const id = randomUUID();
    const dir = join(this.ctx.dataDir, 'incoming');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, id);
    writeFileSync(path, new Uint8Array(0), { mode: 0o600 });
    this.receiving.set(id, { env, folder: folder.id, filename: safeName(filename), mimeType, size, path, received: 0, replaces });
    return id;
  }

  chunk(id: string, offset: number, bytes: Buffer): number {
    const r = this.receiving.get(id);
    if (!r) throw new InputError(`no upload "${id}" is receiving`);
    if (offset !== r.received) throw new InputError(`chunk at ${offset}, but ${r.received} bytes were received so far`, { offset: `expected ${r.received}` });
    if (bytes.length === 0 || bytes.length > UPLOAD_CHUNK_BYTES) throw new InputError(`a chunk is 1 to ${UPLOAD_CHUNK_BYTES} bytes`);
    if (r.received + bytes.length > r.size) throw new InputError(`more bytes than the ${r.size} announced`);
    appendFileSync(r.path, bytes);
    r.received += bytes.length;
    return r.received;
  }

  commit(id: string): { id: string; state: string } {
    const r = this.receiving.get(id);
    if (!r) throw new InputError(`no upload "${id}" is receiving`);
    if (r.received !== r.size) throw new InputError(`${r.received} of ${r.size} bytes received; send the rest first`);
    this.receiving.delete(id);
    try {
      const queued = this.queueFile(r.env, r.folder, r.path, r.mimeType, r.filename, r.replaces);
      return { id: queued, state: this.ctx.store().uploads.get(queued)?.state ?? 'queued' };
    } finally {
      rmSync(r.path, { force: true });
    }
  }

  /** Cancels an upload receiving or waiting (queued, failed); an uploaded one is an asset now. */
  cancel(id: string): void {
    const r = this.receiving.get(id);
    if (r) {
      this.receiving.delete(id);
      rmSync(r.path, { force: true });
      return;
    }
    const store = this.ctx.store();
    const u = store.uploads.get(id);
    if (!u) throw new InputError(`no upload "${id}"`);
    if (u.state === 'done') throw new InputError('this file is already uploaded; delete the asset instead');
    store.uploads.remove(id);
    rmSync(u.path, { force: true });
    this.ctx.changed();
  }

  retry(id: string): void {
    const store = this.ctx.store();
    const u = store.uploads.get(id);
    if (!u) throw new InputError(`no upload "${id}"`);
    if (u.state !== 'failed') throw new InputError(`upload "${id}" has not failed (it is ${u.state})`);
    store.uploads.requeue(id);
    this.ctx.edited();
  }

  /** Copies the file into app data and queues it; refused at once for a folder the role may not upload into. */
  queueFile(env: string, folderRef: string, filePath: string, mimeType: string, filename = basename(filePath), replaces: string | null = null): string {
    const folder = replaces ? { id: this.replaced(env, replaces).folder } : this.folder(env, folderRef);
    const size = statSync(filePath).size;
    if (size === 0) throw new InputError('the file is empty');
    if (size > MAX_UPLOAD_BYTES) throw new InputError(`the file is larger than ${MAX_UPLOAD_BYTES / MIB} MiB`);
    const sha256 = createHash('sha256').update(readFileSync(filePath)).digest('hex');
    const store = this.ctx.store();
    const twin = replaces ? null : store.uploads.twin(env, folder.id, sha256);
    if (twin) return twin.id;
    const id = randomUUID();
    const dir = join(this.ctx.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const copy = join(dir, id);
    copyFileSync(filePath, copy);
    store.uploads.add({ id, env, folder: folder.id, path: copy, filename: safeName(filename), size, mimeType, sha256, clientMutationId: `ink-up-${id}`, createdAt: new Date().toISOString(), replaces });
    this.ctx.edited();
    return id;
  }

  list(): Output<'uploads.list'> {
    const rows = this.ctx
      .store()
      .uploads.all()
      .map((u) => ({ id: u.id, env: u.env, folder: u.folder, filename: u.filename, mimeType: u.mimeType, size: u.size, state: u.state, progress: u.state === 'done' ? 1 : Math.min(u.sent / u.size, 1), reason: u.reason, assetId: u.assetId, replaces: u.replaces ?? null }));
    const receiving = [...this.receiving.entries()].map(([id, r]) => ({ id, env: r.env, folder: r.folder, filename: r.filename, mimeType: r.mimeType, size: r.size, state: 'receiving', progress: r.received / r.size, reason: null, assetId: null, replaces: r.replaces }));
    return [...rows, ...receiving];
  }
}
