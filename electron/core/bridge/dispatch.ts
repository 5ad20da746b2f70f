import { commands, type Channel, type Envelope, type EventName, type EventPayload, type IpcError } from '../../../shared/ipc/contract';
import { formatIssues } from '../../../shared/domain';
import type { InkstoneCore } from '../core';
import { InputError, PermissionError } from '../core';
import { ApiError, ChangedCertificateError, UntrustedCertificateError } from '../api/errors';
import { SignedOutError } from '../sync/engine';
import { KeychainUnavailableError } from '../vault/token-vault';

type Handlers = { [C in Channel]: (core: InkstoneCore, input: never) => unknown };

/** Each command, bound to the core. Inputs arrive here already validated. */
const handlers = {
  'server.check': (core, i: { url: string }) => core.checkServer(i.url),
  'server.trust': (core, i: { url: string; fingerprint: string }) => (core.trustServer(i.url, i.fingerprint), { trusted: true }),
  'session.login': async (core, i: { url: string; email: string; password: string; otp?: string }) => (await core.login(i), core.status()),
  'session.logout': async (core, i: { wipe?: boolean }) => (await core.logout({ wipe: i.wipe ?? false }), core.status()),
  'session.status': (core) => core.status(),
  'permissions.get': (core) => (core.status().account ? (core.cache.viewer()?.viewer.permissions ?? null) : null),
  'content.environments': (core) => core.environments(),
  'content.models': (core, i: { env: string }) => core.models(i.env),
  'content.records': (core, i: { env: string; model: string; search?: string; status?: string; limit?: number; offset?: number }) => core.records(i.env, i.model, i),
  'content.count': (core, i: { env: string; model: string; search?: string; status?: string }) => ({ total: core.countRecords(i.env, i.model, i) }),
  'content.folders': (core, i: { env: string }) => core.folders(i.env),
  'content.record': (core, i: { env: string; id: string }) => core.record(i.env, i.id),
  'content.edit': (core, i: { env: string; id: string; values: Record<string, never> }) => (core.edit(i.env, i.id, i.values), { saved: true }),
  'content.create': (core, i: { env: string; model: string; values: Record<string, never> }) => ({ id: core.create(i.env, i.model, i.values) }),
  'content.action': (core, i: { env: string; id: string; kind: 'publish' | 'unpublish' | 'delete' }) => (core.recordAction(i.env, i.id, i.kind), { queued: true }),
  'content.versions': (core, i: { env: string; id: string }) => core.versions(i.env, i.id),
  'content.restore': async (core, i: { env: string; id: string; version: number }) => ({ cells: await core.restoreVersion(i.env, i.id, i.version) }),
  'sync.run': (core, i: { only?: 'pull' | 'push' }) => core.sync(i.only ? { only: i.only } : {}),
  'sync.conflicts': (core, i: { env?: string }) => core.conflicts(i.env),
  'uploads.queue': (core, i: { env: string; folder: string; filename: string; mimeType: string; dataBase64: string }) => ({
    id: core.queueUploadBytes(i.env, i.folder, i.filename, i.mimeType, Buffer.from(i.dataBase64, 'base64')),
  }),
  'uploads.list': (core) => core.uploads(),
  'assets.list': (core, i: { env: string; folder: string }) => core.assets(i.env, i.folder),
  'assets.updateMetadata': async (core, i: { env: string; id: string; folder: string; locale: string; alt: string | null; title: string | null }) => (
    await core.updateAssetMetadata(i.env, i.id, i.folder, i.locale, { alt: i.alt, title: i.title }),
    { saved: true }
  ),
  'sync.resolve': (core, i: { env: string; recordId: string; cell: string; keep?: 'mine' | 'theirs'; value?: never }) => (
    core.resolveConflict(i.env, i.recordId, i.cell, i.keep ? { keep: i.keep } : { value: i.value ?? null }),
    { resolved: true }
  ),
} satisfies Handlers;

export function toIpcError(e: unknown): IpcError {
  if (e instanceof UntrustedCertificateError) return { code: 'TLS_UNTRUSTED', message: e.message, details: { fingerprint: e.fingerprint, origin: e.origin } };
  if (e instanceof ChangedCertificateError) return { code: 'TLS_CHANGED', message: e.message, details: { expected: e.expected, actual: e.actual } };
  if (e instanceof PermissionError) return { code: 'PERMISSION', message: e.message };
  if (e instanceof InputError) return { code: 'INPUT', message: e.message, details: e.fields };
  if (e instanceof SignedOutError) return { code: 'SIGNED_OUT', message: e.message };
  if (e instanceof KeychainUnavailableError) return { code: 'KEYCHAIN', message: e.message };
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return { code: 'OFFLINE', message: e.message };
    const retryAfter = e.extensions['retryAfter'];
    return { code: 'SERVER', message: e.message, details: { code: e.code, ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}) } };
  }
  // Anything else is a bug: say so without leaking internals.
  return { code: 'INTERNAL', message: 'Something went wrong inside Inkstone; your local data is unchanged.' };
}

/**
 * The bridge's one entry point, the same under Electron's ipcMain and the browser host:
 * an unknown channel or an invalid payload is refused here and never reaches the core.
 */
export async function dispatch(core: InkstoneCore, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (typeof channel !== 'string' || !Object.hasOwn(commands, channel)) {
    // Never String() a hostile value: JSON from the host can carry {"toString": ""}.
    const name = typeof channel === 'string' ? JSON.stringify(channel).slice(0, 80) : `of type ${channel === null ? 'null' : typeof channel}`;
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `unknown command ${name}` } };
  }
  const c = channel as Channel;
  const parsed = commands[c].input.safeParse(payload);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error);
    return { ok: false, error: { code: 'INVALID_INPUT', message: `invalid ${c} request: ${problems.join('; ')}`, details: Object.fromEntries(problems.map((p, i) => [String(i), p])) } };
  }
  try {
    const value = await (handlers[c] as (core: InkstoneCore, input: unknown) => unknown)(core, parsed.data);
    const out = commands[c].output.safeParse(value);
    if (!out.success) return { ok: false, error: { code: 'INTERNAL', message: `the core answered ${c} with an unexpected shape` } };
    return { ok: true, value: out.data };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
