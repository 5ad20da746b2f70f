import type { RequestContext } from '../context';
import type { EnvironmentRow } from './project';
import { checkValues, idSchema, valuesSchema, type Model, type RecordStatus, type Values } from '../../shared/domain';
import type { RecordNode } from '../../shared/api/operations';
import { applyPatch, cellsIn, changedCells, indexFields, ownValues } from '../../shared/values';
import { fail, invalid, notFound } from '../errors';
import { nowIso } from '../store/db';
import { newId } from '../auth/secrets';
import { audit } from '../audit';
import { once } from '../idempotency';
import { readTail } from './change-tail';
import { assetCellProblems } from './asset-refs';
import { linkCellProblems } from './link-refs';
import { deepFreeze } from '../store/generation';

export interface RecordRow {
  id: string;
  model_id: string;
  version: number;
  published_version: number | null;
  status: RecordStatus;
  data: string;
  published_data: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  created_by: string | null;
  updated_by: string | null;
  deleted: number;
  seq: number;
}

/** What clients receive: the shared wire shape. */
export type RecordOut = RecordNode;

/**
 * The api keys of deleted fields per model of an environment, for the models that have any
 * (schema.ts retires them). A row not written since such a deletion still holds the field's
 * value; it is not served.
 */
export function retiredKeys(ctx: RequestContext, env: string): ReadonlyMap<string, readonly string[]> {
  return new Map(ctx.modelsOf(env).flatMap((m) => (m.retiredKeys?.length ? [[m.id, m.retiredKeys] as const] : [])));
}

/** The retired keys of one model of an environment. */
const retiredOf = (ctx: RequestContext, env: string, model: string): readonly string[] | undefined => ctx.modelsOf(env).find((m) => m.id === model)?.retiredKeys;

/** `values` (written into) without what deleted fields left behind. */
function dropRetired(values: Values, retired: readonly string[] | undefined): Values {
  if (retired) for (const key of retired) delete values[key];
  return values;
}

/** Stored values as served: without what a deleted field left behind. */
export function servedValues(json: string, retired: readonly string[] | undefined): Values {
  return dropRetired(JSON.parse(json) as Values, retired);
}

/**
 * The record as this viewer may see it: read-only tokens see the published version only. Every
 * caller names its model's retired keys (a row written before a field's deletion still holds its
 * value), so that no read path can forget them.
 */
export function recordOut(row: RecordRow, publishedOnly: boolean, retired: readonly string[] | undefined): RecordOut {
  return {
    id: row.id,
    model: row.model_id,
    version: publishedOnly ? (row.published_version ?? row.version) : row.version,
    publishedVersion: row.published_version,
    status: row.status,
    values: servedValues(publishedOnly ? (row.published_data ?? '{}') : row.data, retired),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
  };
}

const sharedOuts = [new WeakMap<RecordRow, RecordOut>(), new WeakMap<RecordRow, RecordOut>()] as const;

/** recordOut of a row the change tail shares between readers (frozen): built once, not once per reader. */
function sharedRecordOut(row: RecordRow, publishedOnly: boolean, retired: readonly string[] | undefined): RecordOut {
  if (!Object.isFrozen(row)) return recordOut(row, publishedOnly, retired);
  // A field's deletion moves the cache generation, which starts the tail, and so its rows, afresh.
  const cache = sharedOuts[publishedOnly ? 1 : 0];
  let out = cache.get(row);
  if (!out) cache.set(row, (out = deepFreeze(recordOut(row, publishedOnly, retired))));
  return out;
}

/**
 * `once` for a mutation answering with a record: a replay answers as stored when the request
 * first ran, which may hold a field deleted since; it is served like every other read, without it.
 */
function onceServed(ctx: RequestContext, env: EnvironmentRow, operation: string, request: { clientMutationId: string }, apply: () => RecordOut): RecordOut {
  const out = once(ctx, operation, request, apply);
  const retired = retiredOf(ctx, env.id, out.model);
  return retired?.some((k) => k in out.values) ? { ...out, values: dropRetired({ ...out.values }, retired) } : out;
}

