import type { Model } from '../../../shared/domain';
import type { LocalStore } from '../store/store';

/**
 * Local cells of fields the server deleted since the last schema pull. The server takes them no
 * more (an unknown field is refused) and the editor has nowhere to show them, so they leave the
 * draft; dropped there without a word, what the user typed was lost unseen (a pull's merge kept
 * only the model's fields). Each becomes a conflict on its field instead: counted, shown on a
 * card with the text, exported with the drafts, and gone only when the user discards it.
 * Returns how many cells were set aside.
 */
export function setAsideDeletedFields(store: LocalStore, env: string, before: readonly Model[], after: readonly Model[]): number {
  const shrunk = new Map<string, Set<string>>();
  // The deleted fields' labels, by model and api key: their cards name them as the editor did.
  const labels = new Map<string, string>();
  for (const model of after) {
    const had = before.find((m) => m.id === model.id);
    const gone = had?.fields.filter((f) => !model.fields.some((g) => g.apiKey === f.apiKey)) ?? [];
    if (gone.length === 0) continue;
    shrunk.set(model.id, new Set(model.fields.map((f) => f.apiKey)));
    for (const f of gone) labels.set(`${model.id}/${f.apiKey}`, f.label);
  }
  if (shrunk.size === 0) return 0;
  let setAside = 0;
  for (const draft of store.records.drafts()) {
    const keep = shrunk.get(draft.model);
    if (draft.env !== env || !keep) continue;
    const gone = Object.keys(draft.values).filter((k) => !keep.has(k));
    if (gone.length === 0) continue;
    const base = store.records.base(env, draft.recordId);
    const rest = { ...draft.values };
    for (const key of gone) {
      const label = labels.get(`${draft.model}/${key}`) ?? null;
      store.conflicts.put(env, draft.recordId, draft.model, { key, base: base?.values[key] ?? null, local: draft.values[key]!, remote: null }, null, label);
      delete rest[key];
      setAside++;
    }
    // A record deleted on the server keeps its cells in one whole-record conflict ('*') besides
    // its flagged draft: that card no longer offers the deleted field's text as the record's.
    // With nothing else typed in it, that card has nothing of the user's left to keep.
    const left = Object.keys(rest).length > 0;
    const whole = draft.flag ? store.conflicts.get(env, draft.recordId, '*') : null;
    if (whole && left) store.conflicts.setMine(env, draft.recordId, '*', rest);
    else if (whole) store.conflicts.delete(env, draft.recordId, '*');
    store.records.putDraft(env, draft.recordId, draft.model, rest, { prior: draft });
    if (!left) store.outbox.dropEmptyWrites(env, draft.recordId);
  }
  return setAside;
}
