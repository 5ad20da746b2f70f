import { create } from 'zustand';
import type { EffectivePermissions } from '../../shared/permissions/effective';
import type { InkstoneBridge, Output } from '../../shared/ipc/contract';
import { autosaveBusy, flushSaves, onAutosave } from './autosave';
import type { Status } from './syncState';

export type { Status } from './syncState';
export type Model = Output<'content.models'>[number];

interface AppState {
  bridge: InkstoneBridge | null;
  status: Status | null;
  permissions: EffectivePermissions | null;
  env: string | null;
  models: Model[];
  modelId: string | null;
  recordId: string | null;
  view: 'records' | 'media';
  /** Typing not yet acknowledged by the local store; "saved" is never said before it is. */
  saving: boolean;
  saveFailed: boolean;
  /** A sync asked for from this page is running. */
  syncing: boolean;
  /** The last manual sync's failure, said in the sync panel. */
  message: string | null;
  /** Bumped after anything that may change what views show (sync, edits), so they re-read. */
  revision: number;
  set: (p: Partial<AppState>) => void;
  /** Re-reads status, permissions and models, then lets views re-read. */
  refresh: () => Promise<void>;
  /** Re-reads the status only. */
  refreshStatus: () => Promise<void>;
  sync: () => Promise<void>;
  /** A status from the core (automatic sync included): views re-read when it says content moved. */
  statusArrived: (s: Status) => void;
}

/** What a status says of content: a sync that finished, conflicts or problems that came or went. */
const contentMark = (s: Status | null): string =>
  JSON.stringify([s?.sync.lastSyncedAt ?? null, Object.entries(s?.environments ?? {}).map(([env, e]) => [env, e.conflicts, e.problems.length])]);

export const useApp = create<AppState>((set, get) => ({
  bridge: null,
  status: null,
  permissions: null,
  env: null,
  models: [],
  modelId: null,
  recordId: null,
  view: 'records',
  saving: false,
  saveFailed: false,
  syncing: false,
  message: null,
  revision: 0,
  set: (p) => set(p),
  refresh: async () => {
    const b = get().bridge!;
    const [status, permissions] = await Promise.all([b.invoke('session.status', {}), b.invoke('permissions.get', {})]);
    if (status.ok) set({ status: status.value });
    if (permissions.ok) set({ permissions: permissions.value });
    const env = get().env;
    if (env) {
      const models = await b.invoke('content.models', { env });
      if (models.ok) set({ models: models.value, modelId: get().modelId ?? models.value[0]?.id ?? null });
    }
    set({ revision: get().revision + 1 });
  },
  statusArrived: (status) => {
    const moved = contentMark(get().status) !== contentMark(status);
    set(moved ? { status, revision: get().revision + 1 } : { status });
  },
  refreshStatus: async () => {
    const r = await get().bridge?.invoke('session.status', {});
    if (r?.ok) set({ status: r.value });
  },
  sync: async () => {
    const b = get().bridge!;
    // What is typed goes to the local store first: a sync must not overtake an edit.
    await flushSaves();
    set({ syncing: true, message: null });
    const r = await b.invoke('sync.run', {});
    // Offline is not a failure of the sync: the status says it, with what is kept.
    set({ syncing: false, message: r.ok || r.error.code === 'OFFLINE' ? null : r.error.message });
    await get().refresh();
  },
}));

// The last edit in: re-read the status (its counts now include the edit) before the
// "Saving…" goes, so the bar never shows a stale "Synced" in between.
// Views re-read too: a list row shows the title just typed, not the one of the last sync.
onAutosave((busy) => {
  if (busy) return useApp.setState({ saving: true });
  void useApp
    .getState()
    .refreshStatus()
    .finally(() => useApp.setState({ saving: autosaveBusy(), revision: useApp.getState().revision + 1 }));
});
