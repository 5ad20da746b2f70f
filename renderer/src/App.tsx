import { useEffect, useState } from 'react';
import type { InkstoneBridge } from '../../shared/ipc/contract';
import { useApp } from './store';
import { RecordList } from './RecordList';
import { RecordEditor } from './RecordEditor';
import { SyncPanel } from './SyncPanel';
import { MediaLibrary } from './media/MediaLibrary';
import { StatusBar } from './StatusBar';
import { AccountMenu, ExportDrafts } from './AccountMenu';
import { KeptCopy, SignIn } from './SignIn';

export function App({ bridge, demoServerUrl }: { bridge: InkstoneBridge; demoServerUrl: string | null }) {
  const status = useApp((s) => s.status);
  // Signed out with the copy kept, the user may still open their drafts (read-only).
  const [browsingKept, setBrowsingKept] = useState(false);
  useEffect(() => {
    useApp.setState({ bridge });
    void bridge.invoke('session.status', {}).then((r) => r.ok && useApp.setState({ status: r.value }));
    // The core says whenever the sync state, counts or session change (automatic sync included).
    return bridge.on('session.changed', (s) => useApp.setState({ status: s }));
  }, [bridge]);
  useEffect(() => {
    if (status?.signedIn) setBrowsingKept(false);
  }, [status?.signedIn]);
  if (!status) return <p role="status">Loading…</p>;
  if (status.signedIn || (browsingKept && status.account)) return <Workspace bridge={bridge} onSignIn={() => setBrowsingKept(false)} />;
  return (
    <SignIn bridge={bridge} defaultUrl={status.account?.url ?? demoServerUrl ?? ''} defaultEmail={status.account?.email ?? ''} onSignedIn={(s) => useApp.setState({ status: s })}>
      {status.account?.signedOut && <KeptCopy status={status} onOpen={() => setBrowsingKept(true)} />}
    </SignIn>
  );
}

function Workspace({ bridge, onSignIn }: { bridge: InkstoneBridge; onSignIn: () => void }) {
  const { status, env, models, modelId, view, set, refresh } = useApp();
  const signedIn = status?.signedIn ?? false;
  const [envs, setEnvs] = useState<{ id: string; primary: boolean }[]>([]);
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
  const current = envs.find((e) => e.id === env);
  return (
    <div className="workspace">
      <header>
        <strong>{status?.account?.project}</strong>
        <label>
          Environment{' '}
          <select value={env ?? ''} onChange={(e) => set({ env: e.target.value })}>
            {envs.map((e) => (
              <option key={e.id} value={e.id}>
                {e.id}
                {e.primary ? '' : ' (sandbox)'}
              </option>
            ))}
          </select>
        </label>
        {current && !current.primary && <span className="badge sandbox">Sandbox</span>}
        <span className="spacer" />
        {signedIn ? (
          <AccountMenu />
        ) : (
          <span className="signed-out">
            Signed out: your drafts, read-only. <ExportDrafts /> <button onClick={onSignIn}>Sign in</button>
          </span>
        )}
      </header>
      <nav aria-label="Models">
        <h2>Models</h2>
        <ul>
          {models.map((m) => (
            <li key={m.id}>
              <button aria-current={view === 'records' && m.id === modelId} onClick={() => set({ modelId: m.id, recordId: null, view: 'records' })}>
                {m.name}
              </button>
            </li>
          ))}
        </ul>
        {signedIn && (
          <button aria-current={view === 'media'} onClick={() => set({ view: 'media' })}>
            Media
          </button>
        )}
      </nav>
      <main>
        {view === 'media' ? (
          <MediaLibrary />
        ) : (
          <div className="split">
            <RecordList />
            <RecordEditor />
          </div>
        )}
      </main>
      <SyncPanel />
      <StatusBar />
    </div>
  );
}
