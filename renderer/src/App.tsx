import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { InkstoneBridge } from '../../shared/ipc/contract';
import { useApp } from './store';
import { RecordList } from './RecordList';
import { RecordEditor } from './RecordEditor';
import { SyncPanel } from './SyncPanel';
import { MediaLibrary } from './media/MediaLibrary';
import { mayUseMedia } from './media/access';
import { StatusBar } from './StatusBar';
import { AccountDialogs, useAccountDialogs } from './AccountMenu';
import { KeptCopy, SignIn } from './SignIn';
import { totals } from './syncState';
import { AppHeader } from './ui/AppHeader';
import { usePalette } from './ui/palette';
import type { Environment } from './ui/EnvironmentSwitcher';
import { Nav } from './ui/Nav';
import { RecordsLayout, WorkspaceLayout } from './ui/Layout';
import { usePanels } from './ui/panels';
import { useChromeCommands, useGlobalShortcuts } from './ui/shortcuts';
import { Toaster } from './ui/Toaster';

// The palette (cmdk) is its own chunk, loaded at the first Ctrl/Cmd+K: the window opens without it.
const CommandPalette = lazy(() => import('./ui/CommandPalette'));

export function App({ bridge, demoServerUrl }: { bridge: InkstoneBridge; demoServerUrl: string | null }) {
  const status = useApp((s) => s.status);
  // Signed out with the copy kept, the user may still open their drafts (read-only).
  const [browsingKept, setBrowsingKept] = useState(false);
  useGlobalShortcuts();
  useEffect(() => {
    useApp.setState({ bridge });
    void bridge.invoke('session.status', {}).then((r) => r.ok && useApp.setState({ status: r.value }));
    // The core says whenever the sync state, counts or session change (automatic sync included).
    return bridge.on('session.changed', (s) => useApp.getState().statusArrived(s));
  }, [bridge]);
  useEffect(() => {
    if (status?.signedIn) setBrowsingKept(false);
  }, [status?.signedIn]);
  return (
    <>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      {!status ? (
        <p role="status" className="loading">
          Loading…
        </p>
      ) : status.signedIn || (browsingKept && status.account) ? (
        <Workspace bridge={bridge} onSignIn={() => setBrowsingKept(false)} />
      ) : (
        <SignIn bridge={bridge} defaultUrl={status.account?.url ?? demoServerUrl ?? ''} defaultEmail={status.account?.email ?? ''} onSignedIn={(s) => useApp.setState({ status: s })}>
          {status.account?.signedOut && <KeptCopy status={status} onOpen={() => setBrowsingKept(true)} />}
        </SignIn>
      )}
      <PaletteWhenAsked />
      <Toaster />
    </>
  );
}

function Workspace({ bridge, onSignIn }: { bridge: InkstoneBridge; onSignIn: () => void }) {
  const { status, env, view, set, refresh, permissions } = useApp();
  // A role that may read or upload to no folder has no media library (e.g. after switching environment).
  const media = view === 'media' && mayUseMedia(permissions, env);
  const signedIn = status?.signedIn ?? false;
  const [envs, setEnvs] = useState<Environment[]>([]);
  useEffect(() => {
    void bridge.invoke('content.environments', {}).then((r) => {
      if (!r.ok) return;
      setEnvs(r.value);
      const current = useApp.getState().env;
      if (!r.value.some((e) => e.id === current)) set({ env: (r.value.find((e) => e.primary) ?? r.value[0])?.id ?? null });
    });
  }, [bridge, signedIn, set]);
  useEffect(() => {
    if (env) {
      set({ modelId: null, recordId: null });
      void refresh();
    }
  }, [env, refresh, set]);
  useChromeCommands(useCallback(() => useAccountDialogs.getState().show('signout'), []));
  useAttentionOpensSync();
  const current = envs.find((e) => e.id === env);
  return (
    <div className={`workspace${current && !current.primary ? ' sandbox' : ''}`}>
      <AppHeader envs={envs} onSignIn={onSignIn} />
      {status?.sync.state === 'offline' && (
        <p role="status" className="banner offline">
          Offline. Your edits are saved on this computer and will sync when the server is back.
        </p>
      )}
      <div className="workspace-body">
        <WorkspaceLayout
          nav={<Nav />}
          main={
            <main id="main-content" tabIndex={-1} className="app-main">
              {media ? <MediaLibrary /> : <RecordsLayout list={<RecordList />} editor={<RecordEditor />} />}
            </main>
          }
          sync={<SyncPanel />}
        />
      </div>
      <StatusBar />
      {signedIn && <AccountDialogs />}
    </div>
  );
}

/** A new problem or conflict opens the sync panel, where it can be retried, discarded or resolved. */
function useAttentionOpensSync(): void {
  const status = useApp((s) => s.status);
  const t = totals(status);
  const attention = t.problems + t.conflicts;
  const before = useRef(0);
  useEffect(() => {
    if (attention > before.current) usePanels.getState().setCollapsed('sync', false);
    before.current = attention;
  }, [attention]);
}

/** Mounts the palette once it has been asked for, then keeps it (its chunk is loaded by then). */
function PaletteWhenAsked() {
  const open = usePalette((s) => s.open);
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    if (open) setAsked(true);
  }, [open]);
  return asked ? (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  ) : null;
}
