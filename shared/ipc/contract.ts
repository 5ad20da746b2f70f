import { z } from 'zod';
import { environmentIdSchema, idSchema, jsonSchema, modelSchema, valuesSchema } from '../domain';
import { effectivePermissionsSchema } from '../permissions/effective';

/**
 * The one bridge between the renderer and the main process (or the browser host): every
 * command's input and output, and every event. Main validates each input against it before
 * the core sees it, and each output before the renderer does (unknown keys are stripped, so
 * nothing undeclared, a token least of all, can cross).
 */
const url = z.string().min(1).max(2048);
const env = environmentIdSchema;
const fingerprint = z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'must be a SHA-256 fingerprint AA:BB:…');
const empty = z.strictObject({});

const problemCode = z.enum(['VALIDATION', 'PERMISSION', 'ENVIRONMENT', 'NOT_FOUND', 'UPLOAD']);
export type ProblemCode = z.infer<typeof problemCode>;
const opKind = z.enum(['create', 'update', 'publish', 'unpublish', 'delete']);

const statusSchema = z.object({
  signedIn: z.boolean(),
  // Stays non-null while signed out with a kept local copy (signedOut: true): kept drafts stay readable.
  account: z.object({ url: z.string(), email: z.string(), project: z.string(), role: z.string(), locales: z.array(z.string()), signedOut: z.boolean() }).nullable(),
  /** The one sync state. */
  sync: z.object({
    state: z.enum(['idle', 'syncing', 'offline', 'signed_out']),
    lastSyncedAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
  }),
  environments: z.record(
    z.string(),
    z.object({
      primary: z.boolean(),
      /** What still has to reach the server: queued ops + drafts not yet in an op + uploads not done + asset changes not sent. */
      pending: z.number(),
      problems: z.array(z.object({ seq: z.number(), kind: opKind, recordId: z.string(), title: z.string(), code: problemCode, message: z.string() })),
      /** @deprecated transitional: `problems` as the old renderer reads them; removed once the renderer reads `problems`. */
      conflicts: z.number(),
      drafts: z.number(),
      /** Queued or failed uploads. */
      uploads: z.number(),
      /** Asset moves and deletions made here and not yet taken by the server (queued, or sent without an answer). */
      assetChanges: z.number(),
      /** Uploads and asset changes the server refused: they wait on the user (retry after a fix, or cancel). */
      mediaProblems: z.number(),
      /** New records made here that wait for their required fields before they are sent (counted in `pending` too). */
      incomplete: z.number(),
    }),
  ),
});
export type Status = z.infer<typeof statusSchema>;

const conflictSchema = z.object({
  env: z.string(),
  recordId: z.string(),
  cell: z.string(),
  model: z.string(),
  /** The record's display title. */
  title: z.string(),
  /** The field's label ('*' cell: the record as a whole, deleted on the server). */
  label: z.string(),
  locale: z.string().nullable(),
  /** The field was deleted on the server: "mine" cannot be kept, only read (and copied) and discarded. */
  fieldDeleted: z.boolean(),
  base: jsonSchema.nullable(),
  mine: jsonSchema.nullable(),
  theirs: jsonSchema.nullable(),
  theirsAt: z.string().nullable(),
  theirsBy: z.string().nullable(),
});

const uploadItem = z.object({
  id: z.string(),
  env: z.string(),
  folder: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number(),
  /** receiving (chunks arriving) | queued | uploading | done | failed */
  state: z.string(),
  /** 0..1: bytes received while receiving, bytes sent to the server after. */
  progress: z.number().min(0).max(1),
  reason: z.string().nullable(),
  assetId: z.string().nullable(),
  /** The asset whose file this upload replaces. */
  replaces: z.string().nullable().optional(),
});

/** A chunk of an upload decoded is at most this many bytes; a whole upload at most MAX_UPLOAD_BYTES. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** A thumbnail (320 px WebP) is at most this many bytes, on the wire from the server and over the bridge. */
export const MAX_THUMBNAIL_BYTES = 512 * 1024;

