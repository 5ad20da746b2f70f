import { useState } from 'react';
import { useApp } from './store';
import type { Output } from '../../shared/ipc/contract';

export type Conflict = Output<'sync.conflicts'>[number];

/** The DOM id of a conflict's card, so the editor can move the focus to it. */
export const conflictCardId = (env: string, recordId: string, cell: string): string => `conflict-${env}-${recordId}-${cell}`.replace(/[^A-Za-z0-9_-]/g, '_');

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString() : 'an unknown time');

/** Both sides of one conflicting cell, named the way the user knows them: the record's title, the field's label. */
export function ConflictCard({ conflict: c }: { conflict: Conflict }) {
  const { bridge, refresh } = useApp();
  const [written, setWritten] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const field = c.cell === '*' ? 'the record' : `${c.label}${c.locale ? ` (${c.locale})` : ''}`;
  const title = c.title || c.recordId;

  async function resolve(choice: { keep: 'mine' | 'theirs' } | { value: string }) {
    const r = await bridge!.invoke('sync.resolve', { env: c.env, recordId: c.recordId, cell: c.cell, ...choice });
    if (!r.ok) return setError(r.error.message);
    await refresh();
  }

  return (
    <section className="conflict-card" id={conflictCardId(c.env, c.recordId, c.cell)} tabIndex={-1} aria-label={`Conflict on ${field} of "${title}"`}>
      <p>
        <strong>{title}</strong> · {c.cell === '*' ? 'deleted on the server while you edited it' : field}
      </p>
      <div className="sides">
        <div>
          <h4>Mine</h4>
          <pre data-testid="mine">{JSON.stringify(c.mine)}</pre>
        </div>
        <div>
          <h4>Theirs</h4>
          <p className="who">
            by {c.theirsBy ?? 'someone'}, {when(c.theirsAt)}
          </p>
          <pre data-testid="theirs">{JSON.stringify(c.theirs)}</pre>
        </div>
      </div>
      <button onClick={() => void resolve({ keep: 'mine' })}>Keep mine</button> <button onClick={() => void resolve({ keep: 'theirs' })}>Take theirs</button>
      {c.cell !== '*' && (typeof c.mine === 'string' || typeof c.theirs === 'string') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void resolve({ value: written ?? String(c.mine ?? '') });
          }}
        >
          <label>
            Or write the value
            <input value={written ?? String(c.mine ?? '')} onChange={(e) => setWritten(e.target.value)} />
          </label>
          <button type="submit">Use this</button>
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
