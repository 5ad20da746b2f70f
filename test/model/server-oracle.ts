import type { Db } from '../../server/store/db';
import type { Values } from '../../shared/domain';
import { DEMO_PROJECT_ID } from '../../server/demo/seed';

/**
 * What the server holds, read straight from its SQLite file (the oracle; the core never
 * reads it this way). Environment `main` of the demo project.
 */
export interface ServerRecord {
  version: number;
  values: Values;
  publishedVersion: number | null;
  publishedValues: Values | null;
  deleted: boolean;
}

export class ServerOracle {
  constructor(private readonly db: Db) {}

  record(id: string): ServerRecord | null {
    const r = this.db
      .prepare("SELECT version, data, published_version, published_data, deleted FROM records WHERE project_id = ? AND environment = 'main' AND id = ?")
      .get(DEMO_PROJECT_ID, id) as { version: number; data: string; published_version: number | null; published_data: string | null; deleted: number } | undefined;
    if (!r) return null;
    return {
      version: r.version,
      values: JSON.parse(r.data) as Values,
      publishedVersion: r.published_version,
      publishedValues: r.published_data === null ? null : (JSON.parse(r.published_data) as Values),
      deleted: r.deleted === 1,
    };
  }

  /** Every version of a record, oldest first, with who wrote it. */
  versions(id: string): { version: number; values: Values; by: string | null }[] {
    return (
      this.db
        .prepare("SELECT version, data, created_by FROM record_versions WHERE project_id = ? AND environment = 'main' AND record_id = ? ORDER BY version")
        .all(DEMO_PROJECT_ID, id) as { version: number; data: string; created_by: string | null }[]
    ).map((v) => ({ version: v.version, values: JSON.parse(v.data) as Values, by: v.created_by }));
  }

  /** Live records whose values hold this text (a marker value is unique to one create). */
  liveRecordsHolding(text: string): string[] {
    return (
      this.db
        .prepare("SELECT id FROM records WHERE project_id = ? AND environment = 'main' AND deleted = 0 AND instr(data, ?) > 0")
        .all(DEMO_PROJECT_ID, JSON.stringify(text)) as { id: string }[]
    ).map((r) => r.id);
  }

  /** How many times a user did `action` (record.publish, record.create, …) on a record. */
  audits(id: string, userId: string, action: string): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM audit_log WHERE project_id = ? AND target_id = ? AND user_id = ? AND action = ?').get(DEMO_PROJECT_ID, id, userId, action) as {
        n: number;
      }
    ).n;
  }

  assets(sha256: string, folder: string): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM assets WHERE project_id = ? AND environment = 'main' AND sha256 = ? AND folder_id = ?").get(DEMO_PROJECT_ID, sha256, folder) as {
        n: number;
      }
    ).n;
  }
}
