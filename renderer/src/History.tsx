import { useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';

/**
 * Version history from the server, with restore (saved locally, checked per cell, synced later).
 * Mounted with the record as its key: its versions and errors belong to that record only.
 */
export function History({ env, id, onRestored }: { env: string; id: string; onRestored: () => void }) {
  const bridge = useApp((s) => s.bridge)!;
  const [versions, setVersions] = useState<Output<'content.versions'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function load() {
    const r = await bridge.invoke('content.versions', { env, id });
    if (r.ok) setVersions(r.value);
    else setError(r.error.code === 'OFFLINE' ? 'History needs a connection to the server.' : r.error.message);
  }
  async function restore(version: number) {
    const r = await bridge.invoke('content.restore', { env, id, version });
    if (r.ok) onRestored();
    else setError(r.error.message);
  }
  return (
    <details className="history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && !versions && void load()}>
      <summary>Version history</summary>
      {error && <p className="error">{error}</p>}
      <ol>
        {versions?.map((v) => (
          <li key={v.version}>
            Version {v.version} · {new Date(v.createdAt).toLocaleString()} <button onClick={() => void restore(v.version)}>Restore</button>
          </li>
        ))}
      </ol>
    </details>
  );
}

