import type { Output } from '../../../shared/ipc/contract';
import { formatBytes } from './thumbnails';

type Upload = Output<'uploads.list'>[number];
type AssetOp = Output<'assets.ops'>[number];

/** A file being copied into the local queue, before it is an upload the core knows. */
export interface Copying {
  key: string;
  /** The core's upload id once begun: its "receiving" entry is this copy, shown once. */
  id: string | null;
  filename: string;
  size: number;
  folder: string;
  progress: number;
  abort: AbortController;
}

function describe(u: Upload): string {
  if (u.state === 'done') return 'uploaded';
  if (u.state === 'uploading') return `uploading ${Math.round(u.progress * 100)}%`;
  if (u.state === 'receiving') return 'copy interrupted; cancel it and pick the file again';
  if (u.state === 'failed' || u.state === 'blocked') return `refused: ${u.reason ?? 'no reason given'}`;
  return 'waiting for sync';
}

/**
 * Files on their way (copying here, queued, uploading, refused) and asset moves or
 * deletions the server refused: each with its folder, size, progress and what can be done.
 */
/** The DOM id of the uploads panel, so "Review in Media" (SyncPanel) can move the focus to it. */
export const UPLOADS_PANEL_ID = 'uploads-panel';

export function UploadQueue({
  copying,
  uploads,
  ops,
  folderPath,
  onCancel,
  onRetry,
  onOp,
}: {
  copying: Copying[];
  uploads: Upload[];
  ops: AssetOp[];
  folderPath: (id: string) => string;
  onCancel: (u: Upload) => void;
  onRetry: (u: Upload) => void;
  onOp: (op: AssetOp, what: 'retry' | 'discard') => void;
}) {
  const shown = uploads.filter((u) => !copying.some((c) => c.id === u.id));
  const refused = ops.filter((o) => o.state === 'refused');
  if (!copying.length && !shown.length && !refused.length) return null;
  return (
    <section className="upload-panel" aria-label="Uploads" id={UPLOADS_PANEL_ID} tabIndex={-1}>
      <h3>Uploads</h3>
      <ul aria-label="Upload queue" className="upload-queue">
        {copying.map((c) => (
          <li key={c.key} data-state="copying">
            <span className="upload-name">
              {c.filename} — copying to this computer
            </span>
            <span className="muted">
              {folderPath(c.folder)} · {formatBytes(c.size)}
            </span>
            <progress aria-label={`Copying ${c.filename}`} value={c.progress} max={1} />
            <button type="button" className="btn" aria-label={`Cancel upload of ${c.filename}`} onClick={() => c.abort.abort()}>
              Cancel
            </button>
          </li>
        ))}
        {shown.map((u) => (
          <li key={u.id} data-state={u.state}>
            <span className="upload-name">
              {u.filename} — {describe(u)}
            </span>
            <span className="muted">
              {folderPath(u.folder)} · {formatBytes(u.size)}
            </span>
            {/* No bar for a refused file: a full one read as "uploaded". */}
            {u.state === 'done' || u.state === 'failed' || u.state === 'blocked' ? <span /> : <progress aria-label={`Uploading ${u.filename}`} value={u.progress} max={1} />}
            <span className="upload-actions">
              {(u.state === 'failed' || u.state === 'blocked') && (
                <button type="button" className="btn" aria-label={`Retry upload of ${u.filename}`} onClick={() => onRetry(u)}>
                  Retry
                </button>
              )}
              {u.state !== 'done' && (
                <button type="button" className="btn" aria-label={`Cancel upload of ${u.filename}`} onClick={() => onCancel(u)}>
                  Cancel
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {refused.length > 0 && (
        <ul aria-label="Refused asset changes" className="upload-queue">
          {refused.map((o) => (
            <li key={o.seq} data-state="failed">
              <span className="upload-name">
                {o.kind === 'move' ? `Move of ${o.filename} to ${folderPath(o.folder ?? '')}` : `Deletion of ${o.filename}`} — refused
              </span>
              <span className="field-error">{o.reason}</span>
              <span />
              <span className="upload-actions">
                <button type="button" className="btn" onClick={() => onOp(o, 'retry')}>
                  Retry
                </button>
                <button type="button" className="btn" onClick={() => onOp(o, 'discard')}>
                  Discard
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
