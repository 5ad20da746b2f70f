import { useApp } from './store';
import { countsText, syncLabel } from './syncState';

/** The one sync state, what is still to send, and the one "Sync now" — at the bottom, like an editor's status bar. */
export function StatusBar() {
  const { status, saving, saveFailed, syncing, sync } = useApp();
  const label = syncLabel(status, { saving, saveFailed, syncing });
  const counts = countsText(status);
  const next = status?.sync.state === 'offline' ? status.sync.nextAttemptAt : null;
  return (
    <footer className="statusbar" aria-label="Sync status">
      <span role="status" aria-live="polite" className={`state ${label === 'Needs attention' ? 'attention' : ''}`} data-testid="save-state">
        {label}
      </span>
      <span className="counts" data-testid="sync-counts">
        {counts}
      </span>
      {next && <span className="next">Next try at {new Date(next).toLocaleTimeString()}</span>}
      {status?.sync.lastSyncedAt && <span className="last">Last synced {new Date(status.sync.lastSyncedAt).toLocaleTimeString()}</span>}
      {status?.signedIn && (
        <button onClick={() => void sync()} disabled={syncing || saving}>
          Sync now
        </button>
      )}
    </footer>
  );
}
