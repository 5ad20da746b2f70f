import { useEffect, useState } from 'react';
import { useApp } from './store';
import { ConflictCard, type Conflict } from './ConflictCard';
import { useProblemActions } from './RecordProblems';
import { countsText, type Status } from './syncState';
import { X } from 'lucide-react';
import { usePanels } from './ui/panels';
import { UPLOADS_PANEL_ID } from './media/UploadQueue';
import { focusWhenShown } from './ui/focus';

type EnvStatus = Status['environments'][string];

/** Offline, progress, refused operations and conflicts per environment: everything the status bar's state is made of. */
export function SyncPanel() {
  const { bridge, status, message, revision, syncing } = useApp();
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [progress, setProgress] = useState<{ label: string; done: number; total?: number } | null>(null);
  useEffect(() => {
    if (bridge && status?.signedIn) void bridge.invoke('sync.conflicts', {}).then((r) => r.ok && setConflicts(r.value));
  }, [bridge, revision, status]);
  useEffect(() => bridge?.on('sync.progress', (e) => setProgress({ label: `${e.phase}${e.env ? ` ${e.env}` : ''}${e.message ? ` ${e.message}` : ''}`, done: e.done, total: e.total })), [bridge]);
  const busy = syncing || status?.sync.state === 'syncing';
  useEffect(() => {
    if (!busy) setProgress(null);
  }, [busy]);

  return (
    <aside className="sync" aria-label="Sync">
      <div className="panel-header">
        <h2>Sync activity</h2>
        <button className="btn quiet small" aria-label="Close sync activity" onClick={() => usePanels.getState().setCollapsed('sync', true)}>
          <X aria-hidden className="btn-icon" />
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
      {status?.sync.lastError && status.sync.state === 'idle' && <p className="error">Last sync: {status.sync.lastError}</p>}
      <h3>Waiting to send</h3>
      <ul className="env-lines">
        {Object.entries(status?.environments ?? {}).map(([env, e]) => (
          <EnvLine key={env} env={env} e={e} status={status!} />
        ))}
      </ul>
      {conflicts.length > 0 && (
        <>
          <h3>Conflicts</h3>
          {conflicts.map((c) => (
            <ConflictCard key={`${c.env}/${c.recordId}/${c.cell}`} conflict={c} />
          ))}
        </>
      )}
    </aside>
  );
}

function EnvLine({ env, e, status }: { env: string; e: EnvStatus; status: Status }) {
  const { retry, discard, error } = useProblemActions(env);
  const { set } = useApp();
  return (
    <li>
      <strong>{env}</strong>: {countsText({ ...status, environments: { [env]: e } }) || 'nothing to send'}
      {/* Refused uploads and asset changes are listed, with their actions, in the Media view's uploads panel. */}
      {e.mediaProblems > 0 && (
        <>
          {' '}
          <button
            className="link"
            onClick={() => {
              set({ env, view: 'media' });
              focusWhenShown(UPLOADS_PANEL_ID);
            }}
          >
            Review in Media
          </button>
        </>
      )}
      {e.problems.length > 0 && (
        <ul aria-label={`Problems in ${env}`}>
          {e.problems.map((p) => (
            <li key={p.seq} className="problem">
              <button className="link" onClick={() => set({ env, recordId: p.recordId, view: 'records' })}>
                {p.kind} of “<bdi>{p.title || p.recordId}</bdi>”
              </button>
              : {p.message}{' '}
              <span className="problem-actions">
                <button className="btn small" onClick={() => void retry(p, p.recordId)}>
                  Retry
                </button>
                <button className="btn small danger" onClick={() => void discard(p)}>
                  Discard
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error">{error}</p>}
    </li>
  );
}
