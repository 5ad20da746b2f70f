import { useEffect, useMemo, useRef, useState } from 'react';
import { allows } from '../../shared/permissions/effective';
import { resourceForWrite, type RecordOpKind } from '../../shared/permissions/write';
import type { Cell } from '../../shared/permissions/actions';
import type { Field, Json, Values } from '../../shared/domain';
import type { Output } from '../../shared/ipc/contract';
import { useApp } from './store';
import { scheduleSave } from './autosave';
import { Widget } from './Widget';
import { History } from './editor/History';
import { RecordProblems } from './RecordProblems';
import { conflictCardId } from './ConflictCard';
import { EditorHeader, type Action } from './editor/EditorHeader';
import { FieldFrame, fieldDomId } from './editor/FieldFrame';
import { LocaleBar, NO_SOURCE } from './editor/LocaleBar';
import { cellValue, humanize, localeName, publishProblems, slugify, titleIn, type CellProblem } from './editor/labels';
import { useWorkingLocale } from './editor/workingLocale';
import { useRecordActions } from './editor/useRecordActions';
import './editor/editor.css';

type RecordView = Output<'content.record'>;

/** A slug typed by hand stays: the title no longer writes it (remembered per record on this computer). */
const slugKey = (env: string, id: string) => `inkstone.slug-by-hand.${env}/${id}`;

function putCell(into: Values, f: Field, l: string, value: Json): void {
  into[f.apiKey] = f.localized ? { ...((into[f.apiKey] as Record<string, Json>) ?? {}), [l]: value } : value;
}

