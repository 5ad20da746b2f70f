import { Button, Dialog, DialogTrigger, Heading, Popover } from 'react-aria-components';
import { AlertTriangle, Check, CircleDashed, CloudOff, Info, LogOut, RefreshCw } from 'lucide-react';
import { useApp } from './store';
import { countsText, syncLabel, totals, type SyncLabel } from './syncState';
import { usePanels } from './ui/panels';

const TONE: Record<SyncLabel, { tone: string; Icon: typeof Check }> = {
  'Saving…': { tone: 'busy', Icon: CircleDashed },
  'Not saved': { tone: 'danger', Icon: AlertTriangle },
  'Syncing…': { tone: 'busy', Icon: RefreshCw },
  'Needs attention': { tone: 'danger', Icon: AlertTriangle },
  'Signed out — saved on this computer': { tone: 'muted', Icon: LogOut },
  'Offline — saved on this computer': { tone: 'warning', Icon: CloudOff },
  Offline: { tone: 'warning', Icon: CloudOff },
  'Saved on this computer': { tone: 'local', Icon: CircleDashed },
  Synced: { tone: 'ok', Icon: Check },
};

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The one sync state, what is still to send, its details on demand, and the one "Sync now" (Ctrl/Cmd+S). */
export function StatusBar() {
  const { status, saving, saveFailed, syncing, sync } = useApp();
  const label = syncLabel(status, { saving, saveFailed, syncing });
  const counts = countsText(status);
  const t = totals(status);
  const next = status?.sync.state === 'offline' ? status.sync.nextAttemptAt : null;
  const { tone, Icon } = TONE[label];
  const openSync = () => usePanels.getState().setCollapsed('sync', false);
  return (
    <footer className="statusbar" aria-label="Sync status">
      <span className={`sync-state tone-${tone}`}>
        <Icon aria-hidden className={`state-icon${tone === 'busy' ? ' spin' : ''}`} />
        <span role="status" aria-live="polite" data-testid="save-state">
          {label}
        </span>
      </span>
      <span className="counts muted" data-testid="sync-counts">
        {counts}
      </span>
      {t.problems + t.conflicts + t.mediaProblems > 0 && (
        <button className="link" onClick={openSync}>
          Review problems
        </button>
      )}
      <span className="spacer" />
      {next && <span className="muted">Next try at {time(next)}</span>}
      {status?.sync.lastSyncedAt && <span className="muted last">Last synced {time(status.sync.lastSyncedAt)}</span>}
      <DialogTrigger>
        <Button className="btn quiet small" aria-label="Sync details">
          <Info aria-hidden className="btn-icon" />
        </Button>
        <Popover placement="top end" className="react-aria-Popover sync-details">
          <Dialog aria-labelledby="sync-details-title">
            {({ close }) => (
              <>
            <Heading slot="title" id="sync-details-title" className="popover-title">
              {label}
            </Heading>
            <dl className="details">
              <dt>Changes waiting to send</dt>
              <dd>{t.pending}</dd>
              <dt>Drafts on this computer</dt>
              <dd>{t.drafts}</dd>
              <dt>Files waiting to upload</dt>
              <dd>{t.uploads}</dd>
              <dt>Refused by the server</dt>
              <dd>{t.problems}</dd>
              <dt>Conflicts to resolve</dt>
              <dd>{t.conflicts}</dd>
              <dt>Last synced</dt>
              <dd>{status?.sync.lastSyncedAt ? new Date(status.sync.lastSyncedAt).toLocaleString() : 'not yet'}</dd>
              {status?.sync.lastError && (
                <>
                  <dt>Last error</dt>
                  <dd>{status.sync.lastError}</dd>
                </>
              )}
            </dl>
            <button
              className="btn"
              onClick={() => {
                close();
                openSync();
              }}
            >
              Open sync activity
            </button>
              </>
            )}
          </Dialog>
        </Popover>
      </DialogTrigger>
      {status?.signedIn && (
        <button className="btn small" onClick={() => void sync()} disabled={syncing || saving} aria-keyshortcuts="Control+S">
          <RefreshCw aria-hidden className={`btn-icon${syncing ? ' spin' : ''}`} />
          Sync now
        </button>
      )}
    </footer>
  );
}
