import { useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';
import type { Json } from '../../shared/domain';
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

/** Both sides of one conflicting cell, named the way the user knows them: the record's title, the field's label. */
export function ConflictCard({ conflict: c }: { conflict: Conflict }) {
  const { bridge, refresh } = useApp();
  const [written, setWritten] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useNames([c.theirsBy]);
  const field = c.cell === '*' ? 'the record' : `${c.label}${c.locale ? ` (${localeName(c.locale)})` : ''}`;
  const title = c.title || c.recordId;

  async function resolve(choice: { keep: 'mine' | 'theirs' } | { value: string }) {
    const r = await bridge!.invoke('sync.resolve', { env: c.env, recordId: c.recordId, cell: c.cell, ...choice });
    if (!r.ok) return setError(r.error.message);
    await refresh();
  }

  return (
    <section className="conflict-card" id={conflictCardId(c.env, c.recordId, c.cell)} tabIndex={-1} aria-label={`Conflict on ${field} of "${title}"`}>
      <p>
        <strong>{title}</strong> · {c.cell === '*' ? 'deleted on the server, or no longer readable by your role, while you edited it' : field}
      </p>
      <div className="sides">
        <div>
          <h4>Mine</h4>
          <p className="who muted">on this computer</p>
          <Side value={c.mine} testId="mine" />
        </div>
        <div>
          <h4>Theirs</h4>
          <p className="who muted">
            by {nameOf(names, c.theirsBy)}, {when(c.theirsAt)}
          </p>
          <Side value={c.theirs} testId="theirs" />
        </div>
        {c.cell !== '*' && (
          <div>
            <h4>Before both</h4>
            <p className="who muted">the value you started from</p>
            <Side value={c.base} testId="base" />
          </div>
        )}
      </div>
      <div className="toolbar">
        <button className="btn" onClick={() => void resolve({ keep: 'mine' })}>
          Keep mine
        </button>
        <button className="btn" onClick={() => void resolve({ keep: 'theirs' })}>
          Take theirs
        </button>
      </div>
      {c.cell !== '*' && (typeof c.mine === 'string' || typeof c.theirs === 'string') && (
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