export function getRow(ctx: RequestContext, env: string, id: string): RecordRow | undefined {
  return ctx.db.prepare('SELECT * FROM records WHERE project_id = ? AND environment = ? AND id = ?').get(ctx.project().id, env, id) as
    | RecordRow
    | undefined;
}

export function canRead(ctx: RequestContext, env: EnvironmentRow, row: Pick<RecordRow, 'model_id' | 'created_by' | 'published_version'>): boolean {
  if (ctx.effective().publishedOnly && row.published_version === null) return false;
  return ctx.decide('record.read', { environment: env, model: row.model_id, createdBy: row.created_by }).allowed;
}

/** A live record the viewer may read, with its model; anything else is NOT_FOUND. */
function readable(ctx: RequestContext, env: EnvironmentRow, id: string): { row: RecordRow; model: Model } {
  const row = getRow(ctx, env.id, id);
  if (!row || row.deleted || !canRead(ctx, env, row)) return notFound(`record "${id}"`);
  const model = ctx.modelsOf(env.id).find((m) => m.id === row.model_id);
  if (!model) return notFound(`record "${id}"`);
  return { row, model };
}

function nextSeq(ctx: RequestContext, env: string): number {
  const r = ctx.db
    .prepare('UPDATE environments SET seq = seq + 1 WHERE project_id = ? AND id = ? RETURNING seq')
    .get(ctx.project().id, env) as { seq: number };
  return r.seq;
}

/**
 * Values already in map shape (valuesShape) checked against the model, and the asset and link
 * cells a write names against what they name; VALIDATION_FAILED names each bad cell.
 */
function validate(ctx: RequestContext, env: EnvironmentRow, model: Model, values: Values, mode: 'create' | 'update' | 'publish'): Values {
  const problems = checkValues(model, values, { locales: ctx.project().locales, mode });
  // A publish sends no cells: what it publishes was checked when it was written. What the ids
  // name is looked up only in fields of the right shape (a list of links is bounded by then).
  if (mode !== 'publish') {
    const shaped = Object.keys(values).filter((f) => !Object.keys(problems).some((k) => k === f || k.startsWith(`${f}.`)));
    const checked = Object.fromEntries(shaped.map((f) => [f, values[f]!]));
    for (const [cell, problem] of Object.entries({ ...linkCellProblems(ctx, env, model, checked), ...assetCellProblems(ctx, env, model, checked) })) problems[cell] ??= problem;
  }
  if (Object.keys(problems).length > 0) {
    return invalid(`invalid values: ${Object.entries(problems).map(([k, m]) => `${k} ${m}`).join('; ')}`, problems);
  }
  return values;
}

/** The input as a value map, enough to name its cells; full validation comes after authorization. */
function valuesShape(values: unknown): Values {
  const parsed = valuesSchema.safeParse(values);
  if (!parsed.success) return invalid('values must be a JSON object keyed by field api key', { values: parsed.error.issues[0]?.message ?? 'invalid' });
  return parsed.data;
}

function statusAfterEdit(row: Pick<RecordRow, 'published_version'>): RecordStatus {
  return row.published_version === null ? 'draft' : 'updated';
}

