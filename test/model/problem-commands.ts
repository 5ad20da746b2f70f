import fc from 'fast-check';
import type { Values } from '../../shared/domain';
import { Refused } from './core-handle';
import { LOCAL_REFUSALS, command, pick } from './command';

/**
 * What a user does with a problem the app shows (Retry, Discard) and with a delete not yet sent
 * (Undo), through the bridge as the renderer does it. Each changes what the model expects the
 * way the same press does in the app.
 */
export const problem = fc.tuple(fc.nat(), fc.constantFrom('retry', 'discard')).map(([i, what]) =>
  command(`${what}Problem(${i})`, async (m, s) => {
    const shown: { id: string; seq: number; kind: string; values: Values }[] = [];
    for (const t of m.records) {
      const r = await s.core.envelope('content.record', { env: 'main', id: t.id });
      if (r.ok) for (const p of r.value.problems) shown.push({ id: t.id, seq: p.seq, kind: p.kind, values: r.value.values });
    }
    const p = pick(shown, i);
    if (!p) return 'no problem shown';
    const t = m.records.find((x) => x.id === p.id)!;
    const r = await s.core.envelope(what === 'retry' ? 'sync.retry' : 'sync.discard', { env: 'main', seq: p.seq });
    if (!r.ok) {
      if (!LOCAL_REFUSALS.has(r.error.code)) throw new Refused(`sync.${what}`, r.error);
      return `${p.id} ${p.kind} #${p.seq} refused ${r.error.code}`;
    }
    const label = `${what} ${p.kind} ${p.id} #${m.log.length}`;
    if (what === 'retry') {
      // A retried publish acts on what the user sees at the press, as a new press does.
      if (p.kind === 'publish') {
        m.snapshots.set(p.id, [...(m.snapshots.get(p.id) ?? []), p.values]);
        m.intents.set(p.id, { kind: 'publish', values: p.values, what: label });
        m.press(p.id, 'publish');
      } else if (p.kind === 'unpublish') {
        m.intents.set(p.id, { kind: 'unpublish', what: label });
        m.press(p.id, 'unpublish');
      } else if (p.kind === 'delete') {
        t.deleted = true;
        m.intents.set(p.id, { kind: 'delete', what: label });
        m.retire(p.id);
      }
    } else if (p.kind === 'create' || p.kind === 'update') {
      // Discarded: the record's local cells go back to the server's; a record never sent goes.
      m.retire(p.id);
      if (p.kind === 'create') t.deleted = true;
    } else {
      // The press is dropped: nothing is left for the server to hold to it.
      m.intents.delete(p.id);
      if (p.kind === 'delete') t.deleted = false;
    }
    return `${p.id} ${p.kind} #${p.seq}`;
  }),
);

export const undoDelete = fc.nat().map((i) =>
  command(`undoDelete(${i})`, async (m, s) => {
    const waiting: string[] = [];
    for (const t of m.records.filter((x) => x.deleted)) {
      const r = await s.core.envelope('content.record', { env: 'main', id: t.id });
      if (r.ok && r.value.deleting) waiting.push(t.id);
    }
    const id = pick(waiting, i);
    if (!id) return 'no delete waiting';
    const r = await s.core.envelope('content.undoDelete', { env: 'main', id });
    if (!r.ok) {
      if (!LOCAL_REFUSALS.has(r.error.code)) throw new Refused('content.undoDelete', r.error);
      return `${id} refused ${r.error.code}`;
    }
    m.records.find((x) => x.id === id)!.deleted = false;
    m.intents.delete(id);
    return id;
  }),
);
