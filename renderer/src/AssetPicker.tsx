import { useEffect, useState } from 'react';
import type { Json } from '../../shared/domain';
import type { Output } from '../../shared/ipc/contract';
import { FolderTree, type Folder } from './FolderTree';
import { useApp } from './store';

type Asset = Output<'assets.list'>[number];

/**
 * An asset field: the chosen asset, and a chooser that browses the readable folders.
 * Asset lists come from the server (they are not cached), so choosing needs a connection;
 * the value itself is an ordinary cell, saved here and synced like any other.
 */
export function AssetPicker({ id, label, value, readOnly, onChange }: { id: string; label: string; value: Json; readOnly: boolean; onChange: (v: Json) => void }) {
  const { bridge, env } = useApp();
  const [open, setOpen] = useState(false);
  const [folders, setFolders] = useState<Folder[]>([]);
  const [folder, setFolder] = useState('');
  const [assets, setAssets] = useState<Asset[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string | null>(null);
  const current = typeof value === 'string' && value ? value : null;

  useEffect(() => {
    if (!open || !bridge || !env) return;
    void bridge.invoke('content.folders', { env }).then((r) => {
      if (!r.ok) return setNote(r.error.message);
      setFolders(r.value);
      setFolder((f) => f || (r.value[0]?.id ?? ''));
    });
  }, [open, bridge, env]);

  useEffect(() => {
    if (!open || !bridge || !env || !folder) return;
    void bridge.invoke('assets.list', { env, folder }).then((r) => {
      if (!r.ok) return setNote(r.error.code === 'OFFLINE' ? 'Choosing an asset needs a connection to the server; the current choice is kept.' : r.error.message);
      setNote(null);
      setAssets(r.value);
      setNames((n) => ({ ...n, ...Object.fromEntries(r.value.map((a) => [a.id, a.filename])) }));
    });
  }, [open, bridge, env, folder]);

  return (
    <div className="asset-picker">
      <output id={id} aria-label={`${label}: chosen asset`}>
        {current ? (names[current] ?? current) : 'No asset'}
      </output>
      {!readOnly && (
        <>
          <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Close' : 'Choose…'}
          </button>
          {current && (
            <button type="button" onClick={() => onChange(null)}>
              Remove
            </button>
          )}
        </>
      )}
      {open && (
        <div className="chooser" role="group" aria-label={`Choose ${label.toLowerCase()}`}>
          <FolderTree folders={folders} selected={folder} onSelect={setFolder} />
          {note && <p role="status">{note}</p>}
          <ul aria-label="Assets in folder">
            {assets.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  aria-pressed={a.id === current}
                  onClick={() => {
                    onChange(a.id);
                    setOpen(false);
                  }}
                >
                  {a.filename}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