function writeVersion(ctx: RequestContext, env: string, id: string, version: number, data: string, at: string): void {
  ctx.db
    .prepare('INSERT INTO record_versions (project_id, environment, record_id, version, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(ctx.project().id, env, id, version, data, at, ctx.viewer?.user?.id ?? null);
}

export function listRecords(ctx: RequestContext, args: { environment: string; model: string; first: number; after?: string | null }) {
  const env = ctx.environment(args.environment);
  const model = ctx.model(env, args.model);
  const first = Math.min(Math.max(args.first, 1), 500);
  const grant = ctx.effective().environments[env.id]?.models[model.id]?.read;
  if (!grant || (!grant.own && !grant.others)) return { nodes: [], endCursor: null, hasMore: false };
  const userId = ctx.viewer?.user?.id ?? null;
  const publishedOnly = ctx.effective().publishedOnly;
  // Filter in SQL so that pages stay full: all, own only, or all but own.
  const creatorFilter = grant.own && grant.others ? '' : grant.own ? 'AND created_by IS ?' : 'AND created_by IS NOT ?';
  const rows = ctx.db
    .prepare(
      `SELECT * FROM records WHERE project_id = ? AND environment = ? AND model_id = ? AND deleted = 0 AND id > ?
       ${creatorFilter} ${publishedOnly ? 'AND published_version IS NOT NULL' : ''} ORDER BY id LIMIT ?`,
    )
    .all(...[ctx.project().id, env.id, model.id, args.after ?? '', ...(creatorFilter ? [userId] : []), first + 1]) as RecordRow[];
  const page = rows.slice(0, first);
  return { nodes: page.map((r) => recordOut(r, publishedOnly, model.retiredKeys)), endCursor: page.at(-1)?.id ?? null, hasMore: rows.length > first };
}

export function getRecord(ctx: RequestContext, args: { environment: string; id: string }): RecordOut | null {
  const env = ctx.environment(args.environment);
  const row = getRow(ctx, env.id, args.id);
  if (!row || row.deleted || !canRead(ctx, env, row)) return null;
  return recordOut(row, ctx.effective().publishedOnly, retiredOf(ctx, env.id, row.model_id));
}

/**
 * A record's history, filtered as the record is: NOT_FOUND where the record is, and to a
 * published-only reader (read_only token) just the published copy it already sees.
 */
export function recordVersions(ctx: RequestContext, args: { environment: string; id: string }) {
  const env = ctx.environment(args.environment);
  const { row, model } = readable(ctx, env, args.id);
  if (ctx.effective().publishedOnly) {
    const published = recordOut(row, true, model.retiredKeys);
    const at = ctx.db
      .prepare('SELECT created_at, created_by FROM record_versions WHERE project_id = ? AND environment = ? AND record_id = ? AND version = ?')
      .get(ctx.project().id, env.id, row.id, published.version) as { created_at: string; created_by: string | null } | undefined;
    return [{ version: published.version, values: published.values, createdAt: at?.created_at ?? row.published_at ?? row.updated_at, createdBy: at?.created_by ?? null }];
  }
  const rows = ctx.db
    .prepare('SELECT version, data, created_at, created_by FROM record_versions WHERE project_id = ? AND environment = ? AND record_id = ? ORDER BY version DESC')
    .all(ctx.project().id, env.id, row.id) as { version: number; data: string; created_at: string; created_by: string | null }[];
  return rows.map((v) => ({ version: v.version, values: JSON.parse(v.data) as Values, createdAt: v.created_at, createdBy: v.created_by }));
}

export function createRecord(ctx: RequestContext, args: { environment: string; model: string; id?: string | null; values: unknown; clientMutationId: string }): RecordOut {
  const env = ctx.environment(args.environment);
  const model = ctx.model(env, args.model);
  return onceServed(ctx, env, 'createRecord', args, () => {
    if (args.id !== null && args.id !== undefined && !idSchema.safeParse(args.id).success) invalid('id must be 1-128 letters, digits, _ or -', { id: 'invalid id' });
    // Authorize first, on the cells the input names, so a forbidden write is FORBIDDEN whatever else is wrong with it.
    const shaped = valuesShape(args.values);
    const cells = cellsIn(indexFields(model.fields), shaped);
    ctx.require('record.create', { environment: env, model: model.id, cells });
    const values = validate(ctx, env, model, shaped, 'create');
    const id = args.id ?? newId();
    const existing = getRow(ctx, env.id, id);
    if (existing) {
      // A create is idempotent by id: the same creator sending the same record gets it back.
      const same =
        !existing.deleted &&
        existing.created_by === (ctx.viewer?.user?.id ?? null) &&
        existing.model_id === model.id &&
        changedCells(indexFields(model.fields), JSON.parse(existing.data) as Values, values).cells.length === 0;
      if (same) return recordOut(existing, false, model.retiredKeys);
      return fail('CONFLICT', `a record with id "${id}" already exists`);
    }
    if (model.singleton) {
      const count = ctx.db
        .prepare('SELECT COUNT(*) AS n FROM records WHERE project_id = ? AND environment = ? AND model_id = ? AND deleted = 0')
        .get(ctx.project().id, env.id, model.id) as { n: number };
      if (count.n > 0) fail('CONFLICT', `model "${model.apiKey}" is a singleton and already has its record`);
    }
    const at = nowIso();
    const data = JSON.stringify(values);
    const userId = ctx.viewer?.user?.id ?? null;
    ctx.db
      .prepare(
        `INSERT INTO records (project_id, environment, id, model_id, version, published_version, status, data, created_at, updated_at, created_by, updated_by, seq)
         VALUES (?, ?, ?, ?, 1, NULL, 'draft', ?, ?, ?, ?, ?, ?)`,
      )
      .run(ctx.project().id, env.id, id, model.id, data, at, at, userId, userId, nextSeq(ctx, env.id));
    writeVersion(ctx, env.id, id, 1, data, at);
    audit(ctx, { environment: env.id, action: 'record.create', targetType: 'record', targetId: id, details: { model: model.apiKey, cells: cells.length } });
    return recordOut(getRow(ctx, env.id, id)!, false, model.retiredKeys);
  });
}

export function updateRecord(ctx: RequestContext, args: { environment: string; id: string; baseVersion: number; values: unknown; clientMutationId: string }): RecordOut {
  const env = ctx.environment(args.environment);
  return onceServed(ctx, env, 'updateRecord', args, () => {
    const { row, model } = readable(ctx, env, args.id);
    const fields = indexFields(model.fields);
    const shaped = valuesShape(args.values);
    const cells = cellsIn(fields, shaped);
    ctx.require('record.update', { environment: env, model: model.id, createdBy: row.created_by, cells });
    const patch = validate(ctx, env, model, shaped, 'update');
    if (args.baseVersion !== row.version) {
      return fail('STALE_VERSION', `record "${row.id}" is at version ${row.version}, not ${args.baseVersion}`, { current: recordOut(row, false, model.retiredKeys) });
    }
    const next = ownValues(fields, applyPatch(fields, JSON.parse(row.data) as Values, patch));
    const at = nowIso();
    const data = JSON.stringify(next);
    const written = { ...row, data, version: row.version + 1, status: statusAfterEdit(row), updated_at: at, updated_by: ctx.viewer?.user?.id ?? null, seq: nextSeq(ctx, env.id) };
    ctx.db
      .prepare('UPDATE records SET data = ?, version = ?, status = ?, updated_at = ?, updated_by = ?, seq = ? WHERE project_id = ? AND environment = ? AND id = ?')
      .run(written.data, written.version, written.status, at, written.updated_by, written.seq, ctx.project().id, env.id, row.id);
    writeVersion(ctx, env.id, row.id, written.version, data, at);
    audit(ctx, { environment: env.id, action: 'record.update', targetType: 'record', targetId: row.id, details: { cells: cells.map((c) => (c.locale ? `${c.field}.${c.locale}` : c.field)) } });
    // The row as written, not read back: the hot path of every sync spares a statement.
    return recordOut(written, false, model.retiredKeys);
  });
}

/** Publish/unpublish act on the version the caller saw when it is given (STALE_VERSION when the record moved since). */
function setPublished(ctx: RequestContext, args: { environment: string; id: string; clientMutationId: string; baseVersion?: number | null }, publish: boolean): RecordOut {
  const env = ctx.environment(args.environment);
  const op = publish ? 'publishRecord' : 'unpublishRecord';
  return onceServed(ctx, env, op, args, () => {
    const { row, model } = readable(ctx, env, args.id);
    ctx.require(publish ? 'record.publish' : 'record.unpublish', { environment: env, model: model.id, createdBy: row.created_by });
    if (args.baseVersion !== undefined && args.baseVersion !== null && args.baseVersion !== row.version) {
      return fail('STALE_VERSION', `record "${row.id}" is at version ${row.version}, not ${args.baseVersion}`, { current: recordOut(row, false, model.retiredKeys) });
    }
    // What a deleted field left in the record is neither checked nor published (schema.ts).
    const own = ownValues(indexFields(model.fields), JSON.parse(row.data) as Values);
    if (publish) validate(ctx, env, model, own, 'publish');
    const data = JSON.stringify(own);
    const at = nowIso();
    const version = row.version + 1;
    ctx.db
      .prepare(
        `UPDATE records SET data = ?, version = ?, published_version = ?, status = ?, published_data = ?, published_at = ?, updated_at = ?, updated_by = ?, seq = ?
         WHERE project_id = ? AND environment = ? AND id = ?`,
      )
      .run(
        data,
        version,
        publish ? version : null,
        publish ? 'published' : 'draft',
        publish ? data : null,
        publish ? at : null,
        at,
        ctx.viewer?.user?.id ?? null,
        nextSeq(ctx, env.id),
        ctx.project().id,
        env.id,
        row.id,
      );
    writeVersion(ctx, env.id, row.id, version, data, at);
    audit(ctx, { environment: env.id, action: publish ? 'record.publish' : 'record.unpublish', targetType: 'record', targetId: row.id });
    return recordOut(getRow(ctx, env.id, row.id)!, false, model.retiredKeys);
  });
}

type PublishArgs = { environment: string; id: string; clientMutationId: string; baseVersion?: number | null };
export const publishRecord = (ctx: RequestContext, args: PublishArgs) => setPublished(ctx, args, true);
export const unpublishRecord = (ctx: RequestContext, args: PublishArgs) => setPublished(ctx, args, false);

export function deleteRecord(ctx: RequestContext, args: { environment: string; id: string; baseVersion: number; clientMutationId: string }): boolean {
  const env = ctx.environment(args.environment);
  return once(ctx, 'deleteRecord', args, () => {
    const { row, model } = readable(ctx, env, args.id);
    ctx.require('record.delete', { environment: env, model: model.id, createdBy: row.created_by });
    if (args.baseVersion !== row.version) {
      return fail('STALE_VERSION', `record "${row.id}" is at version ${row.version}, not ${args.baseVersion}`, { current: recordOut(row, false, model.retiredKeys) });
    }
    ctx.db
      .prepare('UPDATE records SET deleted = 1, updated_at = ?, updated_by = ?, seq = ? WHERE project_id = ? AND environment = ? AND id = ?')
      .run(nowIso(), ctx.viewer?.user?.id ?? null, nextSeq(ctx, env.id), ctx.project().id, env.id, row.id);
    audit(ctx, { environment: env.id, action: 'record.delete', targetType: 'record', targetId: row.id });
    return true;
  });
}

export function restoreRecordVersion(ctx: RequestContext, args: { environment: string; id: string; version: number; clientMutationId: string }): RecordOut {
  const env = ctx.environment(args.environment);
  return onceServed(ctx, env, 'restoreRecordVersion', args, () => {
    const { row, model } = readable(ctx, env, args.id);
    const old = ctx.db
      .prepare('SELECT data FROM record_versions WHERE project_id = ? AND environment = ? AND record_id = ? AND version = ?')
      .get(ctx.project().id, env.id, row.id, args.version) as { data: string } | undefined;
    if (!old) return notFound(`version ${args.version} of record "${row.id}"`);
    const fields = indexFields(model.fields);
    // Restoring writes the cells that differ, so it is an edit: checked cell by cell, held to
    // today's model (a field since removed stays gone; an asset since deleted, a value the
    // validators now refuse, is VALIDATION_FAILED naming the cell).
    const current = JSON.parse(row.data) as Values;
    const { patch, cells } = changedCells(fields, current, JSON.parse(old.data) as Values);
    ctx.require('record.update', { environment: env, model: model.id, createdBy: row.created_by, cells });
    const data = JSON.stringify(ownValues(fields, applyPatch(fields, current, validate(ctx, env, model, patch, 'update'))));
    const at = nowIso();
    const version = row.version + 1;
    ctx.db
      .prepare('UPDATE records SET data = ?, version = ?, status = ?, updated_at = ?, updated_by = ?, seq = ? WHERE project_id = ? AND environment = ? AND id = ?')
      .run(data, version, statusAfterEdit(row), at, ctx.viewer?.user?.id ?? null, nextSeq(ctx, env.id), ctx.project().id, env.id, row.id);
    writeVersion(ctx, env.id, row.id, version, data, at);
    audit(ctx, { environment: env.id, action: 'record.restore', targetType: 'record', targetId: row.id, details: { from: args.version } });
    return recordOut(getRow(ctx, env.id, row.id)!, false, model.retiredKeys);
  });
}

/**
 * How a changed row reaches this viewer: as the record, as its deletion, or not at all. The
 * one rule of the change feed and of the snapshot stream (server/content/snapshot.ts), so
 * neither can show more than the other.
 */
export function changeSeen(ctx: RequestContext, env: EnvironmentRow, row: Pick<RecordRow, 'model_id' | 'created_by' | 'published_version' | 'deleted'>, publishedOnly: boolean): 'UPSERT' | 'DELETE' | null {
  // Every change, a deletion too, is shown only to who may read that record by the rules
  // (model, environment, creator): no other reader learns even its id.
  if (!ctx.decide('record.read', { environment: env, model: row.model_id, createdBy: row.created_by }).allowed) return null;
  // A read-only token sees an unpublished record vanish, as a reader of the site would.
  return row.deleted || (publishedOnly && row.published_version === null) ? 'DELETE' : 'UPSERT';
}

/**
 * The change feed: every record write since a cursor, in sequence order, filtered by what
 * the viewer may read. Cost grows with the number of changes, not the project size.
 */
export function changes(ctx: RequestContext, args: { environment: string; since?: string | null; limit: number }) {
  const env = ctx.environment(args.environment);
  const limit = Math.min(Math.max(args.limit, 1), 1000);
  const since = args.since ? Number(args.since) : 0;
  if (!Number.isSafeInteger(since) || since < 0) invalid('since must be a cursor returned by changes', { since: 'invalid cursor' });
  const rows =
    readTail(ctx.db, ctx.project().id, env.id, since, limit + 1) ??
    (ctx.db.prepare('SELECT * FROM records WHERE project_id = ? AND environment = ? AND seq > ? ORDER BY seq LIMIT ?').all(ctx.project().id, env.id, since, limit + 1) as RecordRow[]);
  const page = rows.slice(0, limit);
  const publishedOnly = ctx.effective().publishedOnly;
  const retired = retiredKeys(ctx, env.id);
  const out = [];
  for (const row of page) {
    const seen = changeSeen(ctx, env, row, publishedOnly);
    if (seen === 'DELETE') out.push({ seq: String(row.seq), kind: 'DELETE' as const, recordId: row.id, model: row.model_id, record: null });
    else if (seen === 'UPSERT') out.push({ seq: String(row.seq), kind: 'UPSERT' as const, recordId: row.id, model: row.model_id, record: sharedRecordOut(row, publishedOnly, retired.get(row.model_id)) });
  }
  const last = page.at(-1)?.seq ?? since;
  return { changes: out, nextCursor: String(last), hasMore: rows.length > limit };
}
