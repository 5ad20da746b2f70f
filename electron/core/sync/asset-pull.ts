import { MAX_THUMBNAIL_BYTES } from '../../../shared/ipc/contract';
import { ASSETS_PAGE, type AssetNode, type AssetsPageResult } from '../../../shared/api/operations';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { LocalStore } from '../store/store';

const PARALLEL = 4;

/**
 * The assets the viewer may read in one environment, whole (what became unreadable goes),
 * then the thumbnails still missing, so the library and pickers work offline. A thumbnail
 * the server has none of is remembered as such; a network failure stops here (offline).
 */
export async function pullAssets(store: LocalStore, api: ApiClient, env: string, guard: <T>(p: Promise<T>) => Promise<T>): Promise<number> {
  const nodes: AssetNode[] = [];
  let after: string | null = null;
  for (;;) {
    const page: AssetsPageResult = await guard(api.request<AssetsPageResult>(ASSETS_PAGE, { environment: env, after }));
    nodes.push(...page.assets.nodes);
    if (!page.assets.hasMore || !page.assets.endCursor) break;
    after = page.assets.endCursor;
  }
  store.tx(() => store.assets.replace(env, nodes));
  const missing = store.assets.missingThumbnails(env);
  let fetched = 0;
  const next = async (): Promise<void> => {
    for (let a = missing.shift(); a; a = missing.shift()) {
      try {
        const bytes = await guard(api.getBytes(`/assets/${encodeURIComponent(env)}/${encodeURIComponent(a.id)}/thumbnail`, MAX_THUMBNAIL_BYTES));
        store.assets.putThumbnail(a.sha256, bytes ?? Buffer.alloc(0));
        fetched++;
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'NETWORK' || e.code === 'UNAUTHENTICATED')) throw e;
        // Any other trouble with one preview: the next sync asks again; the others still come.
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
  return fetched;
}
