import { useEffect, useState, type FormEvent } from 'react';
import type { InkstoneBridge, Output } from '../../shared/ipc/contract';
import { useApp } from './store';
import { RecordList } from './RecordList';
import { RecordEditor } from './RecordEditor';
import { SyncPanel } from './SyncPanel';
import { MediaLibrary } from './MediaLibrary';

type Status = Output<'session.status'>;

export function App({ bridge, demoServerUrl }: { bridge: InkstoneBridge; demoServerUrl: string | null }) {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    void bridge.invoke('session.status', {}).then((r) => r.ok && setStatus(r.value));
  }, [bridge]);
  if (!status) return <p role="status">Loading…</p>;
  return status.signedIn ? <Workspace bridge={bridge} status={status} /> : <SignIn bridge={bridge} defaultUrl={demoServerUrl ?? ''} onSignedIn={setStatus} />;
}

function SignIn({ bridge, defaultUrl, onSignedIn }: { bridge: InkstoneBridge; defaultUrl: string; onSignedIn: (s: Status) => void }) {
  const [url, setUrl] = useState(defaultUrl);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await bridge.invoke('session.login', { url, email, password, ...(otp ? { otp } : {}) });
    setBusy(false);
    if (r.ok) return onSignedIn(r.value);
    if (r.error.code === 'TLS_UNTRUSTED') return setFingerprint(r.error.details?.['fingerprint'] ?? null);
    if (r.error.code === 'SERVER' && r.error.details?.['code'] === 'OTP_REQUIRED') return setNeedOtp(true);
    setError(
      r.error.code === 'SERVER' && r.error.details?.['code'] === 'INVALID_CREDENTIALS'
        ? 'Wrong email or password.'
        : r.error.code === 'SERVER' && r.error.details?.['code'] === 'RATE_LIMITED'
          ? `Too many attempts. Try again in ${r.error.details?.['retryAfter'] ?? 'a few'} seconds.`
          : r.error.code === 'OFFLINE'
            ? `Cannot reach the server: ${r.error.message}`
            : r.error.message,
    );
  }

  async function trust() {
    if (!fingerprint) return;
    const r = await bridge.invoke('server.trust', { url, fingerprint });
    if (!r.ok) return setError(r.error.message);
    setFingerprint(null);
  }

  return (
    <main className="signin">
      <h1>Sign in to Inkstone</h1>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label>
          Server address
          <input name="url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://cms.example.com/graphql" />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {needOtp && (
          <label>
            Code from your authenticator app
            <input name="otp" inputMode="numeric" pattern="\d{6}" autoComplete="one-time-code" required value={otp} onChange={(e) => setOtp(e.target.value)} />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {fingerprint && (
        <section role="alertdialog" aria-labelledby="cert-title" className="cert">
          <h2 id="cert-title">Is this the right server?</h2>
          <p>Inkstone does not know this server’s certificate yet. Trust it only if its SHA-256 fingerprint matches what your administrator gave you:</p>
          <code data-testid="fingerprint">{fingerprint}</code>
          <div>
            <button onClick={() => void trust()}>Trust this certificate</button> <button onClick={() => setFingerprint(null)}>Cancel</button>
          </div>
        </section>
      )}
      {error && (
        <p id="signin-error" role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}

function Workspace({ bridge, status }: { bridge: InkstoneBridge; status: Status }) {
  const { env, models, modelId, view, set, refresh, sync } = useApp();
  const [envs, setEnvs] = useState<{ id: string; primary: boolean }[]>([]);
  useEffect(() => {
    useApp.setState({ bridge, status });
    void bridge.invoke('content.environments', {}).then((r) => {
      if (!r.ok) return;
      setEnvs(r.value);
      set({ env: (r.value.find((e) => e.primary) ?? r.value[0])?.id ?? null });
    });
  }, [bridge, status, set]);
  useEffect(() => {
    if (env) {
      set({ modelId: null, recordId: null });
      void refresh();
    }
  }, [env, refresh, set]);
  useEffect(() => bridge.on('session.changed', (s) => set({ status: s })), [bridge, set]);
  const current = envs.find((e) => e.id === env);
  return (
    <div className="workspace">
      <header>
        <strong>{status.account?.project}</strong>
        <span>
          {status.account?.email} ({status.account?.role})
        </span>
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
        <button onClick={() => void sync()}>Sync</button>
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
        <button aria-current={view === 'media'} onClick={() => set({ view: 'media' })}>
          Media
        </button>
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
    </div>
  );
}
