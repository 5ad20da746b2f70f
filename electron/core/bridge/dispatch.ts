import { commands, type Channel, type Envelope, type EventName, type EventPayload, type Output, type ParsedInput } from '../../../shared/ipc/contract';
import { formatIssues } from '../../../shared/domain';
import type { InkstoneCore } from '../core';
import { toIpcError } from '../errors';

export { toIpcError } from '../errors';

type Handlers = { [C in Channel]: (core: InkstoneCore, input: ParsedInput<C>) => Output<C> | Promise<Output<C>> };

/** Each command, bound to the core. Inputs arrive here already validated. */
const handlers: Handlers = {
  'server.check': (core, i) => core.checkServer(i.url),
  'server.trust': (core, i) => (core.trustServer(i.url, i.fingerprint), { trusted: true }),
  'session.login': async (core, i) => (await core.login(i), core.auto.setEnabled(true), core.status()),
  'session.logout': async (core, i) => (await core.logout({ wipe: i.wipe }), core.status()),
  'session.status': (core) => core.status(),
  'permissions.get': (core) => core.permissions(),
  'content.environments': (core) => core.environments(),
  'content.models': (core, i) => core.models(i.env),
  'content.records': (core, i) => core.records(i.env, i.model, i),
  'content.count': (core, i) => ({ total: core.countRecords(i.env, i.model, i) }),
  'content.folders': (core, i) => core.folders(i.env),
  'content.record': (core, i) => core.record(i.env, i.id),
  'content.edit': (core, i) => (core.edit(i.env, i.id, i.values), { saved: true }),
  'content.create': (core, i) => ({ id: core.create(i.env, i.model, i.values) }),
  'content.action': (core, i) => (core.recordAction(i.env, i.id, i.kind), { queued: true }),
  'content.undoDelete': (core, i) => (core.undoDelete(i.env, i.id), { undone: true }),
  'people.names': (core, i) => core.names(i.ids),
  'content.versions': (core, i) => core.versions(i.env, i.id),
  'content.restore': async (core, i) => ({ cells: await core.restoreVersion(i.env, i.id, i.version) }),
  'sync.run': (core, i) => core.sync(i.only ? { only: i.only } : {}),
  'sync.retry': (core, i) => (core.retryOp(i.env, i.seq), { queued: true }),
  'sync.discard': (core, i) => (core.discardOp(i.env, i.seq), { discarded: true }),
  'sync.auto': (core, i) => ({ enabled: core.auto.setEnabled(i.enabled) }),
  'sync.conflicts': (core, i) => core.conflicts(i.env),
  'sync.resolve': (core, i) => (core.resolveConflict(i.env, i.recordId, i.cell, i.keep ? { keep: i.keep } : { value: i.value ?? null }), { resolved: true }),
  'uploads.begin': (core, i) => ({ id: core.beginUpload(i.env, i.folder, i.filename, i.mimeType, i.size, i.replaces ?? null) }),
  'uploads.chunk': (core, i) => ({ received: core.chunkUpload(i.id, i.offset, Buffer.from(i.dataBase64, 'base64')) }),
  'uploads.commit': (core, i) => core.commitUpload(i.id),
  'uploads.cancel': (core, i) => (core.cancelUpload(i.id), { cancelled: true }),
  'uploads.retry': (core, i) => (core.retryUpload(i.id), { queued: true }),
  'uploads.list': (core) => core.uploads(),
  'assets.list': (core, i) => core.assets(i.env, i.folder, i.search),
  'assets.thumbnail': (core, i) => core.assetThumbnail(i.env, i.id),
  'assets.move': (core, i) => ({ seq: core.assetActions.move(i.env, i.id, i.folder) }),
  'assets.delete': (core, i) => ({ seq: core.assetActions.delete(i.env, i.id) }),
  'assets.ops': (core) => core.assetActions.list(),
  'assets.opRetry': (core, i) => (core.assetActions.retry(i.env, i.seq), { queued: true }),
  'assets.opDiscard': (core, i) => (core.assetActions.discard(i.env, i.seq), { discarded: true }),
  'assets.updateMetadata': async (core, i) => (
    await core.updateAssetMetadata(i.env, i.id, i.folder, i.locale, { ...(i.alt !== undefined ? { alt: i.alt } : {}), ...(i.title !== undefined ? { title: i.title } : {}) }),
    { saved: true }
  ),
  'drafts.export': (core) => core.exportDraftsToFile(),
};


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
