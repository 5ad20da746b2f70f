import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { MiddleCut } from '../ui/MiddleCut';
import type { Json } from '../../../shared/domain';
import { acceptsAsset, type AssetKind } from '../../../shared/domain/asset';
import type { Output } from '../../../shared/ipc/contract';
import { FolderTree, type Folder } from './FolderTree';
import { AssetThumb } from './AssetThumb';
import { formatBytes } from './thumbnails';
import { useApp } from '../store';
import './media.css';

type Asset = Output<'assets.list'>[number];

const KIND_WORDS: Record<AssetKind, string> = { image: 'images', video: 'videos', audio: 'audio files', pdf: 'PDFs', text: 'text files', other: 'other files' };

/**
 * An asset field: the chosen asset (thumbnail and name), and a chooser over the readable
 * folders that offers only the kinds of file the field accepts. Assets are kept locally, so
 * choosing works offline; the value is an ordinary cell, synced like any other.
 */
export function AssetPicker({ id, label, value, readOnly, onChange, accept }: { id: string; label: string; value: Json; readOnly: boolean; onChange: (v: Json) => void; accept?: readonly AssetKind[] }) {
  const { bridge, env, revision } = useApp();
  const synced = useApp((s) => s.status?.sync.lastSyncedAt ?? null);
  const [open, setOpen] = useState(false);
  const [folders, setFolders] = useState<Folder[]>([]);
  const [folder, setFolder] = useState('');
  const [search, setSearch] = useState('');
  const [all, setAll] = useState<Asset[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const current = typeof value === 'string' && value ? value : null;
  const toggle = useRef<HTMLButtonElement>(null);
  // Escape shuts the chooser and gives focus back to its button, as the link picker's list does.
  const onChooserKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    setOpen(false);
    toggle.current?.focus();
  };

  useEffect(() => {
    if (!bridge || !env) return;
    void bridge.invoke('assets.list', { env }).then((r) => {
      setLoaded(true);
      setAll(r.ok ? r.value : []);
      setNote(r.ok ? null : r.error.message);
    });
  }, [bridge, env, revision, synced]);
  useEffect(() => {
    if (!open || !bridge || !env) return;
    void bridge.invoke('content.folders', { env }).then((r) => {
      if (!r.ok) return setNote(r.error.message);
      setFolders(r.value);
      setFolder((f) => f || (r.value[0]?.id ?? ''));
    });
  }, [open, bridge, env]);

  const chosen = all.find((a) => a.id === current) ?? null;
  const offered = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return all.filter((a) => acceptsAsset(accept, a.mimeType) && (needle ? a.filename.toLowerCase().includes(needle) : a.folder === folder));
  }, [all, accept, folder, search]);
  const only = accept?.length ? `Only ${accept.map((k) => KIND_WORDS[k]).join(' and ')} fit this field.` : null;

  return (
    <div className="asset-picker">
      <div className="asset-chosen">
        {chosen && <AssetThumb asset={chosen} size="sm" />}
        <output id={id} aria-label={`${label}: chosen asset`}>
          {/* An id alone tells nobody anything: a file the role may not read is said as such. */}
          {current ? (chosen?.filename ?? (loaded ? 'A file your role cannot see' : '…')) : 'No asset'}
        </output>
        {chosen && (
          <span className="muted">
            {chosen.width && chosen.height ? `${chosen.width} × ${chosen.height} · ` : ''}
            {formatBytes(chosen.size)}
          </span>
        )}
        {!readOnly && (
          <span className="asset-chosen-actions">
            <button ref={toggle} type="button" className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              {open ? 'Close' : 'Choose…'}
            </button>
            {current && (
              <button type="button" className="btn" onClick={() => onChange(null)}>
                Remove
              </button>
            )}
          </span>
        )}
      </div>
      {open && (
        <div className="chooser" role="group" aria-label={`Choose ${label.toLowerCase()}`} onKeyDown={onChooserKey}>
          <div className="chooser-side">
            <input className="input" type="search" aria-label={`Search ${label.toLowerCase()}`} placeholder="Search all folders" value={search} onChange={(e) => setSearch(e.target.value)} />
            <FolderTree folders={folders} selected={folder} onSelect={(f) => (setFolder(f), setSearch(''))} />
          </div>
          <div className="chooser-main">
            {only && <p className="field-help">{only}</p>}
            {note && <p role="status">{note}</p>}
            <ul aria-label="Assets in folder" className="chooser-grid">
              {offered.map((a) => (
                <li key={a.id}>
                  <button
                    type="button"
                    aria-pressed={a.id === current}
                    onClick={() => {
                      onChange(a.id);
                      setOpen(false);
                    }}
                  >
                    <AssetThumb asset={a} />
                    <MiddleCut className="asset-card-name" text={a.filename} />
                  </button>
                </li>
              ))}
              {offered.length === 0 && <li className="muted">Nothing here fits this field.</li>}
            </ul>
          </div>
        </div>
      )}
    </div>
  );
}
