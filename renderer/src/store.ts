import { create } from 'zustand';
import type { EffectivePermissions } from '../../shared/permissions/effective';
import type { InkstoneBridge, Output } from '../../shared/ipc/contract';
import { flushSaves, onAutosave } from './autosave';

export type Status = Output<'session.status'>;
export type Model = Output<'content.models'>[number];

/** What the user is told about their edits: never "saved" before the cache has it. */
export type SaveState = 'idle' | 'saving' | 'saved-local' | 'syncing' | 'synced' | 'offline' | 'error';

interface AppState {
  bridge: InkstoneBridge | null;
  status: Status | null;
  permissions: EffectivePermissions | null;
  env: string | null;
  models: Model[];
  modelId: string | null;
  recordId: string | null;
  view: 'records' | 'media';
  save: SaveState;
  message: string | null;
  /** Bumped after anything that may change lists (sync, edits), so views re-read. */
  revision: number;
  set: (p: Partial<AppState>) => void;
  refresh: () => Promise<void>;
  sync: () => Promise<void>;
}

export const useApp = create<AppState>((set, get) => ({
  bridge: null,
  status: null,
  permissions: null,
  env: null,
  models: [],
  modelId: null,
  recordId: null,
  view: 'records',
  save: 'idle',
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
  sync: async () => {
    const b = get().bridge!;
    // What is typed goes to the cache first: a sync must not overtake an edit.
    await flushSaves();
    set({ save: 'syncing', message: null });
    const r = await b.invoke('sync.run', {});
    if (!r.ok) {
      set({ save: r.error.code === 'OFFLINE' ? 'offline' : 'error', message: r.error.message });
    } else {
      set({
        save: r.value.offline ? 'offline' : 'synced',
        message: r.value.offline ? 'Offline: your changes are kept on this computer and will be sent when the server is reachable.' : null,
      });
    }
    await get().refresh();
    const pending = Object.values(get().status?.environments ?? {}).reduce((n, e) => n + e.pending, 0);
    if (get().save === 'synced' && pending > 0) set({ save: 'saved-local' });
  },
}));

export const SAVE_LABEL: Record<SaveState, string> = {
  idle: '',
  saving: 'Saving…',
  'saved-local': 'Saved on this computer',
  syncing: 'Syncing…',
  synced: 'Synced',
  offline: 'Offline — saved on this computer',
  error: 'Not saved',
};

// The last edit in: "saved on this computer", unless one of them failed (then it says so).
onAutosave((busy) => {
  if (!busy && useApp.getState().save === 'saving') useApp.setState({ save: 'saved-local', message: null });
});
