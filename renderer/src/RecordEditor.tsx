import { useEffect, useState } from 'react';
import { allows } from '../../shared/permissions/effective';
import type { Field, Json, Values } from '../../shared/domain';
import { useApp } from './store';
import { LinkPicker } from './LinkPicker';
import { AssetPicker } from './AssetPicker';
import { scheduleSave } from './autosave';
import type { Output } from '../../shared/ipc/contract';

type RecordView = Output<'content.record'>;

/** The editor of one record: a widget per field, locale tabs, and what the role may not write shown read-only with why. */
export function RecordEditor() {
  const { bridge, env, recordId, models, permissions, status, set, revision } = useApp();
  const [record, setRecord] = useState<RecordView | null>(null);
  const [locale, setLocale] = useState<string>(useApp.getState().status?.account?.locales[0] ?? 'en');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!bridge || !env || !recordId) return setRecord(null);
    void bridge.invoke('content.record', { env, id: recordId }).then((r) => (r.ok ? setRecord(r.value) : setError(r.error.message)));
  }, [bridge, env, recordId, revision]);

  if (!record || !env || !permissions) return <section className="editor empty">Select a record.</section>;
  const model = models.find((m) => m.id === record.model);
  const envPerms = permissions.environments[env];
  if (!model || !envPerms) return <section className="editor empty">This record is not visible with your role.</section>;
  const locales = status?.account?.locales.length ? status.account.locales : ['en'];
  const environment = { id: env, primary: envPerms.primary };
  const cellOf = (f: Field) => ({ field: f.apiKey, localized: f.localized, locale: f.localized ? locale : null });
  const canWrite = (f: Field) => allows(permissions, 'record.update', { environment, model: model.id, createdBy: record.createdBy, cells: [cellOf(f)] });
  const can = (action: 'record.publish' | 'record.unpublish' | 'record.delete') => allows(permissions, action, { environment, model: model.id, createdBy: record.createdBy });

  function value(f: Field): Json {
    const v = record!.values[f.apiKey];
    return f.localized ? ((v as Record<string, Json> | undefined)?.[locale] ?? null) : (v ?? null);
  }

  function change(f: Field, next: Json) {
    const patch: Values = f.localized ? { [f.apiKey]: { [locale]: next } } : { [f.apiKey]: next };
    setRecord((r) => (r ? { ...r, values: { ...r.values, [f.apiKey]: f.localized ? { ...((r.values[f.apiKey] as Record<string, Json>) ?? {}), [locale]: next } : next } } : r));
    set({ save: 'saving' });
    const [where, id] = [env!, record!.id];
    scheduleSave(`${where}/${id}/${f.apiKey}.${f.localized ? locale : ''}`, async () => {
      const r = await bridge!.invoke('content.edit', { env: where, id, values: patch });
      // "Saved" is set by the store once nothing waits or is in flight (see autosave.ts).
      if (r.ok) setError(null);
      else {
        set({ save: 'error' });
        setError(r.error.message);
      }
    });
  }

  async function act(kind: 'publish' | 'unpublish' | 'delete') {
    const r = await bridge!.invoke('content.action', { env: env!, id: record!.id, kind });
    if (!r.ok) return setError(r.error.message);
    set({ save: 'saved-local' });
    if (kind === 'delete') set({ recordId: null });
  }

  const role = status?.account?.role ?? 'your role';
  return (
    <section className="editor" aria-label={`Edit ${model.name}`}>
      <header>
        <h2>
          {model.name} <small>{record.id}</small>
        </h2>
        <div className="actions">
          {can('record.publish') && <button onClick={() => void act('publish')}>Publish</button>}
          {can('record.unpublish') && <button onClick={() => void act('unpublish')}>Unpublish</button>}
          {can('record.delete') && <button onClick={() => void act('delete')}>Delete</button>}
        </div>
      </header>
      {record.flag && <p role="alert">This record needs attention ({record.flag === 'deleted_remotely' ? 'deleted on the server' : 'no longer readable'}); your local changes are kept.</p>}
      <div role="tablist" aria-label="Locales" className="locales">
        {locales.map((l) => (
          <button key={l} role="tab" aria-selected={l === locale} onClick={() => setLocale(l)}>
            {l}
          </button>
        ))}
      </div>
      <form onSubmit={(e) => e.preventDefault()} className="fields">
        {model.fields.map((f) => {
          const writable = canWrite(f);
          const id = `field-${f.apiKey}`;
          const conflict = record.conflicts.some((c) => c.cell === (f.localized ? `${f.apiKey}.${locale}` : f.apiKey));
          return (
            <div key={f.apiKey} className={`field ${conflict ? 'conflict' : ''}`}>
              <label htmlFor={id}>
                {f.label}
                {f.localized && <span className="loc"> ({locale})</span>}
                {f.required && <span aria-label="required"> *</span>}
              </label>
              <Widget id={id} field={f} value={value(f)} readOnly={!writable} onChange={(v) => change(f, v)} />
              {!writable && (
                <p className="why" id={`${id}-why`}>
                  Read-only: {role} may not edit {f.localized ? `the ${locale} ${f.label.toLowerCase()}` : f.label.toLowerCase()}.
                </p>
              )}
            </div>
          );
        })}
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <History env={env} id={record.id} onRestored={() => set({ revision: useApp.getState().revision + 1, save: 'saved-local' })} />
    </section>
  );
}

/** Version history from the server, with restore (saved locally, checked per cell, synced later). */
function History({ env, id, onRestored }: { env: string; id: string; onRestored: () => void }) {
  const bridge = useApp((s) => s.bridge)!;
  const [versions, setVersions] = useState<Output<'content.versions'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setVersions(null), [id]);
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

function Widget({ id, field, value, readOnly, onChange }: { id: string; field: Field; value: Json; readOnly: boolean; onChange: (v: Json) => void }) {
  const common = { id, readOnly, disabled: readOnly && (field.type === 'boolean'), 'aria-readonly': readOnly, 'aria-describedby': readOnly ? `${id}-why` : undefined };
  switch (field.type) {
    case 'text':
      return <textarea {...common} rows={5} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />;
    case 'boolean':
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'integer':
    case 'float':
      return <input {...common} type="number" step={field.type === 'integer' ? 1 : 'any'} value={(value as number | null) ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />;
    case 'date':
      return <input {...common} type="date" value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value || null)} />;
    case 'datetime':
      return <input {...common} type="datetime-local" value={typeof value === 'string' ? value.slice(0, 16) : ''} onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : null)} />;
    case 'asset':
      return <AssetPicker id={id} label={field.label} value={value} readOnly={readOnly} onChange={onChange} />;
    case 'link':
    case 'links':
      return <LinkPicker id={id} field={field} value={value} readOnly={readOnly} onChange={onChange} />;
    case 'json':
    case 'seo':
      return <JsonWidget common={common} value={value} onChange={onChange} />;
    default:
      return <input {...common} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />;
  }
}

function JsonWidget({ common, value, onChange }: { common: Record<string, unknown>; value: Json; onChange: (v: Json) => void }) {
  const [text, setText] = useState(JSON.stringify(value ?? null, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        {...common}
        rows={4}
        value={text}
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value) as Json);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <p className="error">Not valid JSON yet; nothing is saved until it is.</p>}
    </>
  );
}
