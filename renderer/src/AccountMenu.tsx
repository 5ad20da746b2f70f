import { useState } from 'react';
import { Button, Dialog, Heading, Header, Menu, MenuItem, MenuSection, MenuTrigger, Modal, ModalOverlay, Popover, Separator, SubmenuTrigger } from 'react-aria-components';
import { ChevronDown, ChevronRight, Download, Info, LogOut, Monitor, Moon, Sun } from 'lucide-react';
import { create } from 'zustand';
import { useApp } from './store';
import { flushSaves } from './autosave';
import { totals, unsentText } from './syncState';
import { toast } from './ui/toast';
import { useTheme, type ThemePreference } from './ui/theme';

/** Which of the account's dialogs is open; a store so the command palette can open "Sign out…" too. */
export const useAccountDialogs = create<{ open: 'signout' | 'about' | null; show: (d: 'signout' | 'about' | null) => void }>((set) => ({ open: null, show: (open) => set({ open }) }));

declare const __INKSTONE_VERSION__: string;
export const VERSION = typeof __INKSTONE_VERSION__ === 'string' ? __INKSTONE_VERSION__ : 'dev';

async function exportDrafts(): Promise<string> {
  const r = await useApp.getState().bridge!.invoke('drafts.export', {});
  return r.ok ? `Exported ${r.value.records} record${r.value.records === 1 ? '' : 's'} to ${r.value.file}.` : r.error.message;
}

const initials = (email: string) => email.split('@')[0]!.split(/[._-]/).map((p) => p[0]?.toUpperCase() ?? '').slice(0, 2).join('');

/** The account button in the header: who, which role, theme, export, about, "Sign out…" (React Aria menu, keyboard-operable). */
export function AccountMenu() {
  const { status } = useApp();
  const { preference, setPreference } = useTheme();
  const show = useAccountDialogs((s) => s.show);
  const email = status?.account?.email ?? '';
  return (
    <MenuTrigger>
      <Button className="btn account-button" aria-label="Account menu">
        <span className="avatar" aria-hidden>
          {initials(email)}
        </span>
        <span className="account-who">
          <span className="account-email">{email}</span>
          <span className="account-role muted">{status?.account?.role}</span>
        </span>
        <ChevronDown aria-hidden className="btn-icon" />
      </Button>
      <Popover placement="bottom end">
        <Menu aria-label="Account" className="react-aria-Menu account-menu">
          <MenuSection>
            <Header className="menu-heading account-heading">
              <span className="account-email">{email}</span>
              <span className="muted">
                {status?.account?.role} · {status?.account?.project}
              </span>
              <span className="muted menu-url">{status?.account?.url}</span>
            </Header>
          </MenuSection>
          <Separator />
          <SubmenuTrigger>
            <MenuItem textValue="Theme">
              {preference === 'dark' ? <Moon aria-hidden /> : preference === 'light' ? <Sun aria-hidden /> : <Monitor aria-hidden />}
              <span className="menu-label">Theme</span>
              <span className="muted">{preference === 'system' ? 'System' : preference === 'dark' ? 'Dark' : 'Light'}</span>
              <ChevronRight aria-hidden />
            </MenuItem>
            <Popover placement="start top">
              <Menu aria-label="Theme" selectionMode="single" selectedKeys={[preference]} onSelectionChange={(keys) => keys !== 'all' && keys.size === 1 && setPreference([...keys][0] as ThemePreference)}>
                <MenuItem id="system">
                  <Monitor aria-hidden /> System
                </MenuItem>
                <MenuItem id="light">
                  <Sun aria-hidden /> Light
                </MenuItem>
                <MenuItem id="dark">
                  <Moon aria-hidden /> Dark
                </MenuItem>
              </Menu>
            </Popover>
          </SubmenuTrigger>
          <MenuItem onAction={() => void exportDrafts().then((said) => toast({ title: said, tone: said.startsWith('Exported') ? 'success' : 'danger' }))}>
            <Download aria-hidden /> Export drafts
          </MenuItem>
          <MenuItem onAction={() => show('about')}>
            <Info aria-hidden /> About Inkstone
          </MenuItem>
          <Separator />
          <MenuItem onAction={() => show('signout')}>
            <LogOut aria-hidden /> Sign out…
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

/** The account's dialogs, mounted once in the workspace (the menu closes before they open). */
export function AccountDialogs() {
  const { open, show } = useAccountDialogs();
  return (
    <>
      <ModalOverlay isOpen={open === 'signout'} onOpenChange={(o) => !o && show(null)} isDismissable>
        <Modal>{open === 'signout' && <SignOutDialog onClose={() => show(null)} />}</Modal>
      </ModalOverlay>
      <ModalOverlay isOpen={open === 'about'} onOpenChange={(o) => !o && show(null)} isDismissable>
        <Modal>
          <Dialog>
            <Heading slot="title">About Inkstone</Heading>
            <p>Inkstone {VERSION}: an offline-first editor for headless-CMS content.</p>
            <p className="muted">Your edits are saved on this computer first and synced with the server when it can be reached.</p>
            <div className="dialog-actions">
              <button className="btn primary" autoFocus onClick={() => show(null)}>
                Close
              </button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  );
}

/** Asks what happens to this computer's copy: kept (encrypted, drafts stay readable and exportable) or wiped. */
function SignOutDialog({ onClose }: { onClose: () => void }) {
  const { bridge, status, set } = useApp();
  const [error, setError] = useState<string | null>(null);
  const t = totals(status);
  const unsent = unsentText(t);
  // What a wipe loses: everything pending (it already counts the uploads not done and the asset
  // changes not sent) and every refused change, whose draft or intent is only here.
  const lost = t.pending + t.problems;
  async function signOut(wipe: boolean) {
    await flushSaves();
    const r = await bridge!.invoke('session.logout', { wipe });
    if (!r.ok) return setError(r.error.message);
    onClose();
    set({ status: r.value, recordId: null, view: 'records' });
  }
  return (
    <Dialog className="react-aria-Dialog signout">
      <Heading slot="title">Sign out</Heading>
      <p>
        {unsent ? `This computer holds ${unsent} not yet on the server.` : lost > 0 ? `This computer holds ${lost} changes not yet on the server.` : 'Everything on this computer is on the server.'}
      </p>
      <p className="muted">Keep this computer’s copy to read and export your drafts while signed out, and to send them when you sign in again. Wipe it on a shared computer.</p>
      <div className="dialog-actions">
        <button className="btn" onClick={onClose}>
          Cancel
        </button>
        <button className="btn danger" onClick={() => void signOut(true)}>
          Wipe this computer’s copy{lost > 0 ? ` (${lost === 1 ? '1 unsent change is' : `${lost} unsent changes are`} lost)` : ''}
        </button>
        <button className="btn primary" autoFocus onClick={() => void signOut(false)}>
          Keep this computer’s copy
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** Writes the kept drafts to a JSON file in the app data folder and says where. */
export function ExportDrafts() {
  const [said, setSaid] = useState<string | null>(null);
  return (
    <>
      <button className="btn" onClick={() => void exportDrafts().then(setSaid)}>
        Export drafts
      </button>
      {said && (
        <span role="status" className="exported">
          {said}
        </span>
      )}
    </>
  );
}
