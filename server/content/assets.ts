import { z } from 'zod';
import type { RequestContext } from '../context';
import { assetMetadataSchema, folderSchema, idSchema, uploadFilenameSchema, type AssetMetadata } from '../../shared/domain';
import { fail, invalid, notFound } from '../errors';
import type { AssetNode } from '../../shared/api/operations';
import { folderPath, type EnvironmentRow } from './project';
import { newId } from '../auth/secrets';
import { nowIso } from '../store/db';
import { audit } from '../audit';
import { once } from '../idempotency';

interface AssetRow {
  id: string;
  folder_id: string;
  filename: string;
  size: number;
  mime_type: string;
  sha256: string;
  metadata: string;
  created_at: string;
  width: number | null;
  height: number | null;
}

/** What clients receive: the shared wire shape. */
export type AssetOut = AssetNode;

export const assetOut = (r: AssetRow): AssetOut => ({
  id: r.id,
  folder: r.folder_id,
  filename: r.filename,
  size: r.size,
  mimeType: r.mime_type,
  sha256: r.sha256,
  metadata: JSON.parse(r.metadata) as AssetNode['metadata'],
  createdAt: r.created_at,
  width: r.width ?? null,
  height: r.height ?? null,
});

function folderOf(ctx: RequestContext, env: EnvironmentRow, id: string, action: 'read' | 'create' | 'update' | 'delete') {
  const folder = ctx.foldersOf(env.id).find((f) => f.id === id);
  const ref = folder ? ctx.folderRef(env.id, id) : null;
  if (!folder || !ref || !ctx.decide('upload.read', { environment: env, folder: ref }).allowed) return notFound(`folder "${id}"`);
  if (action !== 'read') ctx.require(`upload.${action}`, { environment: env, folder: ref });
  return folder;
}