/** The editor of one record: header with its state and actions, locale tabs, a frame per field, history. */
export function RecordEditor() {
  const { bridge, env, recordId, models, permissions, status, set, revision } = useApp();
  const [record, setRecord] = useState<RecordView | null>(null);
  const { locale: working, set: setWorking } = useWorkingLocale();
  const [sourceChoice, setSourceChoice] = useState<string | null>(null);
  // An error belongs to the record it happened on: one that arrives after the user moved on is not shown on the next.
  const [error, setError] = useState<{ on: string; message: string } | null>(null);
  const here = `${env}/${recordId}`;
  const actions = useRecordActions(setError);

  // Cells typed here that the store has not taken yet. A re-read (an automatic sync finished
  // while the user typed) shows these over the store's older values, or it would undo keystrokes.
  const unsaved = useRef(new Map<string, { f: Field; l: string; value: Json }>());
  // A new record starts empty: its fields say "is required" once typed in (or picked from the
  // header's list), not before anything was typed, as in DatoCMS and Contentful. The header's
  // list and the note under it say what is missing from the start. Keys: `${env}/${id}/${cell}`.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const touch = (cell: string) => setTouched((s) => (s.has(`${here}/${cell}`) ? s : new Set(s).add(`${here}/${cell}`)));
  useEffect(() => {
    if (!bridge || !env || !recordId) return setRecord(null);
    const on = `${env}/${recordId}`;
    // Only the latest read lands: an earlier one answering late would show a record left behind.
    let latest = true;
    void bridge.invoke('content.record', { env, id: recordId }).then((r) => {
      if (!latest) return;
      if (!r.ok) return setError({ on, message: r.error.message });
      const values = { ...r.value.values };
      for (const [k, u] of unsaved.current) if (k.startsWith(`${on}/`)) putCell(values, u.f, u.l, u.value);
      setRecord({ ...r.value, values });
    });
    return () => {
      latest = false;
    };
  }, [bridge, env, recordId, revision]);

  const signedOut = !status?.signedIn;
  const model = record ? models.find((m) => m.id === record.model) : undefined;
  const envPerms = env ? permissions?.environments[env] : undefined;
  const locales = status?.account?.locales.length ? status.account.locales : ['en'];
  const environment = { id: env ?? '', primary: envPerms?.primary ?? false };
  // The one rule of shared/permissions: e.g. a record made on this computer is still a create for the server.
  const may = (kind: RecordOpKind, cells: Cell[] = []) => {
    if (!record || !model) return false;
    const need = permissions && resourceForWrite({ kind, environment, model: model.id, createdLocally: record.local === 'created', createdBy: record.createdBy, cells });
    return !!need && allows(permissions, need.action, need.resource);
  };
  const roleAllows = (f: Field, l: string) => may('update', [{ field: f.apiKey, localized: f.localized, locale: f.localized ? l : null }]);

  // A translator starts in the first locale they may write; after that, the user's pick stays.
  useEffect(() => {
    if (working || !record || !model || !permissions) return;
    setWorking(locales.find((l) => model.fields.some((f) => f.localized && roleAllows(f, l))) ?? locales[0]!);
  });
  const locale = working && locales.includes(working) ? working : locales[0]!;
  const source = sourceChoice ?? (locale !== locales[0] ? locales[0]! : NO_SOURCE);
  const problems = useMemo(() => (record && model ? publishProblems(model, record.values, locales) : []), [record, model, locales]);

  if (!record || record.id !== recordId || !env || (!permissions && !signedOut)) return <section className="editor empty">Select a record.</section>;
  // Signed out, the kept copy is read-only: what the role allowed no longer matters.
  if (!model || (!envPerms && !signedOut)) return <section className="editor empty">This record is not visible with your role.</section>;
  const cellKeyOf = (f: Field) => (f.localized ? `${f.apiKey}.${locale}` : f.apiKey);
  const conflictOf = (f: Field) => record.conflicts.find((c) => c.cell === cellKeyOf(f));
  const can = (kind: Action) => !signedOut && may(kind);
  const role = status?.account?.role ?? 'your role';
  const blockedByRole = (f: Field) => !signedOut && !roleAllows(f, locale);
  const readOnly = (f: Field) => signedOut || record.deleting || !!conflictOf(f) || blockedByRole(f);

  function save(f: Field, l: string, next: Json, into: Values) {
    const patch: Values = f.localized ? { [f.apiKey]: { [l]: next } } : { [f.apiKey]: next };
    putCell(into, f, l, next);
    const [where, id] = [env!, record!.id];
    const key = `${where}/${id}/${f.localized ? `${f.apiKey}.${l}` : f.apiKey}`;
    unsaved.current.set(key, { f, l, value: next });
    scheduleSave(key, async () => {
      const r = await bridge!.invoke('content.edit', { env: where, id, values: patch });
      // Taken: a re-read now shows it. Refused: it stays shown, beside "Not saved" and the reason.
      if (r.ok && unsaved.current.get(key)?.value === next) unsaved.current.delete(key);
      // "Saved" is said by the status bar once nothing waits or is in flight (see autosave.ts).
      set({ saveFailed: !r.ok });
      setError(r.ok ? null : { on: `${where}/${id}`, message: r.error.message });
    });
  }

  function change(f: Field, next: Json) {
    touch(cellKeyOf(f));
    const values = { ...record!.values };
    save(f, locale, next, values);
    const slug = model!.fields.find((x) => x.type === 'slug');
    const titleField = model!.fields.find((x) => x.type === 'string');
    if (f === slug) localStorage.setItem(slugKey(env!, record!.id), '1');
    // A draft never published takes its slug from the title (default locale) until the slug is typed by hand.
    const fromTitle = f === titleField && (!f.localized || locale === locales[0]) && slug && record!.status === 'draft' && !localStorage.getItem(slugKey(env!, record!.id));
    if (fromTitle && typeof next === 'string' && roleAllows(slug, locale) && !slug.localized) save(slug, locale, slugify(next) || null, values);
    // Edited here: what the header says (not synced, something to publish) follows at once.
    setRecord((r) => (r ? { ...r, values, local: r.local === 'none' ? 'edited' : r.local } : r));
  }

  function focusProblem(p: CellProblem) {
    touch(p.key);
    if (p.locale && p.locale !== locale) setWorking(p.locale);
    setTimeout(() => p.field && document.getElementById(fieldDomId(p.field.apiKey))?.focus(), 0);
  }

  const errorAt = (f: Field) => {
    const p = problems.find((x) => x.key === cellKeyOf(f));
    if (!p || (p.message === 'is required' && record.local === 'created' && !touched.has(`${here}/${p.key}`))) return null;
    return p.message;
  };
  const localized = model.fields.filter((f) => f.localized);
  const shared = model.fields.filter((f) => !f.localized);
  const groups = [
    { id: 'group-localized', fields: localized, legend: `In ${localeName(locale)}`, where: ` in ${localeName(locale)}` },
    { id: 'group-shared', fields: shared, legend: localized.length ? 'Same in every locale' : null, where: localized.length ? ' (same in every locale)' : '' },
  ].filter((g) => g.fields.length);
  const onAct = (kind: Action) => void actions.run(kind, record, model, titleIn(model, record.values, locale, locales).text);

  return (
    <section className="editor" aria-label={`Edit ${model.name}`}>
      <EditorHeader record={record} model={model} title={titleIn(model, record.values, locale, locales)} may={can} problems={problems} onAct={onAct} onFocusProblem={focusProblem} />
      {signedOut && (
        <p className="note" id="signed-out-why">
          Signed out: this copy is read-only. Sign in to edit it and send it to the server.
        </p>
      )}
      {record.deleting && (
        <p className="note card" role="status">
          Deleted here; it leaves the server with the next sync.{' '}
          <button type="button" className="btn" onClick={() => void actions.undo(env, record.id)}>
            Undo delete
          </button>
        </p>
      )}
      {record.local === 'created' && (
        <p className="note muted">
          {problems.some((p) => p.message === 'is required')
            ? `Made on this computer; it is sent to the server once ${problems.filter((p) => p.message === 'is required').map((p) => p.label).join(' and ')} ${problems.filter((p) => p.message === 'is required').length === 1 ? 'is' : 'are'} filled in.`
            : 'Made on this computer; it reaches the server with the next sync.'}
        </p>
      )}
      {record.flag && <p role="alert">This record needs attention ({record.flag === 'deleted_remotely' ? 'deleted on the server' : 'no longer readable'}); your local changes are kept.</p>}
      <RecordProblems env={env} recordId={record.id} problems={record.problems} model={model} />
      <LocaleBar model={model} values={record.values} locales={locales} locale={locale} onLocale={setWorking} source={source} onSource={setSourceChoice} problemLocales={new Set(problems.map((p) => p.locale).filter((l): l is string => !!l))} />
      <form onSubmit={(e) => e.preventDefault()} className="fields">
        {groups.map((g) => {
          const blocked = g.fields.filter(blockedByRole);
          const noteId = `${g.id}-why`;
          return (
            <fieldset key={g.id} className="field-group">
              {g.legend && <legend>{g.legend}</legend>}
              {blocked.length > 0 && (
                <p className="why" id={noteId}>
                  Read-only: {role} may not edit {blocked.length === g.fields.length ? 'these fields' : blocked.map((f) => f.label).join(', ')}
                  {g.where}.
                </p>
              )}
              {g.fields.map((f) => {
                const conflict = conflictOf(f);
                const ids = [signedOut ? 'signed-out-why' : null, blockedByRole(f) ? noteId : null, conflict ? `${fieldDomId(f.apiKey)}-why` : null].filter(Boolean).join(' ');
                const src = f.localized && source !== NO_SOURCE && source !== locale ? { locale: source, value: cellValue(record.values, f, source) } : null;
                return (
                  <FieldFrame
                    key={f.apiKey}
                    field={f}
                    locale={locale}
                    error={errorAt(f)}
                    source={src}
                    conflict={!!conflict}
                    note={
                      conflict && (
                        <p className="why" id={`${fieldDomId(f.apiKey)}-why`}>
                          Resolve the conflict first: this field changed here and on the server.{' '}
                          <button type="button" className="link" onClick={() => document.getElementById(conflictCardId(env, record.id, cellKeyOf(f)))?.focus()}>
                            Show the conflict
                          </button>
                        </p>
                      )
                    }
                  >
                    {(c) => <Widget id={c.id} field={f} value={cellValue(record.values, f, locale)} readOnly={readOnly(f)} invalid={c.invalid} describedBy={[c.describedBy, ids].filter(Boolean).join(' ') || undefined} onChange={(v) => change(f, v)} />}
                  </FieldFrame>
                );
              })}
            </fieldset>
          );
        })}
      </form>
      {error && error.on === here && (
        <p role="alert" className="error">
          {humanize(model, error.message)}
        </p>
      )}
      {!signedOut && <History key={here} env={env} record={record} model={model} locales={locales} onRestored={() => set({ revision: useApp.getState().revision + 1 })} />}
    </section>
  );
}
