import { useEffect, useRef, useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';
import { FolderTree, type Folder } from './FolderTree';
import { AssetTable } from './AssetTable';
import { queueFile } from './uploadFile';

type Upload = Output<'uploads.list'>[number];
/** A file being copied into the local queue, before it is an upload the core knows. */
interface Copying {
  key: string;
  /** The core's upload id once begun: its "receiving" entry is this copy, shown once. */
  id: string | null;
  filename: string;
  progress: number;
  abort: AbortController;
}

/** Only readable folders appear; only folders the role may upload into can be picked. */
export function MediaLibrary() {
  const { bridge, env, revision, set, refreshStatus } = useApp();
  const [folders, setFolders] = useState<Folder[]>([]);
  const [folder, setFolder] = useState<string>('');
  const [viewed, setViewed] = useState<string>('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [copying, setCopying] = useState<Copying[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const status = useApp((s) => s.status);
  useEffect(() => {
    if (!bridge || !env) return;
    void bridge.invoke('content.folders', { env }).then((r) => {
      if (!r.ok) return;
      setFolders(r.value);
      // Keep the choices across refreshes, unless this environment lacks them.
      setFolder((f) => (r.value.some((x) => x.id === f && x.canUpload) ? f : (r.value.find((x) => x.canUpload)?.id ?? '')));
      setViewed((f) => (r.value.some((x) => x.id === f) ? f : (r.value[0]?.id ?? '')));
    });
  }, [bridge, env, revision]);
  // The queue follows the core: automatic sync moves uploads on without this page asking.
  useEffect(() => {
    if (bridge) void bridge.invoke('uploads.list', {}).then((r) => r.ok && setUploads(r.value));
  }, [bridge, revision, status]);

  async function queue(files: File[]) {
    if (!files.length || !folder || !env) return;
    // One copy per file picked: the list is taken once, and the input is cleared at once.
    const jobs = files.map((file, i) => ({ file, job: { key: `${Date.now()}-${i}-${file.name}`, id: null as string | null, filename: file.name, progress: 0, abort: new AbortController() } }));
    setCopying((c) => [...c, ...jobs.map((j) => j.job)]);
    const problems: string[] = [];
    for (const { file, job } of jobs) {
      const update = (p: Partial<Copying>) => setCopying((c) => c.map((x) => (x.key === job.key ? { ...x, ...p } : x)));
      const r = await queueFile(bridge!, { env, folder }, file, { begun: (id) => update({ id }), progress: (progress) => update({ progress }) }, job.abort.signal);
      setCopying((c) => c.filter((x) => x.key !== job.key));
      if (!r.ok && !job.abort.signal.aborted) problems.push(r.message);
      const list = await bridge!.invoke('uploads.list', {});
      if (list.ok) setUploads(list.value);
    }
    setError(problems.length ? problems.join(' ') : null);
    await refreshStatus();
  }

  async function cancel(u: Upload) {
    const r = await bridge!.invoke('uploads.cancel', { id: u.id });
    setError(r.ok ? null : r.error.message);
    set({ revision: useApp.getState().revision + 1 });
    await refreshStatus();
  }

  async function retry(u: Upload) {
    const r = await bridge!.invoke('uploads.retry', { id: u.id });
    setError(r.ok ? null : r.error.message);
    set({ revision: useApp.getState().revision + 1 });
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
            void queue(Array.from(e.dataTransfer.files));
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
            Choose files{' '}
            <input
              ref={input}
              type="file"
              multiple
              aria-label="Choose files"
              onChange={(e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = '';
                void queue(files);
              }}
            />
          </label>
          <p>…or drop files here. They are kept on this computer and upload with the next sync (up to 50 MB each).</p>
        </div>
      ) : (
        <p>Your role may not upload in this environment.</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <AssetTable folder={viewed} path={folders.find((f) => f.id === viewed)?.path ?? ''} />
      <h3>Upload queue</h3>
      <ul aria-label="Upload queue" className="upload-queue">
        {copying.map((c) => (
          <li key={c.key}>
            {c.filename} — copying to this computer{' '}
            <progress aria-label={`Copying ${c.filename}`} value={c.progress} max={1} /> <button aria-label={`Cancel upload of ${c.filename}`} onClick={() => c.abort.abort()}>
              Cancel
            </button>
          </li>
        ))}
        {uploads
          .filter((u) => !copying.some((c) => c.id === u.id))
          .map((u) => (
          <li key={u.id}>
            {u.filename} — {describe(u)}
            {u.state === 'uploading' && <progress aria-label={`Uploading ${u.filename}`} value={u.progress} max={1} />}
            {u.state !== 'done' && (
              <>
                {' '}
                {u.state === 'failed' || u.state === 'blocked' ? <button aria-label={`Retry upload of ${u.filename}`} onClick={() => void retry(u)}>Retry</button> : null}{' '}
                <button aria-label={`Cancel upload of ${u.filename}`} onClick={() => void cancel(u)}>
                  Cancel
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function describe(u: Upload): string {
  if (u.state === 'done') return 'uploaded';
  if (u.state === 'uploading') return `uploading ${Math.round(u.progress * 100)}%`;
  if (u.state === 'receiving') return 'copy interrupted; cancel it and pick the file again';
  if (u.state === 'failed' || u.state === 'blocked') return `refused: ${u.reason ?? 'no reason given'}`;
  return 'waiting for sync';
}
