import { randomUUID } from 'node:crypto';
import { checkValues, type Json, type Model, type Values } from '../../shared/domain';
import { allows, cellKey, resourceForWrite } from '../../shared/permissions';
import { cellsIn, changedCells, indexFields, ownValues, readCell, writeCell } from '../../shared/values';
import type { Content } from './content';
import type { CoreContext } from './context';
import { InputError, PermissionError } from './errors';
import { openWriteOf } from './store/outbox';

/** Local writes: durable in the store before they return, refused whole before anything is queued. */
export class Edits {
  constructor(
    private readonly ctx: CoreContext,
    private readonly content: Content,
  ) {}

  private role(): string {
    return this.ctx.viewer().viewer.role.name;
  }

  /** Writes cells locally (a cell in conflict: as the user's side of it). Refused when the role may not write them, or the record was deleted on the server meanwhile. */
  edit(env: string, id: string, patch: Values, opts: { resolving?: boolean } = {}): void {
    const environment = this.ctx.env(env);
    const store = this.ctx.store();
    const local = store.records.forEdit(env, id);
    if (!local) throw new InputError(`record "${id}" is not in the local copy of ${env}`);
    const model = local.model;
    if (!model) throw new InputError(`the model of "${id}" is unknown here`);
    const problems = checkValues(model, patch, { locales: this.ctx.viewer().project.locales, mode: 'update' });
    if (Object.keys(problems).length) throw new InputError(`invalid value: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
    const fields = indexFields(model.fields);
    const all = cellsIn(fields, patch);
    // A cell in conflict keeps what is typed into it as the user's side ("mine") until the user
    // decides: an editor that had not yet heard of the conflict must not lose that typing. A
    // record deleted on the server ('*') takes no edits; the user chooses first.
    const inConflict = new Set(opts.resolving ? [] : store.conflicts.forRecord(env, id).map((c) => c.cell));
    if (inConflict.has('*')) throw new InputError('resolve the conflict first: this record was deleted on the server while it was edited here', { '*': 'in conflict' });
    const held = all.filter((c) => inConflict.has(cellKey(c)));
    const cells = all.filter((c) => !inConflict.has(cellKey(c)));
    const createdLocally = local.draft?.createdLocal ?? false;
    const perms = this.ctx.viewer().viewer.permissions;
    const target = { kind: 'update' as const, environment, model: model.id, createdLocally, createdBy: local.createdBy };
    const may = (cs: typeof cells) => {
      const need = resourceForWrite({ ...target, cells: cs });
      return !need || allows(perms, need.action, need.resource);
    };
    if (!may(all)) {
      const forbidden = all.filter((c) => !may([c]));
      throw new PermissionError(`Your role (${this.role()}) may not edit ${forbidden.map(cellKey).join(', ')} of this ${model.name} in ${env}; nothing was saved.`);
    }
    store.tx(() => {
      for (const c of held) store.conflicts.setMine(env, id, cellKey(c), readCell(patch, fields.get(c.field)!, c.locale));
      if (!cells.length) return;
      // Parsed for this call alone (forEdit): written into as it is.
      const draft = local.draft?.values ?? {};
      for (const c of cells) writeCell(draft, fields.get(c.field)!, c.locale, readCell(patch, fields.get(c.field)!, c.locale));
      store.records.putDraft(env, id, model.id, draft, { createdLocal: createdLocally, prior: local.draft });
      // An edit of a record whose write was refused is the user fixing it: that write goes again.
      // (The ops as queued, read once: a write the draft owes is neither refused nor open, and
      // this edit owes it still.)
      const ops = store.outbox.asQueuedFor(env, id);
      const refusedWrite = ops.find((o) => o.state === 'refused' && (o.kind === 'create' || o.kind === 'update'));
      if (refusedWrite) store.outbox.reset(refusedWrite.seq, null);
      else if (openWriteOf(ops)) return;
      // A server record's write is owed by its draft, in the draft's own row: this commit writes
      // no op (outbox.ts says when it is queued).
      else if (!createdLocally) store.outbox.oweWrite(env, id);
      // A new record held back while incomplete (see create) is sent once complete; one already queued goes as before.
      else if (ops.some((o) => o.kind === 'create') || this.complete(model, draft)) store.outbox.enqueue(env, 'create', id, model.id);
    });
    this.ctx.edited();
  }

  /**
   * A new record is sent once the server would take it (its required fields filled): until
   * then it is a draft here, counted as pending, and the editor says what it lacks. Sending it
   * earlier would only bring back a refusal to fix.
   */
  private complete(model: Model, values: Values): boolean {
    return Object.keys(checkValues(model, values, { locales: this.ctx.viewer().project.locales, mode: 'create' })).length === 0;
  }

  create(env: string, modelRef: string, values: Values, id: string = randomUUID()): string {
    const environment = this.ctx.env(env);
    const model = this.content.model(env, modelRef);
    // Kept here even when incomplete (a new record starts empty): the types are checked now, the
    // required fields by the server when it is sent, and the editor says what is missing before that.
    const problems = checkValues(model, values, { locales: this.ctx.viewer().project.locales, mode: 'update' });
    if (Object.keys(problems).length) throw new InputError(`invalid record: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
    const need = resourceForWrite({ kind: 'create', environment, model: model.id, createdLocally: true, createdBy: null, cells: cellsIn(indexFields(model.fields), values) })!;
    if (!allows(this.ctx.viewer().viewer.permissions, need.action, need.resource)) throw new PermissionError(`Your role (${this.role()}) may not create ${model.name} records in ${env}.`);
    const store = this.ctx.store();
    store.tx(() => {
      store.records.putDraft(env, id, model.id, values, { createdLocal: true });
      if (this.complete(model, values)) store.outbox.enqueue(env, 'create', id, model.id);
    });
    this.ctx.edited();
    return id;
  }

  /**
   * Publish, unpublish or delete, acting on the values the user sees now: the record's
   * queued write is fixed at this moment, so later edits go into a new op after this one.
   */
  recordAction(env: string, id: string, kind: 'publish' | 'unpublish' | 'delete'): void {
    const environment = this.ctx.env(env);
    const store = this.ctx.store();
    const local = store.records.local(env, id);
    if (!local) throw new InputError(`record "${id}" is not in the local copy of ${env}`);
    const model = local.base?.model ?? local.draft!.model;
    const need = resourceForWrite({ kind, environment, model, createdLocally: local.draft?.createdLocal ?? false, createdBy: local.base?.createdBy ?? null, cells: [] })!;
    if (!allows(this.ctx.viewer().viewer.permissions, need.action, need.resource)) throw new PermissionError(`Your role (${this.role()}) may not ${kind} this record.`);
    // Publish/unpublish act on the values seen: while the record's own change is refused (a
    // problem), what is seen is not what the server could take, so the user fixes or discards first.
    const refusedWrite = store.outbox.forRecord(env, id).find((o) => o.state === 'refused' && (o.kind === 'create' || o.kind === 'update'));
    if (kind !== 'delete' && local.draft?.createdLocal && !store.outbox.forRecord(env, id).some((o) => o.kind === 'create')) throw new InputError(`This new record is not complete yet (${Object.keys(checkValues(this.content.model(env, model), local.values, { locales: this.ctx.viewer().project.locales, mode: 'create' })).join(', ')}); fill it in before you ${kind}.`);
    if (kind !== 'delete' && refusedWrite) throw new InputError(`This record has a change the server refused (${refusedWrite.problem?.message ?? 'see its problem'}); fix it and retry, or discard it, before you ${kind}.`);
    store.tx(() => {
      const ops = store.outbox.forRecord(env, id);
      // The same action again with nothing between (a double click, a repeated shortcut) is the
      // one already queued: a second publish would only come back refused as stale.
      const lastOp = ops.at(-1);
      if (lastOp && lastOp.kind === kind && lastOp.state === 'queued') return;
      if (kind === 'delete' && local.draft?.createdLocal && !ops.some((o) => o.state === 'sent')) {
        // Never on the server, and nothing sent that might have put it there: it goes here and now.
        store.outbox.removeForRecord(env, id);
        store.records.deleteDraft(env, id);
        return;
      }
      const open = store.outbox.openWrite(env, id);
      if (open) store.outbox.fix(open.seq, { values: local.draft?.values ?? {} });
      const op = store.outbox.enqueue(env, kind, id, model);
      // Publish, unpublish and delete act on the version seen now (moved on only by this client's own earlier writes).
      if (local.base) store.outbox.setBaseVersion(op.seq, local.base.version);
    });
    this.ctx.edited();
  }

  /**
   * Takes back a delete the server has not been sent yet (Undo): the record stays as it was.
   * Once sent, the server may already have done it, so it is refused; a sync later says.
   */
  undoDelete(env: string, id: string): void {
    this.ctx.env(env);
    const store = this.ctx.store();
    const op = store.outbox.forRecord(env, id).find((o) => o.kind === 'delete');
    if (!op) throw new InputError(`no delete of "${id}" is waiting: it was sent already, or never asked`);
    if (op.state === 'sent') throw new InputError('This delete was already sent to the server; it can no longer be undone.');
    store.tx(() => store.outbox.remove(op.seq));
    this.ctx.changed();
  }

  /** Restoring a version is an edit like any other: the cells that differ, checked per cell, saved locally, synced later. */
  async restoreVersion(env: string, id: string, version: number, versions: { version: number; values: Values }[]): Promise<number> {
    const old = versions.find((v) => v.version === version);
    if (!old) throw new InputError(`version ${version} of ${id} does not exist`);
    const local = this.ctx.store().records.local(env, id);
    if (!local?.model) throw new InputError(`record "${id}" is not in the local copy of ${env}`);
    const { patch, cells } = changedCells(indexFields(local.model.fields), local.values, old.values);
    if (cells.length) this.edit(env, id, patch);
    return cells.length;
  }

  /** Keep mine (sent as an edit), take theirs (the server value stays), or a new value. */
  resolveConflict(env: string, recordId: string, cell: string, choice: { keep: 'mine' | 'theirs' } | { value: Json }): void {
    const store = this.ctx.store();
    const c = store.conflicts.get(env, recordId, cell);
    if (!c) throw new InputError(`no conflict on ${cell} of ${recordId}`);
    if (cell === '*') {
      // The server deleted the record: theirs drops the local copy; mine creates it again as a new record.
      const draft = store.records.draft(env, recordId);
      const keep = 'keep' in choice && choice.keep === 'mine' && c.base !== null;
      // Only the model's fields as it is now: a field deleted since is not the record's (what was
      // typed in it is a card of its own, sync/deleted-fields.ts; the old base's value is a leftover).
      const fields = indexFields(store.model(env, c.model)?.fields ?? []);
      const values = keep ? ownValues(fields, { ...(c.base as Values), ...(draft?.values ?? (c.mine as Values)) }) : null;
      store.tx(() => {
        if (values) this.create(env, c.model, values);
        store.conflicts.delete(env, recordId, cell);
        store.records.deleteDraft(env, recordId);
      });
      this.ctx.changed();
      return;
    }
    if ('keep' in choice && choice.keep === 'theirs') {
      store.tx(() => store.conflicts.delete(env, recordId, cell));
      this.ctx.changed();
      return;
    }
    const value = 'value' in choice ? choice.value : c.mine;
    const [field, locale] = cell.split('.') as [string, string | undefined];
    const f = store.model(env, c.model)?.fields.find((x) => x.apiKey === field);
    if (!f) throw new InputError(`The field "${field}" was deleted on the server: what you typed in it cannot be kept there. Copy it from the card if you need it, then discard it.`);
    const patch: Values = {};
    writeCell(patch, f, locale ?? null, value);
    store.tx(() => {
      this.edit(env, recordId, patch, { resolving: true });
      store.conflicts.delete(env, recordId, cell);
    });
  }

  /** Sends a refused op again after the user fixed its cause, at the end of the queue; an update carries the current draft. */
  retryOp(env: string, seq: number): void {
    const store = this.ctx.store();
    const op = store.outbox.get(env, seq);
    if (!op) throw new InputError(`no operation ${seq} in ${env}`);
    if (op.state !== 'refused') throw new InputError(`operation ${seq} was not refused; it is waiting to be sent`);
    store.tx(() => {
      if (op.kind === 'create' || op.kind === 'update') store.outbox.reset(op.seq, null);
      else {
        const open = store.outbox.openWrite(env, op.recordId);
        if (open) store.outbox.fix(open.seq, { values: store.records.draft(env, op.recordId)?.values ?? {} });
        store.outbox.requeue(op);
      }
    });
    this.ctx.edited();
  }

  /** Drops a refused op; for a write, its draft cells go back to the server's value. */
  discardOp(env: string, seq: number): void {
    const store = this.ctx.store();
    const op = store.outbox.get(env, seq);
    if (!op) throw new InputError(`no operation ${seq} in ${env}`);
    if (op.state !== 'refused') throw new InputError(`operation ${seq} was not refused; only a refused operation can be discarded`);
    store.tx(() => {
      store.outbox.remove(seq);
      if (op.kind === 'create' || op.kind === 'update') {
        store.records.deleteDraft(env, op.recordId);
        store.outbox.removeForRecord(env, op.recordId, ['create', 'update']);
      }
    });
    this.ctx.changed();
  }
}
