import { useState } from 'react';
import { useApp } from './store';
import { flushSaves } from './autosave';
import type { Model } from '../../shared/domain';
import { humanize } from './editor/labels';

type Action = 'publish' | 'unpublish' | 'delete';
const isAction = (kind: string): kind is Action => kind === 'publish' || kind === 'unpublish' || kind === 'delete';

export interface Problem {
  seq: number;
  kind: string;
  code: string;
  message: string;
}

/**
 * "Retry" after the user fixed the cause; "Discard" drops the refused operation. Shared by
 * the editor and the sync panel. A refused edit is re-sent with what is typed now
 * (sync.retry). A refused publish, unpublish or delete acts on the values the user saw when
 * asking, so retrying one is asking again, on what is shown now: the old one is dropped and
 * the action queued anew behind the fix.
 */
export function useProblemActions(env: string): { retry: (p: Problem, recordId: string) => Promise<void>; discard: (p: Problem) => Promise<void>; error: string | null } {
  const { bridge, refresh } = useApp();
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    retry: async (p, recordId) => {
      // The fix the user just typed must be in the local store first.
      await flushSaves();
      const kind = p.kind;
      const r = isAction(kind)
        ? await bridge!.invoke('sync.discard', { env, seq: p.seq }).then((d) => (d.ok ? bridge!.invoke('content.action', { env, id: recordId, kind }) : d))
        : await bridge!.invoke('sync.retry', { env, seq: p.seq });
      setError(r.ok ? null : r.error.message);
      await refresh();
    },
    discard: async (p) => {
      const r = await bridge!.invoke('sync.discard', { env, seq: p.seq });
      setError(r.ok ? null : r.error.message);
      await refresh();
    },
  };
}

/** What the user can do about each kind of refusal. */
const HINT: Record<string, string> = {
  VALIDATION: 'Fix what it names, then Retry; or Discard it.',
  PERMISSION: 'Your role may not do this now: Discard it, or Retry once your role allows it.',
  ENVIRONMENT: 'This environment is out of your role’s reach: Discard it, or Retry once it is back.',
  NOT_FOUND: 'The record is no longer on the server: Discard it.',
  UPLOAD: 'Fix the file, then Retry; or Discard it.',
};

const KIND: Record<string, string> = { create: 'Create', update: 'Changes', publish: 'Publish', unpublish: 'Unpublish', delete: 'Delete' };

/** Operations of this record the server refused, with its message and what the user can do. */
export function RecordProblems({ env, recordId, problems, model }: { env: string; recordId: string; problems: readonly Problem[]; model?: Model }) {
  const { retry, discard, error } = useProblemActions(env);
  if (problems.length === 0) return null;
  return (
    <section className="problems card" aria-label="Problems with this record">
      <h3>Not sent: needs your attention</h3>
      <ul>
        {problems.map((p) => (
          <li key={p.seq}>
            <p>
              <strong>{KIND[p.kind] ?? p.kind}</strong> not sent — <span className="server-message">{humanize(model, p.message)}</span>
            </p>
            <p className="hint">
              {HINT[p.code] ?? 'Retry or Discard it.'}
              {p.kind === 'update' || p.kind === 'create' ? ' Discarding puts the fields back to the server’s values.' : ''}
            </p>
            <div className="toolbar">
              <button className="btn" onClick={() => void retry(p, recordId)}>
                Retry
              </button>
              <button className="btn" onClick={() => void discard(p)}>
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