export function listFolders(ctx: RequestContext, args: { environment: string }) {
  const env = ctx.environment(args.environment);
  const all = ctx.foldersOf(env.id);
  return all
    .filter((f) => ctx.decide('upload.read', { environment: env, folder: ctx.folderRef(env.id, f.id) }).allowed)
    .map((f) => ({ id: f.id, name: f.name, parentId: f.parentId, path: folderPath(all, f.id) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function listAssets(ctx: RequestContext, args: { environment: string; folder?: string | null; first: number; after?: string | null }) {
  const env = ctx.environment(args.environment);
  const first = Math.min(Math.max(args.first, 1), 500);
  const folders = args.folder ? [folderOf(ctx, env, args.folder, 'read').id] : listFolders(ctx, args).map((f) => f.id);
  if (folders.length === 0) return { nodes: [], endCursor: null, hasMore: false };
  const rows = ctx.db
    .prepare(
      `SELECT * FROM assets WHERE project_id = ? AND environment = ? AND folder_id IN (${folders.map(() => '?').join(',')}) AND id > ? ORDER BY id LIMIT ?`,
    )
    .all(ctx.project().id, env.id, ...folders, args.after ?? '', first + 1) as AssetRow[];
  const page = rows.slice(0, first);
  return { nodes: page.map(assetOut), endCursor: page.at(-1)?.id ?? null, hasMore: rows.length > first };
}

export function createFolder(ctx: RequestContext, args: { environment: string; name: string; parentId?: string | null; clientMutationId: string }) {
  const env = ctx.environment(args.environment);
  return once(ctx, 'createFolder', args, () => {
    const name = folderSchema.shape.name.safeParse(args.name);
    if (!name.success) invalid(`folder name ${name.error.issues[0]?.message}`, { name: name.error.issues[0]?.message ?? 'invalid' });
    if (args.parentId) folderOf(ctx, env, args.parentId, 'create');
    else ctx.require('upload.create', { environment: env, folder: null });
    const clash = ctx.foldersOf(env.id).some((f) => f.parentId === (args.parentId ?? null) && f.name.toLowerCase() === args.name.toLowerCase());
    if (clash) fail('CONFLICT', `a folder named "${args.name}" already exists there`);
    const id = newId();
    ctx.db.prepare('INSERT INTO folders (project_id, environment, id, name, parent_id) VALUES (?, ?, ?, ?, ?)').run(ctx.project().id, env.id, id, args.name, args.parentId ?? null);
    ctx.invalidate();
    audit(ctx, { environment: env.id, action: 'folder.create', targetType: 'folder', targetId: id, details: { name: args.name } });
    const all = ctx.foldersOf(env.id);
    return { id, name: args.name, parentId: args.parentId ?? null, path: folderPath(all, id) };
  });
}

const slotArgs = z.object({
  filename: uploadFilenameSchema,
  size: z.number().int().min(1, 'must be at least 1 byte'),
  mimeType: z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/, 'must be a MIME type such as image/png'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the file'),
});

function checkSlotArgs(ctx: RequestContext, args: { filename: string; size: number; mimeType: string; sha256: string }): void {
  const parsed = slotArgs.safeParse(args);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
    invalid(`invalid upload: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join('; ')}`, fields);
  }
  if (args.size > ctx.services.limits.maxUploadBytes) {
    invalid(`file is larger than the ${ctx.services.limits.maxUploadBytes} byte limit`, { size: 'too large' });
  }
}

function insertSlot(ctx: RequestContext, env: EnvironmentRow, folder: string, args: { filename: string; size: number; mimeType: string; sha256: string }, replaces: string | null) {
  const slotId = newId();
  const at = Date.now();
  ctx.db
    .prepare(
      `INSERT INTO upload_slots (id, project_id, environment, folder_id, filename, size, mime_type, sha256, principal_key, created_at, expires_at, replaces)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(slotId, ctx.project().id, env.id, folder, args.filename, args.size, args.mimeType, args.sha256, ctx.requireViewer().key, new Date(at).toISOString(), new Date(at + 3600_000).toISOString(), replaces);
  return { slotId, putUrl: `${ctx.services.origin}/uploads/${slotId}` };
}

export function createUploadSlot(
  ctx: RequestContext,
  args: { environment: string; folder: string; filename: string; size: number; mimeType: string; sha256: string; clientMutationId: string },
) {
  const env = ctx.environment(args.environment);
  return once(ctx, 'createUploadSlot', args, () => {
    checkSlotArgs(ctx, args);
    folderOf(ctx, env, args.folder, 'create');
    return insertSlot(ctx, env, args.folder, args, null);
  });
}

/** A slot whose bytes replace an asset's file: same id and folder, new bytes (sniffed again), name, size and dimensions. */
export function replaceAssetFile(
  ctx: RequestContext,
  args: { environment: string; id: string; filename: string; size: number; mimeType: string; sha256: string; clientMutationId: string },
) {
  const env = ctx.environment(args.environment);
  return once(ctx, 'replaceAssetFile', args, () => {
    const asset = assetFor(ctx, env, args.id, 'update');
    checkSlotArgs(ctx, args);
    return insertSlot(ctx, env, asset.folder, args, asset.id);
  });
}

export interface SlotRow {
  id: string;
  project_id: string;
  environment: string;
  folder_id: string;
  filename: string;
  size: number;
  mime_type: string;
  sha256: string;
  principal_key: string;
  expires_at: string;
  asset_id: string | null;
  /** The asset whose file this slot replaces (null: a new asset). */
  replaces: string | null;
}

/** After the bytes of a slot arrived and checked out: the asset, made once per slot. */
export function completeSlot(ctx: RequestContext, slot: SlotRow, size: { width: number; height: number } | null = null): AssetOut {
  return ctx.db.transaction(() => {
    const fresh = ctx.db.prepare('SELECT asset_id FROM upload_slots WHERE id = ?').get(slot.id) as { asset_id: string | null };
    if (fresh.asset_id) return getAssetRow(ctx, slot.environment, fresh.asset_id);
    const env = ctx.environment(slot.environment);
    if (slot.replaces) {
      // The role may have changed since the slot was made: decide again (and the asset may have moved).
      const asset = assetFor(ctx, env, slot.replaces, 'update');
      ctx.db
        .prepare('UPDATE assets SET filename = ?, size = ?, mime_type = ?, sha256 = ?, width = ?, height = ? WHERE project_id = ? AND environment = ? AND id = ?')
        .run(slot.filename, slot.size, slot.mime_type, slot.sha256, size?.width ?? null, size?.height ?? null, slot.project_id, env.id, asset.id);
      ctx.db.prepare('UPDATE upload_slots SET asset_id = ? WHERE id = ?').run(asset.id, slot.id);
      audit(ctx, { environment: env.id, action: 'asset.replace', targetType: 'asset', targetId: asset.id, details: { filename: slot.filename, size: slot.size, sha256: slot.sha256, previous: asset.sha256 } });
      return getAssetRow(ctx, env.id, asset.id);
    }
    // The role may have changed since the slot was made: decide again.
    folderOf(ctx, env, slot.folder_id, 'create');
    const id = newId();
    ctx.db
      .prepare(
        `INSERT INTO assets (project_id, environment, id, folder_id, filename, size, mime_type, sha256, metadata, created_at, created_by, width, height)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)`,
      )
      .run(slot.project_id, env.id, id, slot.folder_id, slot.filename, slot.size, slot.mime_type, slot.sha256, nowIso(), ctx.viewer?.user?.id ?? null, size?.width ?? null, size?.height ?? null);
    ctx.db.prepare('UPDATE upload_slots SET asset_id = ? WHERE id = ?').run(id, slot.id);
    audit(ctx, { environment: env.id, action: 'asset.create', targetType: 'asset', targetId: id, details: { filename: slot.filename, size: slot.size, sha256: slot.sha256 } });
    return getAssetRow(ctx, env.id, id);
  })();
}

function getAssetRow(ctx: RequestContext, env: string, id: string): AssetOut {
  const row = ctx.db.prepare('SELECT * FROM assets WHERE project_id = ? AND environment = ? AND id = ?').get(ctx.project().id, env, id) as AssetRow | undefined;
  if (!row) return notFound(`asset "${id}"`);
  return assetOut(row);
}

/**
 * An asset the viewer may read (its folder readable in a reachable environment), or
 * NOT_FOUND: an id the viewer may not see answers exactly as an id that does not exist.
 */
export function readableAsset(ctx: RequestContext, environment: string, id: string): AssetOut {
  const env = ctx.environment(environment);
  if (!idSchema.safeParse(id).success) return notFound(`asset "${id}"`);
  const asset = getAssetRow(ctx, env.id, id);
  folderOf(ctx, env, asset.folder, 'read');
  return asset;
}

function assetFor(ctx: RequestContext, env: EnvironmentRow, id: string, action: 'update' | 'delete'): AssetOut {
  if (!idSchema.safeParse(id).success) return notFound(`asset "${id}"`);
  const asset = getAssetRow(ctx, env.id, id);
  folderOf(ctx, env, asset.folder, action);
  return asset;
}

export function updateAsset(ctx: RequestContext, args: { environment: string; id: string; metadata: unknown; clientMutationId: string }) {
  const env = ctx.environment(args.environment);
  return once(ctx, 'updateAsset', args, () => {
    const asset = assetFor(ctx, env, args.id, 'update');
    const meta = assetMetadataSchema.safeParse(args.metadata);
    if (!meta.success) invalid('metadata must be { locale: { alt?, title? } }', { metadata: meta.error.issues[0]?.message ?? 'invalid' });
    const unknown = Object.keys(meta.data ?? {}).filter((l) => !ctx.project().locales.includes(l));
    if (unknown.length) invalid(`unknown locale ${unknown.join(', ')}`, Object.fromEntries(unknown.map((l) => [`metadata.${l}`, 'unknown locale'])));
    const merged = { ...(asset.metadata as AssetMetadata), ...meta.data };
    ctx.db.prepare('UPDATE assets SET metadata = ? WHERE project_id = ? AND environment = ? AND id = ?').run(JSON.stringify(merged), ctx.project().id, env.id, asset.id);
    audit(ctx, { environment: env.id, action: 'asset.update', targetType: 'asset', targetId: asset.id });
    return getAssetRow(ctx, env.id, asset.id);
  });
}

export function moveAsset(ctx: RequestContext, args: { environment: string; id: string; folder: string; clientMutationId: string }) {
  const env = ctx.environment(args.environment);
  return once(ctx, 'moveAsset', args, () => {
    const asset = assetFor(ctx, env, args.id, 'update');
    folderOf(ctx, env, args.folder, 'create');
    ctx.db.prepare('UPDATE assets SET folder_id = ? WHERE project_id = ? AND environment = ? AND id = ?').run(args.folder, ctx.project().id, env.id, asset.id);
    audit(ctx, { environment: env.id, action: 'asset.move', targetType: 'asset', targetId: asset.id, details: { from: asset.folder, to: args.folder } });
    return getAssetRow(ctx, env.id, asset.id);
  });
}

/** Whether a cell value names the asset (a bare id, or a localized/list value holding it). */
function mentions(value: unknown, id: string): boolean {
  if (value === id) return true;
  if (Array.isArray(value)) return value.some((v) => mentions(v, id));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentions(v, id));
  return false;
}

/**
 * An asset still used by a record (draft or published copy) is not deleted: the refusal names
 * the records the viewer may read, and only counts the others.
 */
function refuseWhileReferenced(ctx: RequestContext, env: EnvironmentRow, id: string): void {
  const fields = new Map(ctx.modelsOf(env.id).map((m) => [m.id, m.fields.filter((f) => f.type === 'asset').map((f) => f.apiKey)]));
  const like = `%${JSON.stringify(id).slice(1, -1).replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const rows = ctx.db
    .prepare("SELECT id, model_id, data, published_data, created_by FROM records WHERE project_id = ? AND environment = ? AND deleted = 0 AND (data LIKE ? ESCAPE '\\' OR published_data LIKE ? ESCAPE '\\')")
    .all(ctx.project().id, env.id, like, like) as { id: string; model_id: string; data: string; published_data: string | null; created_by: string | null }[];
  const using = rows.filter((r) =>
    [r.data, r.published_data].some((d) => {
      if (!d) return false;
      const values = JSON.parse(d) as Record<string, unknown>;
      return (fields.get(r.model_id) ?? []).some((k) => mentions(values[k], id));
    }),
  );
  if (!using.length) return;
  const readable = using.filter((r) => ctx.decide('record.read', { environment: env, model: r.model_id, createdBy: r.created_by }).allowed).map((r) => r.id);
  const others = using.length - readable.length;
  fail('CONFLICT', `this asset is used by ${using.length} record${using.length === 1 ? '' : 's'}${readable.length ? ` (${readable.join(', ')}${others ? ` and ${others} more` : ''})` : ''}: remove it from them first`, { records: readable, hidden: others });
}

export function deleteAsset(ctx: RequestContext, args: { environment: string; id: string; clientMutationId: string }): boolean {
  const env = ctx.environment(args.environment);
  return once(ctx, 'deleteAsset', args, () => {
    const asset = assetFor(ctx, env, args.id, 'delete');
    refuseWhileReferenced(ctx, env, asset.id);
    ctx.db.prepare('DELETE FROM assets WHERE project_id = ? AND environment = ? AND id = ?').run(ctx.project().id, env.id, asset.id);
    audit(ctx, { environment: env.id, action: 'asset.delete', targetType: 'asset', targetId: asset.id });
    return true;
  });
}
