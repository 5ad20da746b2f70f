import type Database from 'better-sqlite3';
import { dastFromText, type Json } from '../../shared/domain';

/**
 * Data migration (issue #11): the demo project's Article `body` was a `text` field; it is now
 * structured text. Turns the field's type and every text cell of it (current, published and
 * historical values, in every environment) into DAST paragraphs, and moves each changed record
 * up the change feed so that synced clients pull the new cells. Other projects are theirs to
 * migrate: only the demo's own model is touched.
 */
const PROJECT = 'demo-magazine';
const MODEL = 'article';
const FIELD = 'body';

type Cells = Record<string, Json>;

/** The values with body's text cells as DAST; null when nothing changed. */
function convert(data: string | null): string | null {
  if (data === null) return null;
  const values = JSON.parse(data) as Cells;
  const body = values[FIELD];
  const cell = (v: Json): Json => (typeof v === 'string' ? (v.trim() === '' ? null : (dastFromText(v) as unknown as Json)) : v);
  let next: Json;
  if (typeof body === 'string') next = cell(body);
  else if (body !== null && typeof body === 'object' && !Array.isArray(body)) next = Object.fromEntries(Object.entries(body).map(([locale, v]) => [locale, cell(v)]));
  else return null;
  if (JSON.stringify(next) === JSON.stringify(body)) return null;
  return JSON.stringify({ ...values, [FIELD]: next });
}

export function bodyToDast(db: Database.Database): void {
  const models = db.prepare('SELECT environment, definition FROM models WHERE project_id = ? AND id = ?').all(PROJECT, MODEL) as { environment: string; definition: string }[];
  for (const { environment, definition } of models) {
    const model = JSON.parse(definition) as { fields: { apiKey: string; type: string }[] };
    const field = model.fields.find((f) => f.apiKey === FIELD);
    if (!field || field.type !== 'text') continue;
    field.type = 'structured_text';
    db.prepare('UPDATE models SET definition = ? WHERE project_id = ? AND environment = ? AND id = ?').run(JSON.stringify(model), PROJECT, environment, MODEL);

    const records = db
      .prepare('SELECT id, data, published_data FROM records WHERE project_id = ? AND environment = ? AND model_id = ? ORDER BY seq')
      .all(PROJECT, environment, MODEL) as { id: string; data: string; published_data: string | null }[];
    for (const r of records) {
      const data = convert(r.data);
      const published = convert(r.published_data);
      if (data === null && published === null) continue;
      const { seq } = db.prepare('UPDATE environments SET seq = seq + 1 WHERE project_id = ? AND id = ? RETURNING seq').get(PROJECT, environment) as { seq: number };
      db.prepare('UPDATE records SET data = ?, published_data = ?, seq = ? WHERE project_id = ? AND environment = ? AND id = ?').run(
        data ?? r.data,
        published ?? r.published_data,
        seq,
        PROJECT,
        environment,
        r.id,
      );
    }
    const versions = db
      .prepare(
        `SELECT v.record_id, v.version, v.data FROM record_versions v JOIN records r
         ON r.project_id = v.project_id AND r.environment = v.environment AND r.id = v.record_id
         WHERE v.project_id = ? AND v.environment = ? AND r.model_id = ?`,
      )
      .all(PROJECT, environment, MODEL) as { record_id: string; version: number; data: string }[];
    const update = db.prepare('UPDATE record_versions SET data = ? WHERE project_id = ? AND environment = ? AND record_id = ? AND version = ?');
    for (const v of versions) {
      const data = convert(v.data);
      if (data !== null) update.run(data, PROJECT, environment, v.record_id, v.version);
    }
  }
}
