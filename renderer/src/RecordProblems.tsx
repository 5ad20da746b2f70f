import { useState } from 'react';
import { useApp } from './store';
import { flushSaves } from './autosave';

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

const WHAT: Record<string, string> = { VALIDATION: 'The server refused it', PERMISSION: 'Your role may not do this', ENVIRONMENT: 'This environment cannot be reached with your role', NOT_FOUND: 'Not on the server', UPLOAD: 'The upload was refused' };

/** Operations of this record the server refused, with its message and what the user can do. */
export function RecordProblems({ env, recordId, problems }: { env: string; recordId: string; problems: readonly Problem[] }) {
  const { retry, discard, error } = useProblemActions(env);
  if (problems.length === 0) return null;
  return (
    <section className="problems" aria-label="Problems with this record">
      <h3>Not sent: needs your attention</h3>
      <ul>
        {problems.map((p) => (
          <li key={p.seq}>
            <p>
              <strong>
                {p.kind[0]?.toUpperCase()}
                {p.kind.slice(1)}
              </strong>{' '}
              — {WHAT[p.code] ?? 'Refused'}: <span className="server-message">{p.message}</span>
            </p>
            <p className="hint">Fix what it says, then retry; or discard it{p.kind === 'update' ? ' (your changes go back to the server’s values)' : ''}.</p>
            <button onClick={() => void retry(p, recordId)}>Retry</button> <button onClick={() => void discard(p)}>Discard</button>
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
