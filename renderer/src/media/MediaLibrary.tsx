import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LayoutGrid, List, Upload as UploadIcon } from 'lucide-react';
import type { Output } from '../../../shared/ipc/contract';
import { useApp } from '../store';
import { FolderTree, type Folder } from './FolderTree';
import { AssetBrowser, type Asset } from './AssetBrowser';
import { AssetDetails } from './AssetDetails';
import { UploadQueue, type Copying } from './UploadQueue';
import { queueFile } from './uploadFile';
import './media.css';

type Upload = Output<'uploads.list'>[number];
type AssetOp = Output<'assets.ops'>[number];

/**
 * The media library: readable folders, the assets (grid or list; kept locally, so it browses
 * offline), search, the selected asset's details and actions, and the upload queue. Only
 * folders the role may upload into are offered as destinations.
 */
export function MediaLibrary() {
  const { bridge, env, revision, set, refreshStatus } = useApp();
  const status = useApp((s) => s.status);
  // Automatic sync says it finished through the status: the kept assets may have changed.
  const synced = status?.sync.lastSyncedAt ?? null;
  const [folders, setFolders] = useState<Folder[]>([]);
  const [viewed, setViewed] = useState<string>('');
  const [target, setTarget] = useState<string>('');
  const [assets, setAssets] = useState<Asset[]>([]);
  const [search, setSearch] = useState('');
  const [view, setView] = useState<'grid' | 'list'>('grid');
  const [selected, setSelected] = useState<string | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [ops, setOps] = useState<AssetOp[]>([]);
  const [copying, setCopying] = useState<Copying[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [local, setLocal] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const bump = useCallback(() => setLocal((n) => n + 1), []);

  useEffect(() => {
    if (!bridge || !env) return;
    void bridge.invoke('content.folders', { env }).then((r) => {
      if (!r.ok) return;
      setFolders(r.value);
      setTarget((f) => (r.value.some((x) => x.id === f && x.canUpload) ? f : (r.value.find((x) => x.canUpload)?.id ?? '')));
      setViewed((f) => (f === '' || r.value.some((x) => x.id === f) ? f : ''));
    });
  }, [bridge, env, revision]);
  useEffect(() => {
    if (!bridge || !env) return;
    const t = setTimeout(() => {
      void bridge.invoke('assets.list', { env, ...(viewed ? { folder: viewed } : {}), ...(search.trim() ? { search: search.trim() } : {}) }).then((r) => {
        if (r.ok) setAssets(r.value);
        else setError(r.error.message);
      });
    }, 80);
    return () => clearTimeout(t);
  }, [bridge, env, viewed, search, revision, local, synced]);
  // The queue follows the core: automatic sync moves uploads on without this page asking.
  useEffect(() => {
    if (!bridge) return;
    void bridge.invoke('uploads.list', {}).then((r) => r.ok && setUploads(r.value));
    void bridge.invoke('assets.ops', {}).then((r) => r.ok && setOps(r.value.filter((o) => o.env === env)));
  }, [bridge, env, revision, status, local]);

  const pathOf = useCallback((id: string) => folders.find((f) => f.id === id)?.path ?? id, [folders]);
  const uploadable = folders.filter((f) => f.canUpload);
  const current = useMemo(() => assets.find((a) => a.id === selected) ?? null, [assets, selected]);

  async function queue(files: File[]) {
    if (!files.length || !target || !env) return;
    // One copy per file picked: the list is taken once, and the input is cleared at once.
    const jobs = files.map((file, i) => ({ file, job: { key: `${Date.now()}-${i}-${file.name}`, id: null as string | null, filename: file.name, size: file.size, folder: target, progress: 0, abort: new AbortController() } }));
    setCopying((c) => [...c, ...jobs.map((j) => j.job)]);
    const problems: string[] = [];
    for (const { file, job } of jobs) {
      const update = (p: Partial<Copying>) => setCopying((c) => c.map((x) => (x.key === job.key ? { ...x, ...p } : x)));
      const r = await queueFile(bridge!, { env, folder: job.folder }, file, { begun: (id) => update({ id }), progress: (progress) => update({ progress }) }, job.abort.signal);
      setCopying((c) => c.filter((x) => x.key !== job.key));
      if (!r.ok && !job.abort.signal.aborted) problems.push(r.message);
      const list = await bridge!.invoke('uploads.list', {});
      if (list.ok) setUploads(list.value);
    }
    setError(problems.length ? problems.join(' ') : null);
    await refreshStatus();
  }

  async function after(r: { ok: boolean; error?: { message: string } }) {
    setError(r.ok ? null : (r.error?.message ?? null));
    set({ revision: useApp.getState().revision + 1 });
    await refreshStatus();
  }

  const heading = viewed ? `Assets in ${pathOf(viewed)}` : 'All assets';
  const label = `${heading}${search.trim() ? ' matching the search' : ''}`;
  return (
    <section className="media" aria-label="Media library">
      <div className="media-folders">
        <h2>Media</h2>
        {uploadable.length > 0 ? (
          <div className="media-upload">
            <button type="button" className="btn primary" onClick={() => input.current?.click()}>
              <UploadIcon aria-hidden="true" size={14} /> Upload files
            </button>
            <label className="media-target">
              <span className="muted">into</span>
              <select className="input" aria-label="Upload folder" value={target} onChange={(e) => setTarget(e.target.value)}>
                {uploadable.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.path}
                  </option>
                ))}
              </select>
            </label>
            <input
              ref={input}
              className="media-file-input"
              type="file"
              multiple
              tabIndex={-1}
              aria-label="Choose files"
              onChange={(e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = '';
                void queue(files);
              }}
            />
          </div>
        ) : (
          <p className="muted media-readonly">Your role may not upload in this environment.</p>
        )}
        <nav aria-label="Media folders" className="media-nav">
        <button type="button" className="media-all" aria-current={viewed === '' ? 'page' : undefined} onClick={() => setViewed('')}>
          All assets
        </button>
        <FolderTree
          folders={folders}
          selected={viewed}
          onSelect={(id) => {
            setViewed(id);
            if (folders.find((f) => f.id === id)?.canUpload) setTarget(id);
          }}
        />
        </nav>
      </div>
      <div
        className="media-main"
        onDragOver={(e) => uploadable.length && e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void queue(Array.from(e.dataTransfer.files));
        }}
      >
        <div className="toolbar media-toolbar">
          <h3>{heading}</h3>
          <input className="input media-search" type="search" aria-label="Search assets" placeholder="Search by name or alt text" value={search} onChange={(e) => setSearch(e.target.value)} />
          <div className="media-views" role="group" aria-label="View">
            <button type="button" className="btn quiet" aria-label="Grid view" aria-pressed={view === 'grid'} onClick={() => setView('grid')}>
              <LayoutGrid aria-hidden="true" size={16} />
            </button>
            <button type="button" className="btn quiet" aria-label="List view" aria-pressed={view === 'list'} onClick={() => setView('list')}>
              <List aria-hidden="true" size={16} />
            </button>
          </div>
        </div>
        {error && (
          <p role="alert" className="field-error media-error">
            {error}
          </p>
        )}
        <div className="media-body">
          <div className="media-assets">
            <AssetBrowser assets={assets} view={view} selected={selected} onSelect={setSelected} folderPath={pathOf} label={label} />
          </div>
          {current && <AssetDetails key={current.id} asset={current} folders={folders} onClose={() => setSelected(null)} onChanged={bump} />}
        </div>
        <UploadQueue
          copying={copying}
          uploads={uploads}
          ops={ops}
          folderPath={pathOf}
          onCancel={(u) => void bridge!.invoke('uploads.cancel', { id: u.id }).then(after)}
          onRetry={(u) => void bridge!.invoke('uploads.retry', { id: u.id }).then(after)}
          onOp={(o, what) => void bridge!.invoke(what === 'retry' ? 'assets.opRetry' : 'assets.opDiscard', { env: o.env, seq: o.seq }).then(after)}
        />
      </div>
    </section>
  );
}
