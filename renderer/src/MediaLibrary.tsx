import { useEffect, useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';
import { FolderTree, type Folder } from './FolderTree';

type Upload = Output<'uploads.list'>[number];
type Asset = Output<'assets.list'>[number];

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Only readable folders appear; only folders the role may upload into can be picked. */
export function MediaLibrary() {
  const { bridge, env, revision, set } = useApp();
  const [folders, setFolders] = useState<Folder[]>([]);
  const [folder, setFolder] = useState<string>('');
  const [viewed, setViewed] = useState<string>('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!bridge || !env) return;
    void bridge.invoke('content.folders', { env }).then((r) => {
      if (!r.ok) return;
      setFolders(r.value);
      // Keep the choices across refreshes, unless this environment lacks them.
      setFolder((f) => (r.value.some((x) => x.id === f && x.canUpload) ? f : (r.value.find((x) => x.canUpload)?.id ?? '')));
      setViewed((f) => (r.value.some((x) => x.id === f) ? f : (r.value[0]?.id ?? '')));
    });
    void bridge.invoke('uploads.list', {}).then((r) => r.ok && setUploads(r.value));
  }, [bridge, env, revision]);

  async function queue(files: FileList | null) {
    if (!files || !folder || !env) return;
    for (const file of Array.from(files)) {
      const r = await bridge!.invoke('uploads.queue', { env, folder, filename: file.name, mimeType: file.type || 'application/octet-stream', dataBase64: await toBase64(file) });
      if (!r.ok) return setError(r.error.message);
    }
    setError(null);
    set({ save: 'saved-local', revision: useApp.getState().revision + 1 });
  }

  const uploadable = folders.filter((f) => f.canUpload);
  return (
    <section className="media" aria-label="Media library">
      <h2>Media</h2>
      <FolderTree
        folders={folders}
        selected={viewed}
        onSelect={(id) => {
          setViewed(id);
          if (folders.find((f) => f.id === id)?.canUpload) setFolder(id);
        }}
      />
      {uploadable.length > 0 ? (
        <div
          className="dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void queue(e.dataTransfer.files);
          }}
        >
          <label>
            Upload into{' '}
            <select aria-label="Upload folder" value={folder} onChange={(e) => setFolder(e.target.value)}>
              {uploadable.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.path}
                </option>
              ))}
            </select>
          </label>
          <label>
            Choose files <input type="file" multiple aria-label="Choose files" onChange={(e) => void queue(e.target.files)} />
          </label>
          <p>…or drop files here. They are kept on this computer and upload on the next sync.</p>
        </div>
      ) : (
        <p>Your role may not upload in this environment.</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Assets folder={viewed} path={folders.find((f) => f.id === viewed)?.path ?? ''} />
      <h3>Upload queue</h3>
      <ul aria-label="Upload queue">
        {uploads.map((u) => (
          <li key={u.id}>
            {u.filename} — {u.state === 'done' ? 'uploaded' : u.state === 'blocked' ? `blocked: ${u.reason}` : 'waiting for sync'}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The assets of the folder picked in the tree, with alt text and title per locale (editable where the role may update the folder). */
function Assets({ folder, path }: { folder: string; path: string }) {
  const { bridge, env, status, permissions, revision } = useApp();
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [locale, setLocale] = useState(status?.account?.locales[0] ?? 'en');
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!bridge || !env || !folder) return;
    void bridge.invoke('assets.list', { env, folder }).then((r) => (r.ok ? (setAssets(r.value), setNote(null)) : setNote(r.error.code === 'OFFLINE' ? 'The asset list needs a connection to the server.' : r.error.message)));
  }, [bridge, env, folder, revision]);
  const canEdit = !!(env && permissions?.environments[env]?.uploads.update.folders.includes(folder));
  async function save(a: Asset, field: 'alt' | 'title', value: string) {
    const cur = a.metadata[locale] ?? {};
    const r = await bridge!.invoke('assets.updateMetadata', { env: env!, id: a.id, folder, locale, alt: field === 'alt' ? value : (cur.alt ?? null), title: field === 'title' ? value : (cur.title ?? null) });
    setNote(r.ok ? `Saved ${field} (${locale}) of ${a.filename}.` : r.error.message);
  }
  return (
    <section aria-label="Assets">
      <h3>Assets in {path || 'no folder'}</h3>
      <span role="tablist" aria-label="Metadata locale">
        {(status?.account?.locales ?? ['en']).map((l) => (
          <button key={l} role="tab" aria-selected={l === locale} onClick={() => setLocale(l)}>
            {l}
          </button>
        ))}
      </span>
      {note && <p role="status">{note}</p>}
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Alt ({locale})</th>
            <th>Title ({locale})</th>
          </tr>
        </thead>
        <tbody>
          {assets?.map((a) => (
            <tr key={`${a.id}-${locale}`}>
              <td>{a.filename}</td>
              <td>
                <input aria-label={`Alt text of ${a.filename}`} readOnly={!canEdit} defaultValue={a.metadata[locale]?.alt ?? ''} onBlur={(e) => canEdit && void save(a, 'alt', e.target.value)} />
              </td>
              <td>
                <input aria-label={`Title of ${a.filename}`} readOnly={!canEdit} defaultValue={a.metadata[locale]?.title ?? ''} onBlur={(e) => canEdit && void save(a, 'title', e.target.value)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
