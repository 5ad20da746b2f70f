import { useState, type FormEvent, type ReactNode } from 'react';
import type { InkstoneBridge } from '../../shared/ipc/contract';
import { ExportDrafts } from './AccountMenu';
import { totals, unsentText, type Status } from './syncState';

/** After "Sign out, keep this computer's copy": the drafts are still here, readable and exportable. */
export function KeptCopy({ status, onOpen }: { status: Status; onOpen: () => void }) {
  const t = totals(status);
  return (
    <section aria-label="Kept on this computer" className="kept">
      <h2>Kept on this computer</h2>
      <p>
        {status.account?.email} on {status.account?.project}: {unsentText(t) || 'nothing'} not yet on the server. Sign in to send them, or open and export them now.
      </p>
      <button className="btn primary" onClick={onOpen}>Open drafts</button> <ExportDrafts />
    </section>
  );
}

export function SignIn({ bridge, defaultUrl, defaultEmail, onSignedIn, children }: { bridge: InkstoneBridge; defaultUrl: string; defaultEmail: string; onSignedIn: (s: Status) => void; children?: ReactNode }) {
  const [url, setUrl] = useState(defaultUrl);
  const [email, setEmail] = useState(defaultEmail);
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
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {fingerprint && (
        <section role="alertdialog" aria-labelledby="cert-title" className="cert">
          <h2 id="cert-title">Is this the right server?</h2>
          <p>Inkstone does not know this server’s certificate yet. Trust it only if its SHA-256 fingerprint matches what your administrator gave you:</p>
          <code data-testid="fingerprint">{fingerprint}</code>
          <div>
            <button className="btn primary" onClick={() => void trust()}>Trust this certificate</button> <button className="btn" onClick={() => setFingerprint(null)}>Cancel</button>
          </div>
        </section>
      )}
      {error && (
        <p id="signin-error" role="alert" className="error">
          {error}
        </p>
      )}
      {children}
    </main>
  );
}

