import type { Json, Values } from '../../../shared/domain';
import type { RecordNode } from '../../../shared/api/operations';
import type { ProblemCode } from '../../../shared/ipc/contract';

/** A Database handle as the store's parts use it (better-sqlite3's). */
export interface Sql {
  prepare(sql: string): { run(...p: unknown[]): { changes: number | bigint }; get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
  readonly inTransaction: boolean;
  /** One transaction (a savepoint inside another). */
  transaction(fn: () => void): () => void;
}

/** The server copy of a record: the base of every merge (the record as the server sent it, less createdAt). */
export type Base = Omit<RecordNode, 'createdAt'> & { env: string };

/** Local cells not yet acknowledged, as a values patch over the base. */
export interface Draft {
  env: string;
  recordId: string;
  model: string;
  values: Values;
  /** Made on this computer, not yet on the server. */
  createdLocal: boolean;
  /** 'unreadable' (the role lost read access) | 'deleted_remotely' | null. */
  flag: string | null;
  updatedAt: string;
}

export type OpKind = 'create' | 'update' | 'publish' | 'unpublish' | 'delete';
/** DESIGN §5: queued -> sent -> acknowledged (removed) | refused. */
export type OpState = 'queued' | 'sent' | 'refused';

/** What an op sends, fixed when it is first sent (or when a later op snapshots the record): a retry sends the same. */
export interface OpPayload {
  values?: Values;
}

export interface Op {
  seq: number;
  env: string;
  kind: OpKind;
  recordId: string;
  model: string;
  clientMutationId: string;
  payload: OpPayload | null;
  baseVersion: number | null;
  state: OpState;
  problem: { code: ProblemCode; message: string } | null;
  attempts: number;
  createdAt: string;
}

export interface Conflict {
  env: string;
  recordId: string;
  /** 'field' or 'field.locale'; '*' when the server deleted the record. */
  cell: string;
  model: string;
  base: Json | null;
  mine: Json | null;
  theirs: Json | null;
  theirsVersion: number | null;
  theirsAt: string | null;
  theirsBy: string | null;
  /** The label of a field deleted on the server since (its cells set aside); null otherwise. */
  fieldLabel: string | null;
}

export type UploadState = 'queued' | 'done' | 'failed';
export interface Upload {
  id: string;
  env: string;
  folder: string;
  path: string;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  clientMutationId: string;
  state: UploadState;
  reason: string | null;
  sent: number;
  assetId: string | null;
  createdAt: string;
  /** The asset whose file this upload replaces (same id, new bytes); null for a new asset. */
  replaces?: string | null;
}

/** One environment's figures for the status line, each from an index. */
export interface EnvCounts {
  queuedOps: number;
  refusedOps: number;
  drafts: number;
  /** Drafts no queued or sent op will carry (e.g. left after a conflict). */
  draftsWithoutOp: number;
  openUploads: number;
  /** Asset moves and deletions still to go (queued, or sent without an answer). */
  assetOps: number;
  /** Uploads that failed and asset changes the server refused. */
  mediaProblems: number;
  /** New records held back until their required fields are filled (edits.ts). */
  incomplete: number;
  conflicts: number;
}

export const now = (): string => new Date().toISOString();
export const parseJson = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
