import { useEffect, useState } from 'react';
import { useApp, SAVE_LABEL } from './store';
import type { Output } from '../../shared/ipc/contract';

type Conflict = Output<'sync.conflicts'>[number];

/** Online/offline, pending and blocked operations per environment, and conflicts side by side. */
export function SyncPanel() {
  const { bridge, status, save, message, revision, sync, refresh } = useApp();
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [progress, setProgress] = useState<{ label: string; done: number; total?: number } | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  useEffect(() => {
    if (bridge) void bridge.invoke('sync.conflicts', {}).then((r) => r.ok && setConflicts(r.value));
  }, [bridge, revision]);
  useEffect(() => bridge?.on('sync.progress', (e) => setProgress({ label: `${e.phase}${e.env ? ` ${e.env}` : ''}${e.message ? ` ${e.message}` : ''}`, done: e.done, total: e.total })), [bridge]);
  useEffect(() => {
    if (save !== 'syncing') setProgress(null);
  }, [save]);

  async function resolve(c: Conflict, choice: { keep: 'mine' | 'theirs' } | { value: string }) {
    const r = await bridge!.invoke('sync.resolve', { env: c.env, recordId: c.recordId, cell: c.cell, ...choice });
    if (r.ok) await refresh();
  }
  const key = (c: Conflict) => `${c.env}/${c.recordId}/${c.cell}`;

  return (
    <aside className="sync" aria-label="Sync">
      {save === 'offline' && (
        <p role="status" className="banner offline">
          Offline. Your edits are saved on this computer and will sync when the server is back.
        </p>
      )}
      <div className="syncbar">
        <span role="status" aria-live="polite" data-testid="save-state">
          {SAVE_LABEL[save]}
        </span>
        <button onClick={() => void sync()} disabled={save === 'syncing'}>
          Sync now
        </button>
      </div>
      {progress && (
        <label className="progress">
          {progress.label}: {progress.done}
          {progress.total ? ` of ${progress.total}` : ''}
          <progress value={progress.total ? progress.done : undefined} max={progress.total ?? undefined} />
        </label>
      )}
      {message && <p className="error">{message}</p>}
      <h3>Pending</h3>
      <ul>
        {Object.entries(status?.environments ?? {}).map(([env, e]) => (
          <li key={env}>
            {env}: {e.pending} pending, {e.conflicts} conflicts
            {e.blocked.length > 0 && (
              <ul>
                {e.blocked.map((b) => (
                  <li key={b.seq} className="blocked">
                    Blocked {b.kind} of {b.recordId}: {b.reason}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {conflicts.length > 0 && (
        <>
          <h3>Conflicts</h3>
          {conflicts.map((c) => (
            <section key={`${c.env}/${c.recordId}/${c.cell}`} className="conflict-card" aria-label={`Conflict on ${c.cell} of ${c.recordId}`}>
              <p>
                <strong>{c.recordId}</strong> · {c.cell === '*' ? 'deleted on the server' : c.cell}
              </p>
              <div className="sides">
                <div>
                  <h4>Mine</h4>
                  <pre data-testid="mine">{JSON.stringify(c.mine)}</pre>
                </div>
                <div>
                  <h4>Theirs</h4>
                  <pre data-testid="theirs">{JSON.stringify(c.theirs)}</pre>
                </div>
              </div>
              <button onClick={() => void resolve(c, { keep: 'mine' })}>Keep mine</button> <button onClick={() => void resolve(c, { keep: 'theirs' })}>Take theirs</button>
              {c.cell !== '*' && (typeof c.mine === 'string' || typeof c.theirs === 'string') && (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void resolve(c, { value: edits[key(c)] ?? '' });
                  }}
                >
                  <label>
                    Or write the value
                    <input value={edits[key(c)] ?? String(c.mine ?? '')} onChange={(e) => setEdits({ ...edits, [key(c)]: e.target.value })} />
                  </label>
                  <button type="submit">Use this</button>
                </form>
              )}
            </section>
          ))}
        </>
      )}
    </aside>
  );
}
