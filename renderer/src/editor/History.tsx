import { useState } from 'react';
import type { Model } from '../../../shared/domain';
import type { Output } from '../../../shared/ipc/contract';
import { changedCells, indexFields, readCell } from '../../../shared/values';
import { useApp } from '../store';
import { Confirm } from './Confirm';
import { readable } from './FieldFrame';
import { cellLabel } from './labels';
import { nameOf, useNames, when } from './names';

type Version = Output<'content.versions'>[number];
type RecordView = Output<'content.record'>;

/** What restoring a version would change: each differing cell, labelled, with the value now and then. */
function diff(model: Model, now: RecordView['values'], then: Version['values']) {
  const fields = indexFields(model.fields);
  return changedCells(fields, now, then).cells.map((c) => {
    const f = fields.get(c.field)!;
    return { key: c.locale ? `${c.field}.${c.locale}` : c.field, label: cellLabel(model, c.locale ? `${c.field}.${c.locale}` : c.field).label, now: readable(readCell(now, f, c.locale)), then: readable(readCell(then, f, c.locale)) };
  });
}

/**
 * Version history from the server: who saved each version and when, what it differs in from
 * what is shown now, and restore after a look at exactly that (saved locally, checked per
 * cell, synced later). Mounted with the record as its key: versions and errors are that record's.
 */
export function History({ env, record, model, onRestored }: { env: string; record: RecordView; model: Model; locales: readonly string[]; onRestored: () => void }) {
  const bridge = useApp((s) => s.bridge)!;
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const names = useNames(versions?.map((v) => v.createdBy) ?? []);
  async function load() {
    const r = await bridge.invoke('content.versions', { env, id: record.id });
    if (r.ok) {
      setVersions([...r.value].sort((a, b) => b.version - a.version));
      setError(null);
    } else setError(r.error.code === 'OFFLINE' ? 'History needs a connection to the server.' : r.error.message);
  }
  async function restore(version: number) {
    setAsking(false);
    const r = await bridge.invoke('content.restore', { env, id: record.id, version });
    if (r.ok) onRestored();
    else setError(r.error.message);
  }
  const version = versions?.find((v) => v.version === chosen) ?? null;
  const changes = version ? diff(model, record.values, version.values) : [];
  return (
    <details className="history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && !versions && void load()}>
      <summary>Version history</summary>
      {error && <p className="error">{error}</p>}
      <div className="history-body">
        <ol className="versions" aria-label="Versions">
          {versions?.map((v) => (
            <li key={v.version}>
              <button type="button" className={`version${v.version === chosen ? ' selected' : ''}`} aria-pressed={v.version === chosen} onClick={() => setChosen(v.version)}>
                <strong>Version {v.version}</strong>
                {v.version === record.version && <span className="pill published">Current</span>}
                <span className="muted">
                  {nameOf(names, v.createdBy)} · {when(v.createdAt)}
                </span>
              </button>
            </li>
          ))}
        </ol>
        {version && (
          <section className="version-diff" aria-label={`Version ${version.version} compared with now`}>
            <h4>
              Version {version.version} compared with now <span className="muted">({changes.length === 1 ? '1 field differs' : `${changes.length} fields differ`})</span>
            </h4>
            {changes.length === 0 ? (
              <p className="muted">Same as what is shown now.</p>
            ) : (
              <table className="diff">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Now</th>
                    <th scope="col">Version {version.version}</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.label}</th>
                      <td className="del">{c.now || <span className="muted">Empty</span>}</td>
                      <td className="ins">{c.then || <span className="muted">Empty</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {changes.length > 0 && (
              <button type="button" className="btn" onClick={() => setAsking(true)}>
                Restore version {version.version}…
              </button>
            )}
          </section>
        )}
      </div>
      <Confirm open={asking} title={`Restore version ${version?.version ?? ''}?`} confirm="Restore" onCancel={() => setAsking(false)} onConfirm={() => version && void restore(version.version)}>
        <p>
          {changes.length === 1 ? '1 field takes' : `${changes.length} fields take`} the version’s value: {changes.map((c) => c.label).join(', ')}. It is saved on this computer and synced like any edit.
        </p>
      </Confirm>
    </details>
  );
}
