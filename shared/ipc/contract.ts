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

const statusSchema = z.object({
  signedIn: z.boolean(),
  account: z.object({ url: z.string(), email: z.string(), project: z.string(), role: z.string(), locales: z.array(z.string()) }).nullable(),
  environments: z.record(
    z.string(),
    z.object({
      primary: z.boolean(),
      pending: z.number(),
      blocked: z.array(z.object({ seq: z.number(), kind: z.string(), recordId: z.string(), reason: z.string() })),
      conflicts: z.number(),
      drafts: z.number(),
      uploads: z.number(),
    }),
  ),
});

const conflictSchema = z.object({ env: z.string(), recordId: z.string(), cell: z.string(), model: z.string(), base: jsonSchema.nullable(), mine: jsonSchema.nullable(), theirs: jsonSchema.nullable() });

export const commands = {
  'server.check': { input: z.strictObject({ url }), output: z.object({ origin: z.string(), fingerprint: z.string(), subject: z.string(), systemTrusted: z.boolean(), trusted: z.boolean(), pinned: z.string().nullable() }) },
  'server.trust': { input: z.strictObject({ url, fingerprint }), output: z.object({ trusted: z.literal(true) }) },
  'session.login': {
    input: z.strictObject({ url, email: z.string().min(3).max(320), password: z.string().min(1).max(1024), otp: z.string().regex(/^\d{6}$/).optional() }),
    output: statusSchema,
  },
  'session.logout': { input: z.strictObject({ wipe: z.boolean().optional() }), output: statusSchema },
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
    output: z.array(z.object({ id: z.string(), model: z.string(), status: z.string(), title: z.string(), version: z.number().nullable(), local: z.enum(['none', 'edited', 'created', 'flagged']), conflicts: z.number() })),
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
      draft: valuesSchema,
      flag: z.string().nullable(),
      conflicts: z.array(z.object({ cell: z.string() })),
    }),
  },
  'content.edit': { input: z.strictObject({ env, id: idSchema, values: valuesSchema }), output: z.object({ saved: z.literal(true) }) },
  'content.create': { input: z.strictObject({ env, model: idSchema, values: valuesSchema }), output: z.object({ id: z.string() }) },
  'content.action': { input: z.strictObject({ env, id: idSchema, kind: z.enum(['publish', 'unpublish', 'delete']) }), output: z.object({ queued: z.literal(true) }) },
  'sync.run': {
    input: z.strictObject({ only: z.enum(['pull', 'push']).optional() }),
    output: z.object({ pulled: z.number(), pushed: z.number(), conflicts: z.number(), blocked: z.number(), uploaded: z.number(), offline: z.boolean(), permissionsChanged: z.boolean() }),
  },
  'content.versions': {
    input: z.strictObject({ env, id: idSchema }),
    output: z.array(z.object({ version: z.number(), values: valuesSchema, createdAt: z.string(), createdBy: z.string().nullable() })),
  },
  'content.restore': { input: z.strictObject({ env, id: idSchema, version: z.number().int().min(1) }), output: z.object({ cells: z.number() }) },
  'sync.conflicts': { input: z.strictObject({ env: env.optional() }), output: z.array(conflictSchema) },
  'uploads.queue': {
    input: z.strictObject({
      env,
      folder: idSchema,
      filename: z.string().min(1).max(255),
      mimeType: z.string().min(3).max(255),
      // Bytes travel base64 over the bridge; the core copies them into app data at once.
      dataBase64: z.string().max(70 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    }),
    output: z.object({ id: z.string() }),
  },
  'assets.list': {
    input: z.strictObject({ env, folder: idSchema }),
    output: z.array(
      z.object({
        id: z.string(),
        folder: z.string(),
        filename: z.string(),
        size: z.number(),
        mimeType: z.string(),
        metadata: z.record(z.string(), z.object({ alt: z.string().nullable().optional(), title: z.string().nullable().optional() })),
      }),
    ),
  },
  'assets.updateMetadata': {
    input: z.strictObject({ env, id: idSchema, folder: idSchema, locale: z.string().min(2).max(16), alt: z.string().max(1000).nullable(), title: z.string().max(300).nullable() }),
    output: z.object({ saved: z.literal(true) }),
  },
  'uploads.list': {
    input: empty,
    output: z.array(z.object({ id: z.string(), env: z.string(), folder: z.string(), filename: z.string(), size: z.number(), state: z.string(), reason: z.string().nullable(), assetId: z.string().nullable() })),
  },
  'sync.resolve': {
    input: z.strictObject({ env, recordId: idSchema, cell: z.string().min(1).max(200), keep: z.enum(['mine', 'theirs']).optional(), value: jsonSchema.optional() }).refine((v) => (v.keep === undefined) !== (v.value === undefined), 'give either keep or value'),
    output: z.object({ resolved: z.literal(true) }),
  },
} as const;

export type Channel = keyof typeof commands;
export type Input<C extends Channel> = z.input<(typeof commands)[C]['input']>;
export type Output<C extends Channel> = z.output<(typeof commands)[C]['output']>;
export const CHANNELS = Object.keys(commands) as Channel[];

/** Events main sends to the renderer. */
export const events = {
  'sync.progress': z.object({ phase: z.enum(['viewer', 'schema', 'pull', 'push', 'upload']), env: z.string().optional(), done: z.number(), total: z.number().optional(), message: z.string().optional() }),
  'session.changed': statusSchema,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const IPC_ERROR_CODES = ['INVALID_INPUT', 'UNKNOWN_CHANNEL', 'PERMISSION', 'INPUT', 'OFFLINE', 'SIGNED_OUT', 'TLS_UNTRUSTED', 'TLS_CHANGED', 'SERVER', 'KEYCHAIN', 'INTERNAL'] as const;
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
