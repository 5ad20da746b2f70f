import { useEffect, useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';

type Asset = Output<'assets.list'>[number];
type Key = 'alt' | 'title';

/** The assets of the folder picked in the tree, with alt text and title per locale (editable where the role may update the folder). */
export function AssetTable({ folder, path }: { folder: string; path: string }) {
  const { bridge, env, status, permissions, revision } = useApp();
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [locale, setLocale] = useState(status?.account?.locales[0] ?? 'en');
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!bridge || !env || !folder) return;
    void bridge.invoke('assets.list', { env, folder }).then((r) => (r.ok ? (setAssets(r.value), setNote(null)) : setNote(r.error.code === 'OFFLINE' ? 'The asset list needs a connection to the server.' : r.error.message)));
  }, [bridge, env, folder, revision]);
  const canEdit = !!(env && permissions?.environments[env]?.uploads.update.folders.includes(folder));

  /** Sends only the key that changed: the server keeps the other as it is (never a value read before). */
  async function save(a: Asset, key: Key, value: string) {
    if ((a.metadata[locale]?.[key] ?? '') === value) return;
    const r = await bridge!.invoke('assets.updateMetadata', { env: env!, id: a.id, folder, locale, [key]: value === '' ? null : value });
    if (!r.ok) return setNote(`Not saved: ${r.error.message}`);
    // The server has it: what this page shows from now on is that value.
    setAssets((list) => list?.map((x) => (x.id === a.id ? { ...x, metadata: { ...x.metadata, [locale]: { ...x.metadata[locale], [key]: value === '' ? null : value } } } : x)) ?? null);
    setNote(`Saved ${key} (${locale}) of ${a.filename}.`);
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
              {(['alt', 'title'] as const).map((key) => (
                <td key={key}>
                  <input
                    aria-label={`${key === 'alt' ? 'Alt text' : 'Title'} of ${a.filename}`}
                    readOnly={!canEdit}
                    defaultValue={a.metadata[locale]?.[key] ?? ''}
                    onBlur={(e) => canEdit && void save(a, key, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
