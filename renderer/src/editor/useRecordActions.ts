import type { Model, Values } from '../../../shared/domain';
import { isolate } from '../text/isolate';
import type { Output } from '../../../shared/ipc/contract';
import { useApp } from '../store';
import { toast } from '../ui/toast';
import type { Action } from './EditorHeader';

type RecordView = Output<'content.record'>;

/**
 * Publish, unpublish, delete, and the delete's Undo. A delete only waits in the queue until
 * the next sync, so Undo takes it out of the queue (content.undoDelete); a record that was
 * never on the server is gone at once, so its Undo makes it again from the values it had.
 */
export function useRecordActions(setError: (e: { on: string; message: string } | null) => void) {
  const { bridge, set, refreshStatus } = useApp();
  const bump = () => set({ revision: useApp.getState().revision + 1 });

  async function undo(env: string, id: string): Promise<void> {
    const r = await bridge!.invoke('content.undoDelete', { env, id });
    if (!r.ok) return void toast({ title: 'Could not undo the delete', description: r.error.message, tone: 'danger', timeoutMs: null });
    set({ recordId: id });
    bump();
    await refreshStatus();
  }

  async function recreate(env: string, model: Model, values: Values): Promise<void> {
    const r = await bridge!.invoke('content.create', { env, model: model.id, values });
    if (!r.ok) return void toast({ title: 'Could not undo the delete', description: r.error.message, tone: 'danger', timeoutMs: null });
    set({ recordId: r.value.id });
    bump();
    await refreshStatus();
  }

  async function run(kind: Action, record: RecordView, model: Model, title: string): Promise<void> {
    const env = useApp.getState().env!;
    const on = `${env}/${record.id}`;
    const r = await bridge!.invoke('content.action', { env, id: record.id, kind });
    if (!r.ok) return setError({ on, message: r.error.message });
    setError(null);
    if (kind === 'delete') {
      const neverSynced = record.local === 'created';
      // A record never synced is gone now; any other stays open, marked deleted, with Undo, until the sync.
      if (neverSynced) set({ recordId: null });
      toast({
        title: `Deleted “${isolate(title || 'Untitled')}”`,
        description: neverSynced ? 'It was only on this computer.' : 'It leaves the server with the next sync.',
        action: { label: 'Undo', onPress: () => void (neverSynced ? recreate(env, model, record.values) : undo(env, record.id)) },
      });
    } else {
      toast({ title: kind === 'publish' ? `Publish of “${isolate(title || 'Untitled')}” queued` : `Unpublish of “${isolate(title || 'Untitled')}” queued`, description: 'It reaches the server with the next sync.', tone: 'success' });
    }
    bump();
    await refreshStatus();
  }

  return { run, undo };
}
