import { useState } from 'react';
import { isolate } from './text/isolate';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';
import { isDastDocument, type Json } from '../../shared/domain';
import { localeName } from './editor/labels';
import { nameOf, useNames, when } from './editor/names';
import { readable } from './editor/FieldFrame';

export type Conflict = Output<'sync.conflicts'>[number];

/** The DOM id of a conflict's card, so the editor can move the focus to it. */
export const conflictCardId = (env: string, recordId: string, cell: string): string => `conflict-${env}-${recordId}-${cell}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** One side of the conflict as a person reads it: text as text, empty said as such. */
function Side({ value, testId }: { value: Json | null; testId: string }) {
  const text = readable(value);
  return <div className="conflict-value" data-testid={testId}>{text || <span className="muted">Empty</span>}</div>;
}

/** A whole record's local cells, a line each ("title (French): …"), not the JSON they are kept as. */
function Cells({ value, testId }: { value: Json | null; testId: string }) {
  const lines: string[] = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [field, v] of Object.entries(value)) {
      const localized = v !== null && typeof v === 'object' && !Array.isArray(v) && !isDastDocument(v);
      if (localized) for (const [locale, x] of Object.entries(v)) lines.push(`${field} (${localeName(locale)}): ${readable(x) || 'empty'}`);
      else lines.push(`${field}: ${readable(v) || 'empty'}`);
    }
  }
  return (
    <ul className="conflict-value" data-testid={testId}>
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

/** Both sides of one conflicting cell, named the way the user knows them: the record's title, the field's label. */
export function ConflictCard({ conflict: c }: { conflict: Conflict }) {
  const { bridge, refresh } = useApp();
  const [written, setWritten] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useNames([c.theirsBy]);
  // The whole record: deleted on the server, or no longer readable (the server says NOT_FOUND to both).
  const whole = c.cell === '*';
  // The field itself is gone from the model: nothing on the server can hold "mine" any more.
  const gone = c.fieldDeleted;
  const field = whole ? 'the record' : `${c.label}${c.locale ? ` (${localeName(c.locale)})` : ''}`;
  const title = c.title || c.recordId;

  async function resolve(choice: { keep: 'mine' | 'theirs' } | { value: string }) {
    const r = await bridge!.invoke('sync.resolve', { env: c.env, recordId: c.recordId, cell: c.cell, ...choice });
    if (!r.ok) return setError(r.error.message);
    await refresh();
  }

  return (
    <section className="conflict-card" id={conflictCardId(c.env, c.recordId, c.cell)} tabIndex={-1} aria-label={`Conflict on ${field} of "${isolate(title)}"`}>
      <p>
        <strong>{title}</strong> · {whole ? 'deleted on the server, or no longer readable by your role, while you edited it' : field}
      </p>
      {gone && (
        <p data-testid="field-deleted">
          This field was deleted from the model on the server while you edited it. What you typed in it cannot be saved there: copy it from below if you need it, then discard it.
        </p>
      )}
      <div className={gone ? 'sides single' : 'sides'}>
        <div>
          <h4>Mine</h4>
          <p className="who muted">on this computer</p>
          {whole ? <Cells value={c.mine} testId="mine" /> : <Side value={c.mine} testId="mine" />}
        </div>
        {gone ? null : whole ? (
          <div>
            <h4>On the server</h4>
            <p className="who muted" data-testid="theirs">
              Gone for you: deleted, or your role no longer reads it.
            </p>
          </div>
        ) : (
          <div>
            <h4>Theirs</h4>
            <p className="who muted">
              by {nameOf(names, c.theirsBy)}, {when(c.theirsAt)}
            </p>
            <Side value={c.theirs} testId="theirs" />
          </div>
        )}
        {!whole && !gone && (
          <div>
            <h4>Before both</h4>
            <p className="who muted">the value you started from</p>
            <Side value={c.base} testId="base" />
          </div>
        )}
      </div>
      <div className="toolbar">
        {!gone && (
          <button className="btn" onClick={() => void resolve({ keep: 'mine' })}>
            {whole ? 'Keep mine as a new record' : 'Keep mine'}
          </button>
        )}
        <button className="btn" onClick={() => void resolve({ keep: 'theirs' })}>
          {whole || gone ? 'Discard mine' : 'Take theirs'}
        </button>
      </div>
      {!whole && !gone && (typeof c.mine === 'string' || typeof c.theirs === 'string') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void resolve({ value: written ?? String(c.mine ?? '') });
          }}
        >
          <label>
            Or write the value
            <input className="input" value={written ?? String(c.mine ?? '')} onChange={(e) => setWritten(e.target.value)} />
          </label>
          <button className="btn" type="submit">
            Use this
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
