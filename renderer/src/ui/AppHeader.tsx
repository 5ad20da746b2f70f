import { Feather, PanelLeft } from 'lucide-react';
import { Button, Tooltip, TooltipTrigger } from 'react-aria-components';
import { useApp } from '../store';
import { AccountMenu, ExportDrafts } from '../AccountMenu';
import { EnvironmentSwitcher, type Environment } from './EnvironmentSwitcher';
import { usePanels } from './panels';

/** The top bar: project, environment (sandboxes unmistakable), account. */
export function AppHeader({ envs, onSignIn }: { envs: Environment[]; onSignIn: () => void }) {
  const { status, env, set } = useApp();
  const signedIn = status?.signedIn ?? false;
  const current = envs.find((e) => e.id === env);
  const sandbox = !!current && !current.primary;
  const { navCollapsed, toggle } = usePanels();
  return (
    <header className={`app-header${sandbox ? ' in-sandbox' : ''}`}>
      <TooltipTrigger delay={600}>
        <Button className="btn quiet" aria-label={navCollapsed ? 'Show sidebar' : 'Hide sidebar'} aria-keyshortcuts="Control+B" onPress={() => toggle('nav')}>
          <PanelLeft aria-hidden className="btn-icon" />
        </Button>
        <Tooltip offset={6}>Sidebar (Ctrl+B)</Tooltip>
      </TooltipTrigger>
      <span className="brand">
        <Feather aria-hidden className="brand-mark" />
        <span className="project" title={status?.account?.url}>
          {status?.account?.project ?? 'Inkstone'}
        </span>
      </span>
      <span className="header-sep" aria-hidden>
        /
      </span>
      <EnvironmentSwitcher envs={envs} value={env} onChange={(id) => set({ env: id })} />
      {sandbox && (
        <span className="sandbox-note">
          <span className="pill sandbox">Sandbox</span>
          <span className="sandbox-text">changes here stay out of the primary environment</span>
        </span>
      )}
      <span className="spacer" />
      {signedIn ? (
        <AccountMenu />
      ) : (
        <span className="signed-out">
          <span className="muted">Signed out: your drafts, read-only.</span> <ExportDrafts />{' '}
          <button className="btn primary" onClick={onSignIn}>
            Sign in
          </button>
        </span>
      )}
    </header>
  );
}
