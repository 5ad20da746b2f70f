import type { Json, Model, Values } from '../../shared/domain';
import type { Output } from '../../shared/ipc/contract';
import { readCell } from '../../shared/values';
import type { CoreContext } from './context';
import { InputError, PermissionError } from './errors';
import type { ListFilter } from './store/records';
import type { Conflict } from './store/types';

export type RecordSummary = Output<'content.records'>[number];
export type RecordView = Output<'content.record'>;
export type ConflictView = Output<'sync.conflicts'>[number];

/** Reads of the local copy: they work offline and signed out (with a kept copy). */
export class Content {
  constructor(private readonly ctx: CoreContext) {}

  environments() {
    return Object.entries(this.ctx.viewer().viewer.permissions.environments).map(([id, e]) => ({ id, primary: e.primary }));
  }

  /** Only models the role may see in that environment. */
  models(env: string): Model[] {
    const perms = this.ctx.viewer().viewer.permissions.environments[env];
    if (!perms) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    return this.ctx.store().models(env).filter((m) => perms.models[m.id]);
  }

  model(env: string, ref: string): Model {
    const m = this.models(env).find((x) => x.id === ref || x.apiKey === ref);
    if (!m) throw new PermissionError(`model "${ref}" is not visible with your role`);
    return m;
  }

  /** Folders of an environment the role may read, with what it may do in each. */
  folders(env: string) {
    const perms = this.ctx.viewer().viewer.permissions.environments[env];
    if (!perms) throw new PermissionError(`environment "${env}" is not reachable with your role`);
    return this.ctx
      .store()
      .folders(env)
      .filter((f) => perms.uploads.read.folders.includes(f.id))
      .map((f) => ({ ...f, canUpload: perms.uploads.create.folders.includes(f.id) }));
  }

  /** A record's display title: its first string field, in the project's first locale. */
  titleOf(model: Model | undefined, values: Values): string {
    const f = model?.fields.find((x) => x.type === 'string');
    if (!f) return '';
    const t = readCell(values, f, f.localized ? (this.ctx.viewer().project.locales[0] ?? 'en') : null);
    return typeof t === 'string' ? t : '';
  }

  /** The title in each project locale that has one (for a list in the working locale). */
  titlesOf(model: Model | undefined, values: Values): Record<string, string> {
    const f = model?.fields.find((x) => x.type === 'string');
    if (!f) return {};
    const out: Record<string, string> = {};
    for (const l of f.localized ? this.ctx.viewer().project.locales : ['']) {
      const t = readCell(values, f, f.localized ? l : null);
      if (typeof t === 'string' && t) out[l || (this.ctx.viewer().project.locales[0] ?? 'en')] = t;
    }
    return out;
  }

  titleFor(env: string, id: string): string {
    const local = this.ctx.store().records.local(env, id);
    return local ? this.titleOf(local.model, local.values) || id : id;
  }

  /** How many records a list with these filters has (for a virtualized list's height). */
  count(env: string, model: string, f: ListFilter = {}): number {
    const m = this.model(env, model);
    const store = this.ctx.store();
    return store.records.count(env, m.id, f) + (f.search || f.status ? 0 : store.records.countCreatedLocal(env, m.id));
  }

  records(env: string, model: string, opts: ListFilter & { limit?: number; offset?: number } = {}): RecordSummary[] {
    const m = this.model(env, model);
    const store = this.ctx.store();
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    // An edited row is named as the editor shows it (the draft over the base): the few edited rows of a page cost a read each.
    const shown = (r: { base: { id: string; values: Values }; edited: boolean }) => (r.edited ? (store.records.local(env, r.base.id)?.values ?? r.base.values) : r.base.values);
    const out: RecordSummary[] = store.records.list(env, m.id, opts, limit, opts.offset ?? 0).map((r) => ({
      id: r.base.id,
      model: m.id,
      status: r.base.status,
      title: this.titleOf(m, shown(r)),
      titles: this.titlesOf(m, shown(r)),
      version: r.base.version,
      local: r.flag ? 'flagged' : r.edited ? 'edited' : 'none',
      conflicts: r.conflicts,
    }));
    if (!opts.offset && !opts.search && !opts.status) {
      for (const d of store.records.createdLocal(env, m.id)) out.unshift({ id: d.recordId, model: m.id, status: 'draft', title: this.titleOf(m, d.values), titles: this.titlesOf(m, d.values), version: null, local: 'created', conflicts: 0 });
    }
    return out;
  }

