import { createReadStream, rmSync } from 'node:fs';
import type { EffectivePermissions } from '../../../shared/permissions';
import { CREATE_UPLOAD_SLOT, type CreateUploadSlotResult } from '../../../shared/api/operations';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { LocalStore } from '../store/store';
import type { ProgressListener } from './events';

const REPLACE_ASSET_FILE = `mutation ReplaceAssetFile($environment: ID!, $id: ID!, $filename: String!, $size: Int!, $mimeType: String!, $sha256: String!, $clientMutationId: ID!) {
  replaceAssetFile(environment: $environment, id: $id, filename: $filename, size: $size, mimeType: $mimeType, sha256: $sha256, clientMutationId: $clientMutationId) { slotId putUrl } }`;

/** Queued files of one environment: slot, PUT with progress, done. The same bytes already uploaded to the folder are not sent again. */
export async function pushUploads(store: LocalStore, api: ApiClient, perms: EffectivePermissions, env: string, guard: <T>(p: Promise<T>) => Promise<T>, onProgress: ProgressListener): Promise<number> {
  let done = 0;
  for (const u of store.uploads.queued(env)) {
    const envPerms = perms.environments[env];
    if (!envPerms || !envPerms.uploads.create.folders.includes(u.folder) || !envPerms.uploads.read.folders.includes(u.folder)) {
      store.uploads.fail(u.id, 'your role may not upload into this folder');
      continue;
    }
    const twin = u.replaces ? null : store.uploads.twin(env, u.folder, u.sha256, 'done');
    if (twin?.assetId) {
      store.uploads.done(u.id, twin.assetId);
      rmSync(u.path, { force: true });
      done++;
      continue;
    }
    try {
      const file = { environment: env, filename: u.filename, size: u.size, mimeType: u.mimeType, sha256: u.sha256, clientMutationId: u.clientMutationId };
      const slot = u.replaces
        ? { createUploadSlot: (await guard(api.request<{ replaceAssetFile: CreateUploadSlotResult['createUploadSlot'] }>(REPLACE_ASSET_FILE, { ...file, id: u.replaces }))).replaceAssetFile }
        : await guard(api.request<CreateUploadSlotResult>(CREATE_UPLOAD_SLOT, { ...file, folder: u.folder }));
      let last = 0;
      const asset = await api.put(slot.createUploadSlot.putUrl, createReadStream(u.path), u.size, (sent) => {
        onProgress({ phase: 'upload', env, done: sent, total: u.size, message: u.filename });
        // Progress kept a few times per file, not per packet.
        if (sent - last >= u.size / 10) store.uploads.progress(u.id, (last = sent));
      });
      store.uploads.done(u.id, asset.id);
      rmSync(u.path, { force: true });
      done++;
    } catch (e) {
      if (e instanceof ApiError && ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'REDIRECT_REFUSED'].includes(e.code)) {
        // Refused for this file only: the others still go.
        store.uploads.fail(u.id, e.code === 'REDIRECT_REFUSED' ? e.message : `the server refused: ${e.message}`);
        continue;
      }
      throw e;
    }
  }
  return done;
}