export const commands = {
  'server.check': { input: z.strictObject({ url }), output: z.object({ origin: z.string(), fingerprint: z.string(), subject: z.string(), systemTrusted: z.boolean(), trusted: z.boolean(), pinned: z.string().nullable() }) },
  'server.trust': { input: z.strictObject({ url, fingerprint }), output: z.object({ trusted: z.literal(true) }) },
  'session.login': {
    input: z.strictObject({ url, email: z.string().min(3).max(320), password: z.string().min(1).max(1024), otp: z.string().regex(/^\d{6}$/).optional() }),
    output: statusSchema,
  },
  'session.logout': { input: z.strictObject({ wipe: z.boolean() }), output: statusSchema },
  'session.status': { input: empty, output: statusSchema },
  'permissions.get': { input: empty, output: effectivePermissionsSchema.nullable() },
  'content.environments': { input: empty, output: z.array(z.object({ id: z.string(), primary: z.boolean() })) },
  'content.models': { input: z.strictObject({ env }), output: z.array(modelSchema) },
  'content.records': {
    input: z.strictObject({
      env,
      model: idSchema,
      search: z.string().max(200).optional(),
      status: z.enum(['draft', 'published', 'updated']).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).max(10_000_000).optional(),
    }),
    output: z.array(
      z.object({
        id: z.string(),
        model: z.string(),
        status: z.string(),
        title: z.string(),
        /** The title per project locale (empty ones left out): the list shows the working locale's. */
        titles: z.record(z.string(), z.string()),
        version: z.number().nullable(),
        local: z.enum(['none', 'edited', 'created', 'flagged']),
        conflicts: z.number(),
      }),
    ),
  },
  'content.count': {
    input: z.strictObject({ env, model: idSchema, search: z.string().max(200).optional(), status: z.enum(['draft', 'published', 'updated']).optional() }),
    output: z.object({ total: z.number() }),
  },
  'content.folders': {
    input: z.strictObject({ env }),
    output: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), path: z.string(), canUpload: z.boolean() })),
  },
  'content.record': {
    input: z.strictObject({ env, id: idSchema }),
    output: z.object({
      id: z.string(),
      model: z.string(),
      title: z.string(),
      values: valuesSchema,
      version: z.number().nullable(),
      status: z.string(),
      createdBy: z.string().nullable(),
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
      draft: valuesSchema,
      flag: z.string().nullable(),
      /** created = made on this computer and not yet on the server. */
      local: z.enum(['none', 'edited', 'created']),
      /** A delete of it waits to be sent (it can still be undone). */
      deleting: z.boolean(),
      problems: z.array(z.object({ seq: z.number(), kind: opKind, code: problemCode, message: z.string() })),
      conflicts: z.array(
        z.object({ cell: z.string(), field: z.string(), locale: z.string().nullable(), label: z.string(), base: jsonSchema.nullable(), mine: jsonSchema.nullable(), theirs: jsonSchema.nullable(), theirsAt: z.string().nullable(), theirsBy: z.string().nullable() }),
      ),
    }),
  },
  'content.edit': { input: z.strictObject({ env, id: idSchema, values: valuesSchema }), output: z.object({ saved: z.literal(true) }) },
  'content.create': { input: z.strictObject({ env, model: idSchema, values: valuesSchema }), output: z.object({ id: z.string() }) },
  'content.action': { input: z.strictObject({ env, id: idSchema, kind: z.enum(['publish', 'unpublish', 'delete']) }), output: z.object({ queued: z.literal(true) }) },
  'sync.run': {
    input: z.strictObject({ only: z.enum(['pull', 'push']).optional() }),
    output: z.object({ pulled: z.number(), pushed: z.number(), conflicts: z.number(), problems: z.number(), uploaded: z.number(), offline: z.boolean(), permissionsChanged: z.boolean() }),
  },
  'sync.retry': { input: z.strictObject({ env, seq: z.number().int().min(1) }), output: z.object({ queued: z.literal(true) }) },
  'sync.discard': { input: z.strictObject({ env, seq: z.number().int().min(1) }), output: z.object({ discarded: z.literal(true) }) },
  'sync.auto': { input: z.strictObject({ enabled: z.boolean() }), output: z.object({ enabled: z.boolean() }) },
  'content.versions': {
    input: z.strictObject({ env, id: idSchema }),
    output: z.array(z.object({ version: z.number(), values: valuesSchema, createdAt: z.string(), createdBy: z.string().nullable() })),
  },
  /** Cancels a delete not yet sent to the server (the toast's Undo); refused once it was sent. */
  'content.undoDelete': { input: z.strictObject({ env, id: idSchema }), output: z.object({ undone: z.literal(true) }) },
  /** Display names of project members by id (authors of versions, of changes); offline: the ones known. */
  'people.names': { input: z.strictObject({ ids: z.array(idSchema).max(200) }), output: z.array(z.object({ id: z.string(), name: z.string() })) },
  'content.restore': { input: z.strictObject({ env, id: idSchema, version: z.number().int().min(1) }), output: z.object({ cells: z.number() }) },
  'sync.conflicts': { input: z.strictObject({ env: env.optional() }), output: z.array(conflictSchema) },
  'uploads.begin': {
    // replaces: the id of an asset whose file this one replaces (same id, in its folder).
    input: z.strictObject({ env, folder: idSchema, filename: z.string().min(1).max(255), mimeType: z.string().min(3).max(255), size: z.number().int().min(1).max(MAX_UPLOAD_BYTES), replaces: idSchema.optional() }),
    output: z.object({ id: z.string() }),
  },
  'uploads.chunk': {
    input: z.strictObject({
      id: idSchema,
      offset: z.number().int().min(0).max(MAX_UPLOAD_BYTES),
      // 512 KiB decoded is at most 699,052 base64 characters.
      dataBase64: z.string().min(1).max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    }),
    output: z.object({ received: z.number() }),
  },
  'uploads.commit': { input: z.strictObject({ id: idSchema }), output: z.object({ id: z.string(), state: z.string() }) },
  'uploads.cancel': { input: z.strictObject({ id: idSchema }), output: z.object({ cancelled: z.literal(true) }) },
  'uploads.retry': { input: z.strictObject({ id: idSchema }), output: z.object({ queued: z.literal(true) }) },
  'assets.list': {
    // Answered from the local store (kept by sync): browses offline. No folder: the whole environment.
    input: z.strictObject({ env, folder: idSchema.optional(), search: z.string().max(200).optional() }),
    output: z.array(
      z.object({
        id: z.string(),
        folder: z.string(),
        filename: z.string(),
        size: z.number(),
        mimeType: z.string(),
        width: z.number().nullable(),
        height: z.number().nullable(),
        createdAt: z.string(),
        /** A thumbnail is in the local store (assets.thumbnail answers it). */
        preview: z.boolean(),
        /** A move of it is queued, not yet acknowledged. */
        pending: z.boolean(),
        metadata: z.record(z.string(), z.object({ alt: z.string().nullable().optional(), title: z.string().nullable().optional() })),
      }),
    ),
  },
  'assets.thumbnail': {
    input: z.strictObject({ env, id: idSchema }),
    // WebP bytes the renderer turns into a blob: URL (its CSP allows images from blob: only).
    output: z.object({ mimeType: z.literal('image/webp'), dataBase64: z.string().max(Math.ceil(MAX_THUMBNAIL_BYTES / 3) * 4) }).nullable(),
  },
  'assets.move': { input: z.strictObject({ env, id: idSchema, folder: idSchema }), output: z.object({ seq: z.number() }) },
  'assets.delete': { input: z.strictObject({ env, id: idSchema }), output: z.object({ seq: z.number() }) },
  /** Queued, sent and refused asset moves and deletions (DESIGN §5's life cycle). */
  'assets.ops': {
    input: empty,
    output: z.array(
      z.object({ seq: z.number(), env: z.string(), kind: z.enum(['move', 'delete']), assetId: z.string(), filename: z.string(), folder: z.string().nullable(), state: z.enum(['queued', 'sent', 'refused']), reason: z.string().nullable() }),
    ),
  },
  'assets.opRetry': { input: z.strictObject({ env, seq: z.number().int().min(1) }), output: z.object({ queued: z.literal(true) }) },
  'assets.opDiscard': { input: z.strictObject({ env, seq: z.number().int().min(1) }), output: z.object({ discarded: z.literal(true) }) },
  'assets.updateMetadata': {
    // Patch: only the keys given change; a missing key keeps the stored value; null clears it.
    input: z.strictObject({ env, id: idSchema, folder: idSchema, locale: z.string().min(2).max(16), alt: z.string().max(1000).nullable().optional(), title: z.string().max(300).nullable().optional() }),
    output: z.object({ saved: z.literal(true) }),
  },
  'uploads.list': {
    input: empty,
    output: z.array(uploadItem),
  },
  'drafts.export': { input: empty, output: z.object({ file: z.string(), records: z.number() }) },
  'sync.resolve': {
    input: z.strictObject({ env, recordId: idSchema, cell: z.string().min(1).max(200), keep: z.enum(['mine', 'theirs']).optional(), value: jsonSchema.optional() }).refine((v) => (v.keep === undefined) !== (v.value === undefined), 'give either keep or value'),
    output: z.object({ resolved: z.literal(true) }),
  },
} as const;

