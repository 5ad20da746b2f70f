import { useEffect, useState } from 'react';
import { allows } from '../../shared/permissions/effective';
import { resourceForWrite, type RecordOpKind } from '../../shared/permissions/write';
import type { Cell } from '../../shared/permissions/actions';
import type { Field, Json, Values } from '../../shared/domain';
import { useApp } from './store';
import { scheduleSave } from './autosave';
import { Widget } from './Widget';
import { History } from './History';
import { RecordProblems } from './RecordProblems';
import { conflictCardId } from './ConflictCard';
import type { Output } from '../../shared/ipc/contract';

type RecordView = Output<'content.record'>;

/** The editor of one record: a widget per field, locale tabs, and what may not be written shown read-only with why. */
export function RecordEditor() {
  const { bridge, env, recordId, models, permissions, status, set, revision, refreshStatus } = useApp();
  const [record, setRecord] = useState<RecordView | null>(null);
  const [locale, setLocale] = useState<string>(useApp.getState().status?.account?.locales[0] ?? 'en');
  // An error belongs to the record it happened on: one that arrives after the user moved on is not shown on the next.
  const [error, setError] = useState<{ on: string; message: string } | null>(null);
  const here = `${env}/${recordId}`;

  useEffect(() => {
    if (!bridge || !env || !recordId) return setRecord(null);
    const on = `${env}/${recordId}`;
    void bridge.invoke('content.record', { env, id: recordId }).then((r) => (r.ok ? setRecord(r.value) : setError({ on, message: r.error.message })));
  }, [bridge, env, recordId, revision]);

  const signedOut = !status?.signedIn;
  if (!record || record.id !== recordId || !env || (!permissions && !signedOut)) return <section className="editor empty">Select a record.</section>;
  const model = models.find((m) => m.id === record.model);
  const envPerms = permissions?.environments[env];
  // Signed out, the kept copy is read-only: what the role allowed no longer matters.
  if (!model || (!envPerms && !signedOut)) return <section className="editor empty">This record is not visible with your role.</section>;
  const locales = status?.account?.locales.length ? status.account.locales : ['en'];
  const environment = { id: env, primary: envPerms?.primary ?? false };
  const cellKeyOf = (f: Field) => (f.localized ? `${f.apiKey}.${locale}` : f.apiKey);
  // The one rule of shared/permissions: e.g. a record made on this computer is still a create for the server.
  const may = (kind: RecordOpKind, cells: Cell[] = []) => {
    const need = permissions && resourceForWrite({ kind, environment, model: model.id, createdLocally: record.local === 'created', createdBy: record.createdBy, cells });
    return !!need && allows(permissions, need.action, need.resource);
  };
  const roleAllows = (f: Field) => may('update', [{ field: f.apiKey, localized: f.localized, locale: f.localized ? locale : null }]);
  const conflictOf = (f: Field) => record.conflicts.find((c) => c.cell === cellKeyOf(f));
  const can = (kind: 'publish' | 'unpublish' | 'delete') => !signedOut && may(kind);
  const role = status?.account?.role ?? 'your role';

  function value(f: Field): Json {
    const v = record!.values[f.apiKey];
    return f.localized ? ((v as Record<string, Json> | undefined)?.[locale] ?? null) : (v ?? null);
  }

  function whyReadOnly(f: Field): string | null {
    // Signed out, one notice above the fields says why for all of them.
    if (signedOut) return null;
    if (conflictOf(f)) return 'Resolve the conflict first: this field changed here and on the server.';
    if (!roleAllows(f)) return `Read-only: ${role} may not edit ${f.localized ? `the ${locale} ${f.label.toLowerCase()}` : f.label.toLowerCase()}.`;
    return null;
  }

  function change(f: Field, next: Json) {
    const patch: Values = f.localized ? { [f.apiKey]: { [locale]: next } } : { [f.apiKey]: next };
    setRecord((r) => (r ? { ...r, values: { ...r.values, [f.apiKey]: f.localized ? { ...((r.values[f.apiKey] as Record<string, Json>) ?? {}), [locale]: next } : next } } : r));
    const [where, id] = [env!, record!.id];
    scheduleSave(`${where}/${id}/${cellKeyOf(f)}`, async () => {
      const r = await bridge!.invoke('content.edit', { env: where, id, values: patch });
      // "Saved" is said by the status bar once nothing waits or is in flight (see autosave.ts).
      set({ saveFailed: !r.ok });
      setError(r.ok ? null : { on: `${where}/${id}`, message: r.error.message });
    });
  }

  async function act(kind: 'publish' | 'unpublish' | 'delete') {
    const on = here;
    const r = await bridge!.invoke('content.action', { env: env!, id: record!.id, kind });
    if (!r.ok) return setError({ on, message: r.error.message });
    setError(null);
    if (kind === 'delete') set({ recordId: null });
    await refreshStatus();
  }

  return (
    <section className="editor" aria-label={`Edit ${model.name}`}>
      <header>
        <h2>
          {record.title || 'Untitled'} <small>{model.name}</small>
        </h2>
        <div className="actions">
          {can('publish') && <button onClick={() => void act('publish')}>Publish</button>}
          {can('unpublish') && <button onClick={() => void act('unpublish')}>Unpublish</button>}
          {can('delete') && <button onClick={() => void act('delete')}>Delete</button>}
        </div>
      </header>
      {signedOut && (
        <p className="note" id="signed-out-why">
          Signed out: this copy is read-only. Sign in to edit it and send it to the server.
        </p>
      )}
      {record.local === 'created' && <p className="note">Made on this computer; it reaches the server with the next sync.</p>}
      {record.flag && <p role="alert">This record needs attention ({record.flag === 'deleted_remotely' ? 'deleted on the server' : 'no longer readable'}); your local changes are kept.</p>}
      <RecordProblems env={env} recordId={record.id} problems={record.problems} />
      <div role="tablist" aria-label="Locales" className="locales">
        {locales.map((l) => (
          <button key={l} role="tab" aria-selected={l === locale} onClick={() => setLocale(l)}>
            {l}
          </button>
        ))}
      </div>
      <form onSubmit={(e) => e.preventDefault()} className="fields">
        {model.fields.map((f) => {
          const why = whyReadOnly(f);
          const id = `field-${f.apiKey}`;
          return (
            <div key={f.apiKey} className={`field ${conflictOf(f) ? 'conflict' : ''}`}>
              <label htmlFor={id}>
                {f.label}
                {f.localized && <span className="loc"> ({locale})</span>}
                {f.required && <span aria-label="required"> *</span>}
              </label>
              <Widget id={id} field={f} value={value(f)} readOnly={signedOut || why !== null} describedBy={signedOut ? 'signed-out-why' : why ? `${id}-why` : undefined} onChange={(v) => change(f, v)} />
              {why && (
                <p className="why" id={`${id}-why`}>
                  {why}{' '}
                  {conflictOf(f) && (
                    <button type="button" className="link" onClick={() => document.getElementById(conflictCardId(env, record.id, cellKeyOf(f)))?.focus()}>
                      Show the conflict
                    </button>
                  )}
                </p>
              )}
            </div>
          );
        })}
      </form>
      {error && error.on === here && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {!signedOut && <History key={here} env={env} id={record.id} onRestored={() => set({ revision: useApp.getState().revision + 1 })} />}
    </section>
  );
}
