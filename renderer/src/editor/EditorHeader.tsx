import { useMemo, useRef, useState } from 'react';
import { isolate } from '../text/isolate';
import { useCommands, type Command } from '../ui/commands';
import type { Model } from '../../../shared/domain';
import type { Output } from '../../../shared/ipc/contract';
import { Confirm } from './Confirm';
import { localeName, type CellProblem } from './labels';
import { nameOf, useNames, when } from './names';

type RecordView = Output<'content.record'>;
export type Action = 'publish' | 'unpublish' | 'delete';

/** The pill that says where the record stands: the server's status, unless something here comes first. */
export function statusPill(r: { status: string; local: string; conflicts: number | readonly unknown[] }): { tone: string; text: string }[] {
  const pills = [{ tone: r.status, text: r.status === 'updated' ? 'Updated' : r.status === 'published' ? 'Published' : 'Draft' }];
  if (r.local === 'created') pills.push({ tone: 'local', text: 'New, not synced' });
  else if (r.local === 'edited') pills.push({ tone: 'local', text: 'Not synced' });
  else if (r.local === 'flagged') pills.push({ tone: 'conflict', text: 'Needs attention' });
  const conflicts = typeof r.conflicts === 'number' ? r.conflicts : r.conflicts.length;
  if (conflicts > 0) pills.push({ tone: 'conflict', text: 'Conflict' });
  return pills;
}

/**
 * The record's title (in the working locale; a fallback says which locale it comes from),
 * its model, status, who changed it last, and what may be done to it now.
 */
export function EditorHeader({
  record,
  model,
  title,
  may,
  problems,
  onAct,
  onFocusProblem,
}: {
  record: RecordView;
  model: Model;
  title: { text: string; from: string | null };
  may: (kind: Action) => boolean;
  problems: CellProblem[];
  onAct: (kind: Action) => void;
  onFocusProblem: (p: CellProblem) => void;
}) {
  const names = useNames([record.updatedBy]);
  const [asking, setAsking] = useState(false);
  // Nothing to publish: published and nothing changed here since.
  const somethingToPublish = record.status !== 'published' || record.local !== 'none';
  // Publishing acts on what is shown; while a field is in conflict, that is not settled yet.
  const conflicted = record.conflicts.length > 0;
  const blocked = problems.length > 0 || conflicted;
  const shown = title.text || 'Untitled';
  const canPublish = may('publish') && somethingToPublish && !record.deleting && !blocked;
  const canUnpublish = may('unpublish') && record.status !== 'draft' && !record.deleting;
  const canDelete = may('delete') && !record.deleting;
  // The palette offers what the buttons offer, no more: a blocked Publish is not listed. The
  // latest onAct is read when a command runs, so the list is not re-registered on every render.
  const act = useRef(onAct);
  act.current = onAct;
  const commands = useMemo<Command[]>(
    () => [
      ...(canPublish ? [{ id: 'records.publish', label: `Publish “${isolate(shown)}”`, group: 'Actions' as const, run: () => act.current('publish') }] : []),
      ...(canUnpublish ? [{ id: 'records.unpublish', label: `Unpublish “${isolate(shown)}”`, group: 'Actions' as const, run: () => act.current('unpublish') }] : []),
      ...(canDelete ? [{ id: 'records.delete', label: `Delete “${isolate(shown)}”…`, group: 'Actions' as const, run: () => setAsking(true) }] : []),
    ],
    [canPublish, canUnpublish, canDelete, shown],
  );
  useCommands('record', commands);
  return (
    <header className="editor-header">
      <div className="editor-title">
        <h2>
          <bdi className={title.text ? '' : 'muted'}>{shown}</bdi>
          {title.from && (
            <span className="fallback" title={`No title in this locale yet; shown in ${localeName(title.from)}`}>
              {' '}
              ({localeName(title.from)})
            </span>
          )}
        </h2>
        <p className="editor-meta">
          <span className="model-name">{model.name}</span>
          {statusPill({ ...record, conflicts: record.conflicts }).map((p) => (
            <span key={p.text} className={`pill ${p.tone}`}>
              {p.text}
            </span>
          ))}
          <span className="muted" data-testid="last-change">
            {record.local === 'created' ? 'Made on this computer; not on the server yet' : record.updatedAt ? `Changed by ${nameOf(names, record.updatedBy)}, ${when(record.updatedAt)}` : ''}
          </span>
        </p>
      </div>
      <div className="toolbar editor-actions">
        {may('publish') && somethingToPublish && !record.deleting && (
          <button className="btn primary" disabled={blocked} aria-describedby={blocked ? 'publish-blocked' : undefined} onClick={() => onAct('publish')}>
            Publish
          </button>
        )}
        {may('unpublish') && record.status !== 'draft' && !record.deleting && (
          <button className="btn" onClick={() => onAct('unpublish')}>
            Unpublish
          </button>
        )}
        {may('delete') && !record.deleting && (
          <button className="btn danger" onClick={() => setAsking(true)}>
            Delete
          </button>
        )}
      </div>
      {blocked && may('publish') && somethingToPublish && (
        <section className="publish-blocked card" id="publish-blocked" aria-label="Before publishing">
          <p>
            <strong>
              {conflicted && problems.length === 0 ? 'Resolve the conflict before publishing' : `${problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix before publishing`}
            </strong>{' '}
            <span className="muted">(drafts are still saved on this computer)</span>
          </p>
          <ul>
            {problems.map((p) => (
              <li key={p.key}>
                <button type="button" className="link" onClick={() => onFocusProblem(p)}>
                  {p.label}
                </button>{' '}
                {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Confirm
        open={asking}
        title={`Delete “${isolate(shown)}”?`}
        confirm="Delete"
        tone="danger"
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          onAct('delete');
        }}
      >
        <p>
          This {model.name.toLowerCase()} is removed {record.local === 'created' ? 'from this computer' : 'from the server with the next sync'}. You can undo it until then.
        </p>
      </Confirm>
    </header>
  );
}