export type Channel = keyof typeof commands;
export type Input<C extends Channel> = z.input<(typeof commands)[C]['input']>;
export type Output<C extends Channel> = z.output<(typeof commands)[C]['output']>;
/** An input as the core receives it: validated and parsed. */
export type ParsedInput<C extends Channel> = z.output<(typeof commands)[C]['input']>;
export const CHANNELS = Object.keys(commands) as Channel[];

/** Events main sends to the renderer. */
export const events = {
  'sync.progress': z.object({ phase: z.enum(['viewer', 'schema', 'pull', 'push', 'upload']), env: z.string().optional(), done: z.number(), total: z.number().optional(), message: z.string().optional() }),
  'session.changed': statusSchema,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const IPC_ERROR_CODES = ['INVALID_INPUT', 'UNKNOWN_CHANNEL', 'PERMISSION', 'INPUT', 'OFFLINE', 'SIGNED_OUT', 'TLS_UNTRUSTED', 'TLS_CHANGED', 'SERVER', 'KEYCHAIN', 'STORE_KEY', 'INTERNAL'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];
export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** Per-field problems for INVALID_INPUT / INPUT; the fingerprint for TLS_UNTRUSTED; the server's code for SERVER. */
  details?: Record<string, string>;
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** What the preload exposes as `window.inkstone`, and the browser host's client implements. */
export interface InkstoneBridge {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Envelope<Output<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
