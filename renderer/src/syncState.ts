import type { Output } from '../../shared/ipc/contract';

export type Status = Output<'session.status'>;

/** What this page itself knows that the core does not yet: typing not yet in the local store, a manual sync in flight. */
export interface LocalActivity {
  /** Edits typed and not yet acknowledged by the local store. */
  saving: boolean;
  /** The last edit was refused by the local store. */
  saveFailed: boolean;
  /** A sync this page asked for is running. */
  syncing: boolean;
}

export interface SyncTotals {
  pending: number;
  problems: number;
  conflicts: number;
  drafts: number;
  uploads: number;
  /** Asset moves and deletions not yet on the server. */
  assetChanges: number;
  /** Uploads and asset changes the server refused. */
  mediaProblems: number;
  /** New records waiting for their required fields before they are sent (part of `pending`). */
  incomplete: number;
}

export function totals(status: Status | null): SyncTotals {
  const t: SyncTotals = { pending: 0, problems: 0, conflicts: 0, drafts: 0, uploads: 0, assetChanges: 0, mediaProblems: 0, incomplete: 0 };
  for (const e of Object.values(status?.environments ?? {})) {
    t.pending += e.pending;
    t.problems += e.problems.length;
    t.conflicts += e.conflicts;
    t.drafts += e.drafts;
    t.uploads += e.uploads;
    t.assetChanges += e.assetChanges;
    t.mediaProblems += e.mediaProblems;
    t.incomplete += e.incomplete;
  }
  return t;
}

export type SyncLabel =
  | 'Saving…'
  | 'Not saved'
  | 'Syncing…'
  | 'Needs attention'
  | 'Signed out — saved on this computer'
  | 'Offline — saved on this computer'
  | 'Offline'
  | 'Saved on this computer'
  | 'Synced';

/**
 * The one sync state the status bar shows. "Synced" only when the core is idle and nothing
 * is pending, refused, conflicting or waiting to upload in any environment, and nothing
 * typed is still on its way to the local store.
 */
export function syncLabel(status: Status | null, local: LocalActivity): SyncLabel {
  if (local.saving) return 'Saving…';
  if (local.saveFailed) return 'Not saved';
  const t = totals(status);
  const state = status?.sync.state ?? 'idle';
  if (state === 'signed_out' || status?.account?.signedOut) return 'Signed out — saved on this computer';
  if (local.syncing || state === 'syncing') return 'Syncing…';
  if (t.problems > 0 || t.conflicts > 0 || t.mediaProblems > 0) return 'Needs attention';
  if (state === 'offline') return t.pending > 0 || t.uploads > 0 ? 'Offline — saved on this computer' : 'Offline';
  if (t.pending > 0 || t.uploads > 0) return 'Saved on this computer';
  return 'Synced';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The counts next to the state, e.g. "3 pending · 1 upload · 1 problem"; empty when there is nothing to say. */
export function countsText(status: Status | null): string {
  const t = totals(status);
  const parts: string[] = [];
  // Held back, a new record stays pending for good: the count says what it waits for.
  if (t.pending > 0) parts.push(t.incomplete > 0 ? `${t.pending} pending (${plural(t.incomplete, 'new record', 'new records')} missing required fields)` : `${t.pending} pending`);
  if (t.drafts > 0) parts.push(plural(t.drafts, 'draft'));
  if (t.uploads > 0) parts.push(plural(t.uploads, 'upload'));
  if (t.problems > 0) parts.push(plural(t.problems, 'problem'));
  if (t.conflicts > 0) parts.push(plural(t.conflicts, 'conflict'));
  if (t.mediaProblems > 0) parts.push(plural(t.mediaProblems, 'media problem'));
  return parts.join(' · ');
}

/** "2 drafts, 1 upload and 1 asset change" — what is on this computer and not yet on the server; empty when nothing is. */
export function unsentText(t: SyncTotals): string {
  const parts = [t.drafts > 0 ? plural(t.drafts, 'draft') : '', t.uploads > 0 ? plural(t.uploads, 'upload') : '', t.assetChanges > 0 ? plural(t.assetChanges, 'asset change') : ''].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}
