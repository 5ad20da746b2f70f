import { useEffect, useRef, useState } from 'react';
import { useApp } from './store';
import { flushSaves } from './autosave';
import { totals, unsentText } from './syncState';

/** The account button in the header: who is signed in, and "Sign out…" (a menu, keyboard-operable). */
export function AccountMenu() {
  const { status } = useApp();
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="account">
      <button ref={button} aria-label="Account menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {status?.account?.email} ({status?.account?.role}) ▾
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Account"
          className="menu"
          onKeyDown={(e) => e.key === 'Escape' && close()}
          // Focus leaving the menu (Tab, a click elsewhere) closes it, as native menus do.
          onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && e.relatedTarget !== button.current && setOpen(false)}
        >
          <p className="menu-note">
            {status?.account?.project} · {status?.account?.url}
          </p>
          <button
            ref={first}
            role="menuitem"
            onClick={() => {
              setOpen(false);
              setAsking(true);
            }}
          >
            Sign out…
          </button>
        </div>
      )}
      {asking && <SignOutDialog onClose={() => setAsking(false)} />}
    </div>
  );
}

/** Asks what happens to this computer's copy: kept (encrypted, drafts stay readable and exportable) or wiped. */
function SignOutDialog({ onClose }: { onClose: () => void }) {
  const { bridge, status, set } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const t = totals(status);
  const unsent = unsentText(t);
  const lost = t.pending + t.uploads;
  async function signOut(wipe: boolean) {
    await flushSaves();
    const r = await bridge!.invoke('session.logout', { wipe });
    if (!r.ok) return setError(r.error.message);
    ref.current?.close();
    set({ status: r.value, recordId: null, view: 'records' });
  }
  return (
    <dialog ref={ref} aria-labelledby="signout-title" className="signout" onClose={onClose}>
      <h2 id="signout-title">Sign out</h2>
      <p>
        {unsent ? `This computer holds ${unsent} not yet on the server.` : lost > 0 ? `This computer holds ${lost} changes not yet on the server.` : 'Everything on this computer is on the server.'}
      </p>
      <p>Keep this computer’s copy to read and export your drafts while signed out, and to send them when you sign in again. Wipe it on a shared computer.</p>
      <div className="buttons">
        <button onClick={() => void signOut(false)}>Keep this computer’s copy</button>
        <button className="danger" onClick={() => void signOut(true)}>
          Wipe this computer’s copy{lost > 0 ? ` (${lost === 1 ? '1 unsent change is' : `${lost} unsent changes are`} lost)` : ''}
        </button>
        <button onClick={() => ref.current?.close()}>Cancel</button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </dialog>
  );
}

/** Writes the kept drafts to a JSON file in the app data folder and says where. */
export function ExportDrafts() {
  const { bridge } = useApp();
  const [said, setSaid] = useState<string | null>(null);
  async function exportDrafts() {
    const r = await bridge!.invoke('drafts.export', {});
    setSaid(r.ok ? `Exported ${r.value.records} record${r.value.records === 1 ? '' : 's'} to ${r.value.file}.` : r.error.message);
  }
  return (
    <>
      <button onClick={() => void exportDrafts()}>Export drafts</button>
      {said && (
        <span role="status" className="exported">
          {said}
        </span>
      )}
    </>
  );
}