  record(env: string, id: string): RecordView {
    const store = this.ctx.store();
    const local = store.records.local(env, id);
    if (!local || !local.model) throw new InputError(`record "${id}" is not in the local copy of ${env}`);
    const model = local.model;
    return {
      id,
      model: local.model.id,
      title: this.titleOf(local.model, local.values),
      values: local.values,
      version: local.base?.version ?? null,
      status: local.base?.status ?? 'draft',
      createdBy: local.base?.createdBy ?? null,
      updatedAt: local.base?.updatedAt ?? null,
      updatedBy: local.base?.updatedBy ?? null,
      draft: local.draft?.values ?? {},
      flag: local.draft?.flag ?? null,
      local: local.draft?.createdLocal ? 'created' : local.draft ? 'edited' : 'none',
      // As queued: what a draft owes is neither a delete nor refused, and a read writes nothing.
      deleting: store.outbox.asQueuedFor(env, id).some((o) => o.kind === 'delete' && !o.problem),
      problems: store.outbox
        .asQueuedFor(env, id)
        .filter((o) => o.problem)
        .map((o) => ({ seq: o.seq, kind: o.kind, code: o.problem!.code, message: o.problem!.message })),
      conflicts: store.conflicts.forRecord(env, id).map((c) => conflictCell(c, model)),
    };
  }

  conflicts(env?: string): ConflictView[] {
    const store = this.ctx.store();
    return store.conflicts.all(env).map((c) => {
      const model = store.model(c.env, c.model);
      const local = store.records.local(c.env, c.recordId);
      const { field: _field, ...cell } = conflictCell(c, model);
      return { env: c.env, recordId: c.recordId, model: c.model, title: local ? this.titleOf(model, local.values) || c.recordId : c.recordId, ...cell };
    });
  }

  /** Everything not yet on the server, as plain JSON: for the user to keep when all else fails. */
  exportDrafts(account: { url: string; email: string } | null) {
    const store = this.ctx.store();
    return {
      exportedAt: new Date().toISOString(),
      account,
      drafts: store.records.drafts().map((d) => ({ env: d.env, recordId: d.recordId, model: d.model, values: d.values, createdLocal: d.createdLocal ? 1 : 0, flag: d.flag, updatedAt: d.updatedAt })),
      // As queued: an export must not write (a full disk is when it is needed); the drafts above carry the writes owed.
      operations: store.outbox.asQueued().map((o) => ({ env: o.env, kind: o.kind, recordId: o.recordId, state: o.state, reason: o.problem?.message ?? null })),
      conflicts: this.conflicts(),
      uploads: store.uploads.all().map((u) => ({ id: u.id, env: u.env, folder: u.folder, filename: u.filename, size: u.size, sha256: u.sha256, state: u.state, reason: u.reason, assetId: u.assetId })),
    };
  }
}

function conflictCell(c: Conflict, model: Model | undefined) {
  const [field, locale = null] = c.cell.split('.') as [string, string | undefined];
  return {
    cell: c.cell,
    field,
    locale,
    label: c.cell === '*' ? 'Whole record (deleted on the server, or no longer readable)' : (model?.fields.find((f) => f.apiKey === field)?.label ?? c.fieldLabel ?? field),
    // Set aside when the server deleted the field (sync/deleted-fields.ts): only discarding is left.
    fieldDeleted: c.cell !== '*' && model !== undefined && !model.fields.some((f) => f.apiKey === field),
    base: c.base as Json | null,
    mine: c.mine as Json | null,
    theirs: c.theirs as Json | null,
    theirsAt: c.theirsAt,
    theirsBy: c.theirsBy,
  };
}
