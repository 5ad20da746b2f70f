import { useEffect, useRef, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Trash2, X } from 'lucide-react';
import { useApp } from '../store';
import { toast } from '../ui/toast';
import type { Folder } from './FolderTree';
import type { Asset } from './AssetBrowser';
import { AssetThumb } from './AssetThumb';
import { formatBytes, typeLabel } from './thumbnails';
import { queueFile } from './uploadFile';

type Key = 'alt' | 'title';

/**
 * The selected asset: preview, facts, alt text and title per locale (editable where the role
 * may update the folder), and its actions: move (only to folders the role may upload into)
 * and delete (after a confirmation). Moves and deletions are queued: they work offline.
 */
export function AssetDetails({ asset, folders, onClose, onChanged }: { asset: Asset; folders: Folder[]; onClose: () => void; onChanged: () => void }) {
  const { bridge, env, status, permissions } = useApp();
  const locales = status?.account?.locales ?? ['en'];
  const [locale, setLocale] = useState(locales[0] ?? 'en');
  const [meta, setMeta] = useState(asset.metadata);
  const [note, setNote] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const replaceInput = useRef<HTMLInputElement>(null);
  useEffect(() => setMeta(asset.metadata), [asset.id, asset.metadata]);
  const perms = env ? permissions?.environments[env]?.uploads : undefined;
  const canEdit = !!perms?.update.folders.includes(asset.folder);
  const canDelete = !!perms?.delete.folders.includes(asset.folder);
  const moveTargets = canEdit ? folders.filter((f) => f.canUpload && f.id !== asset.folder) : [];
  const folder = folders.find((f) => f.id === asset.folder);

  /** Sends only the key that changed: the server keeps the other as it is (never a value read before). */
  async function save(key: Key, value: string) {
    if ((meta[locale]?.[key] ?? '') === value) return;
    const r = await bridge!.invoke('assets.updateMetadata', { env: env!, id: asset.id, folder: asset.folder, locale, [key]: value === '' ? null : value });
    if (!r.ok) return setNote(`Not saved: ${r.error.message}`);
    setMeta((m) => ({ ...m, [locale]: { ...m[locale], [key]: value === '' ? null : value } }));
    setNote(`Saved ${key} (${locale}) of ${asset.filename}.`);
  }

  async function move() {
    const to = folders.find((f) => f.id === target);
    if (!to) return;
    const r = await bridge!.invoke('assets.move', { env: env!, id: asset.id, folder: to.id });
    if (!r.ok) return setNote(r.error.message);
    toast({ title: `Moving ${asset.filename} to ${to.path}`, description: 'It moves on the server with the next sync.', tone: 'success' });
    setTarget('');
    onChanged();
  }

  /** New bytes for the same asset (same id, same folder): queued like an upload, sent with the next sync. */
  async function replace(file: File | undefined) {
    if (!file) return;
    const r = await queueFile(bridge!, { env: env!, folder: asset.folder, replaces: asset.id }, file, { begun: () => undefined, progress: () => undefined }, new AbortController().signal);
    if (!r.ok) return setNote(r.message);
    toast({ title: `Replacing ${asset.filename} with ${file.name}`, description: 'The new file goes with the next sync; records using it keep pointing at it.', tone: 'success' });
    onChanged();
  }

  async function remove() {
    setConfirming(false);
    const r = await bridge!.invoke('assets.delete', { env: env!, id: asset.id });
    if (!r.ok) return setNote(r.error.message);
    toast({ title: `Deleting ${asset.filename}`, description: 'Deleted on the server with the next sync, unless a record still uses it.', tone: 'success' });
    onClose();
    onChanged();
  }

  return (
    <aside className="asset-details" aria-label={`Details of ${asset.filename}`}>
      <header>
        <h3>{asset.filename}</h3>
        <button type="button" className="btn quiet" aria-label="Close details" onClick={onClose}>
          <X aria-hidden="true" size={16} />
        </button>
      </header>
      <AssetThumb asset={asset} size="lg" />
      <dl className="asset-facts">
        <dt>Type</dt>
        <dd>{typeLabel(asset.mimeType)}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(asset.size)}</dd>
        <dt>Dimensions</dt>
        <dd>{asset.width && asset.height ? `${asset.width} × ${asset.height} px` : '—'}</dd>
        <dt>Folder</dt>
        <dd>{folder?.path ?? asset.folder}</dd>
        <dt>Added</dt>
        <dd>{new Date(asset.createdAt).toLocaleDateString()}</dd>
      </dl>
      <section aria-label="Metadata" className="asset-meta">
        <div role="tablist" aria-label="Metadata locale" className="locale-tabs">
          {locales.map((l) => (
            <button key={l} type="button" role="tab" aria-selected={l === locale} onClick={() => setLocale(l)}>
              {l}
            </button>
          ))}
        </div>
        {(['alt', 'title'] as const).map((key) => (
          <label key={`${asset.id}-${locale}-${key}`} className="field">
            <span>{key === 'alt' ? 'Alt text' : 'Title'}</span>
            <input
              className="input"
              aria-label={`${key === 'alt' ? 'Alt text' : 'Title'} of ${asset.filename}`}
              readOnly={!canEdit}
              defaultValue={meta[locale]?.[key] ?? ''}
              onBlur={(e) => canEdit && void save(key, e.target.value)}
            />
          </label>
        ))}
        {note && (
          <p role="status" className="field-help">
            {note}
          </p>
        )}
      </section>
      {(canEdit || canDelete) && (
        <section aria-label="Actions" className="asset-actions">
          {moveTargets.length > 0 && (
            <div className="asset-move">
              <label className="field">
                <span>Move to</span>
                <select className="input" aria-label={`Move ${asset.filename} to`} value={target} onChange={(e) => setTarget(e.target.value)}>
                  <option value="">Choose a folder…</option>
                  {moveTargets.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.path}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="btn" disabled={!target} onClick={() => void move()}>
                Move
              </button>
            </div>
          )}
          {canEdit && (
            <>
              <button type="button" className="btn" onClick={() => replaceInput.current?.click()}>
                Replace file…
              </button>
              <input
                ref={replaceInput}
                className="media-file-input"
                type="file"
                tabIndex={-1}
                aria-label={`New file for ${asset.filename}`}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  void replace(file);
                }}
              />
            </>
          )}
          {canDelete && (
            <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
              <Trash2 aria-hidden="true" size={14} /> Delete…
            </button>
          )}
        </section>
      )}
      <ModalOverlay isOpen={confirming} onOpenChange={setConfirming} isDismissable className="media-overlay">
        <Modal className="media-modal">
          <Dialog role="alertdialog" className="media-dialog">
            <Heading slot="title">Delete {asset.filename}?</Heading>
            <p>It goes from the media library for everyone with the next sync. The server keeps it if a record still uses it, and says which.</p>
            <div className="dialog-actions">
              <Button className="btn" onPress={() => setConfirming(false)} autoFocus>
                Cancel
              </Button>
              <Button className="btn danger" onPress={() => void remove()}>
                Delete
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </aside>
  );
}
