import { z } from 'zod';
import { idSchema, isoDateTimeSchema, localeCodeSchema } from './ids';
import { isSafeName, SAFE_NAME_MESSAGE } from './names';

export const folderSchema = z.strictObject({
  id: idSchema,
  name: z
    .string()
    .min(1)
    .max(100)
    .refine((n) => !/[/\\]/.test(n) && n !== '.' && n !== '..', 'must not contain / or \\ and must not be . or ..')
    .refine(isSafeName, SAFE_NAME_MESSAGE),
  parentId: idSchema.nullable(),
  /** `/Marketing/Campaigns`; derived from the tree. */
  path: z.string(),
});
export type Folder = z.infer<typeof folderSchema>;

/** What the permission engine needs of a folder: itself and every ancestor, nearest first. */
export interface FolderRef {
  id: string;
  ancestors: readonly string[];
}

/** The chain of a folder's ancestors, nearest first, from a flat folder list. */
export function folderRef(folders: readonly Pick<Folder, 'id' | 'parentId'>[], id: string): FolderRef {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const ancestors: string[] = [];
  const seen = new Set([id]);
  let parent = byId.get(id)?.parentId ?? null;
  while (parent !== null && !seen.has(parent)) {
    ancestors.push(parent);
    seen.add(parent);
    parent = byId.get(parent)?.parentId ?? null;
  }
  return { id, ancestors };
}

export const assetMetadataSchema = z.record(
  localeCodeSchema,
  z.strictObject({ alt: z.string().max(1000).nullable().optional(), title: z.string().max(300).nullable().optional() }),
);
export type AssetMetadata = z.infer<typeof assetMetadataSchema>;

export const assetSchema = z.strictObject({
  id: idSchema,
  folder: idSchema,
  filename: z.string().min(1).max(255),
  size: z.number().int().min(0),
  mimeType: z.string().min(3).max(255),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  metadata: assetMetadataSchema,
  createdAt: isoDateTimeSchema,
  /** Pixel size of an image, read from its header at upload; absent or null for other files. */
  width: z.number().int().min(1).nullable().optional(),
  height: z.number().int().min(1).nullable().optional(),
});
export type Asset = z.infer<typeof assetSchema>;

/**
 * A filename a user chose, made safe to show and to store as metadata. The file store is
 * content-addressed, so this never becomes a path; still, refuse what is clearly a trick.
 */
export const uploadFilenameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((n) => !/[/\\\0]/.test(n), 'must be a bare file name, without / or \\')
  .refine((n) => n !== '.' && n !== '..', 'must not be . or ..')
  .refine(isSafeName, SAFE_NAME_MESSAGE);

export type AssetKind = 'image' | 'video' | 'audio' | 'pdf' | 'text' | 'other';

/** The kind of a file by its (sniffed) type: what an asset field's `assetTypes` speaks of. */
export function assetKind(mimeType: string): AssetKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType === 'application/pdf') return 'pdf';
  if (mimeType.startsWith('text/') || mimeType === 'application/json') return 'text';
  return 'other';
}

/** Whether an asset field with these accepted kinds takes a file of this type. */
export function acceptsAsset(accepted: readonly AssetKind[] | undefined, mimeType: string): boolean {
  return !accepted?.length || accepted.includes(assetKind(mimeType));
}
