import { FileText, Image, Newspaper, RefreshCw, UserRound, Tags, type LucideIcon } from 'lucide-react';
import { mayUseMedia } from '../media/access';
import { useApp } from '../store';
import { totals } from '../syncState';
import { usePanels } from './panels';

/** A recognisable icon for the demo's models; any other model gets a document. */
function modelIcon(name: string): LucideIcon {
  const n = name.toLowerCase();
  if (n.includes('article') || n.includes('post') || n.includes('news')) return Newspaper;
  if (n.includes('author') || n.includes('person') || n.includes('people')) return UserRound;
  if (n.includes('tag') || n.includes('categor')) return Tags;
  return FileText;
}

/** The left column: the models, the media library (if the role may read or upload to a folder), and the sync panel with its problem count. */
export function Nav() {
  const { models, modelId, view, set, status, permissions, env } = useApp();
  const { syncOpen, toggle } = usePanels();
  const t = totals(status);
  const attention = t.problems + t.conflicts;
  return (
    <nav aria-label="Models" className="app-nav">
      <h2 className="nav-heading">Content</h2>
      <ul>
        {models.map((m) => {
          const Icon = modelIcon(m.name);
          return (
            <li key={m.id}>
              <button className="nav-item" aria-current={view === 'records' && m.id === modelId ? 'page' : undefined} onClick={() => set({ modelId: m.id, recordId: null, view: 'records' })}>
                <Icon aria-hidden className="nav-icon" />
                {m.name}
              </button>
            </li>
          );
        })}
      </ul>
      {status?.signedIn && mayUseMedia(permissions, env) && (
        <>
          <h2 className="nav-heading">Assets</h2>
          <ul>
            <li>
              <button className="nav-item" aria-current={view === 'media' ? 'page' : undefined} onClick={() => set({ view: 'media' })}>
                <Image aria-hidden className="nav-icon" />
                Media
              </button>
            </li>
          </ul>
        </>
      )}
      <span className="spacer" />
      <button className="nav-item" aria-pressed={syncOpen} aria-keyshortcuts="Control+J" onClick={() => toggle('sync')}>
        <RefreshCw aria-hidden className="nav-icon" />
        Sync activity
        {attention > 0 && <span className="pill conflict nav-count">{attention}</span>}
      </button>
    </nav>
  );
}
