import type { Sql } from './types';

export type AssetOpKind = 'move' | 'delete';
/** DESIGN §5's life cycle, as record ops: queued -> sent -> acknowledged (removed) | refused. */
export type AssetOpState = 'queued' | 'sent' | 'refused';

export interface AssetOp {
  seq: number;
  env: string;
  kind: AssetOpKind;
  assetId: string;
  /** The target folder of a move. */
  folder: string | null;
  clientMutationId: string;
  state: AssetOpState;
  reason: string | null;
  createdAt: string;
}

interface Row {
  seq: number;
  env: string;
  kind: AssetOpKind;
  asset_id: string;
  folder: string | null;
  client_mutation_id: string;
  state: AssetOpState;
  reason: string | null;
  created_at: string;
}
const hydrate = (r: Row): AssetOp => ({ seq: r.seq, env: r.env, kind: r.kind, assetId: r.asset_id, folder: r.folder, clientMutationId: r.client_mutation_id, state: r.state, reason: r.reason, createdAt: r.created_at });

/** Asset moves and deletions made offline, sent in order with the next sync. */
export class AssetOps {
  constructor(private readonly db: Sql) {}

  add(op: Pick<AssetOp, 'env' | 'kind' | 'assetId' | 'folder' | 'clientMutationId' | 'createdAt'>): number {
    const r = this.db
      .prepare('INSERT INTO asset_ops (env, kind, asset_id, folder, client_mutation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(op.env, op.kind, op.assetId, op.folder, op.clientMutationId, op.createdAt);
    return Number((r as { lastInsertRowid?: number | bigint }).lastInsertRowid ?? 0);
  }
  get(env: string, seq: number): AssetOp | null {
    const r = this.db.prepare('SELECT * FROM asset_ops WHERE env = ? AND seq = ?').get(env, seq) as Row | undefined;
    return r ? hydrate(r) : null;
  }
  all(): AssetOp[] {
    return (this.db.prepare('SELECT * FROM asset_ops ORDER BY seq').all() as Row[]).map(hydrate);
  }
  /** What still goes out (queued, or sent without an answer: resent with the same id, so applied once). */
  pending(env: string): AssetOp[] {
    return (this.db.prepare("SELECT * FROM asset_ops WHERE env = ? AND state IN ('queued', 'sent') ORDER BY seq").all(env) as Row[]).map(hydrate);
  }
  /** Ops not refused, of one asset: what the library shows over the server's copy. */
  open(env: string): AssetOp[] {
    return (this.db.prepare("SELECT * FROM asset_ops WHERE env = ? AND state != 'refused' ORDER BY seq").all(env) as Row[]).map(hydrate);
  }
  sent(seq: number): void {
    this.db.prepare("UPDATE asset_ops SET state = 'sent' WHERE seq = ?").run(seq);
  }
  refuse(seq: number, reason: string): void {
    this.db.prepare("UPDATE asset_ops SET state = 'refused', reason = ? WHERE seq = ?").run(reason, seq);
  }
  /** A retry is a new attempt: a new id, since the server remembers the refused one's answer. */
  requeue(seq: number, clientMutationId: string): void {
    this.db.prepare("UPDATE asset_ops SET state = 'queued', reason = NULL, client_mutation_id = ? WHERE seq = ?").run(clientMutationId, seq);
  }
  remove(seq: number): void {
    this.db.prepare('DELETE FROM asset_ops WHERE seq = ?').run(seq);
  }
}
