import { ASSET_FIELDS, type AssetNode } from '../../../shared/api/operations';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { LocalStore } from '../store/store';

const MOVE = `mutation($e: ID!, $id: ID!, $f: ID!, $c: ID!) { moveAsset(environment: $e, id: $id, folder: $f, clientMutationId: $c) { ${ASSET_FIELDS} } }`;
const DELETE = 'mutation($e: ID!, $id: ID!, $c: ID!) { deleteAsset(environment: $e, id: $id, clientMutationId: $c) }';
/** The server's word on this op alone: it is refused, the next ones still go. */
const REFUSALS = ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT'];

/**
 * Queued asset moves and deletions of one environment, in order. Each is marked sent before
 * it goes, and carries its clientMutationId, so a resend after a lost answer applies once.
 */
export async function pushAssetOps(store: LocalStore, api: ApiClient, env: string, guard: <T>(p: Promise<T>) => Promise<T>): Promise<{ sent: number; refused: number }> {
  let sent = 0;
  let refused = 0;
  for (const op of store.assetOps.pending(env)) {
    store.assetOps.sent(op.seq);
    try {
      const moved = op.kind === 'move' ? (await guard(api.request<{ moveAsset: AssetNode }>(MOVE, { e: env, id: op.assetId, f: op.folder, c: op.clientMutationId }))).moveAsset : null;
      if (op.kind === 'delete') await guard(api.request(DELETE, { e: env, id: op.assetId, c: op.clientMutationId }));
      // The server's answer is the kept copy from now on (no wait for the next pull).
      store.tx(() => {
        store.assetOps.remove(op.seq);
        if (moved) store.assets.upsert(env, moved);
        else store.assets.remove(env, op.assetId);
      });
      sent++;
    } catch (e) {
      if (e instanceof ApiError && REFUSALS.includes(e.code)) {
        store.assetOps.refuse(op.seq, e.message);
        refused++;
        continue;
      }
      throw e;
    }
  }
  return { sent, refused };
}
