import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json, Model, Values } from '../../../shared/domain';
import type { RecordNode } from '../../../shared/api/operations';
import { applyPatch, changedCells, indexFields } from '../../../shared/values';
import { newStoreKey, openStore } from '../store/open';
import { rebase } from './rebase';

// DESIGN §5: a sent op whose answer was lost is part of what the client believes the server
// holds. Checked on a real (encrypted) store file over random bases, sent writes, later
// edits and server copies.
const dir = mkdtempSync(join(tmpdir(), 'inkstone-rebase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = openStore(join(dir, 'store.sqlite'), newStoreKey());
afterAll(() => store.close());

const MODEL: Model = {
  id: 'article',
  apiKey: 'article',
  name: 'Article',
  singleton: false,
  fields: [
    { id: 'f1', apiKey: 'title', label: 'Title', type: 'string', localized: true, required: false, validators: {} },
    { id: 'f2', apiKey: 'slug', label: 'Slug', type: 'slug', localized: false, required: false, validators: {} },
  ],
} as Model;
const FIELDS = indexFields(MODEL.fields);
store.setSchema('main', [MODEL], []);

const v = fc.constantFrom<Json>('a', 'b', 'c', null);
const values: fc.Arbitrary<Values> = fc.record({ title: fc.record({ en: v, fr: v }, { requiredKeys: [] }), slug: v }, { requiredKeys: [] }) as fc.Arbitrary<Values>;
const node = (id: string, version: number, vals: Values): RecordNode => ({ id, model: 'article', version, publishedVersion: null, status: 'draft', values: vals, createdAt: 't', updatedAt: 't', updatedBy: 'u', createdBy: 'u' });

let n = 0;
/** A record with base `base`, a sent write `sent` (answer lost), then the later edit `later`; the server copy arrives as `remote`. */
function scenario(base: Values, sent: Values, later: Values, remote: (applied: Values) => Values): { conflicts: number; draft: Values; local: Values; remoteValues: Values } {
  const id = `r${n++}`;
  return store.tx(() => {
    store.records.putBase('main', node(id, 1, base));
    // The draft holds every cell an edit wrote (as edit() does), even one written back to the base's value.
    const sentPatch = changedCells(FIELDS, base, applyPatch(FIELDS, base, sent)).patch;
    const op = store.outbox.enqueue('main', 'update', id, 'article');
    store.outbox.markSent(op.seq, { values: sentPatch }, 1);
    const draft = applyPatch(FIELDS, sentPatch, later);
    store.records.putDraft('main', id, 'article', draft);
    const afterSent = applyPatch(FIELDS, base, sentPatch);
    const local = applyPatch(FIELDS, base, draft);
    const remoteValues = remote(afterSent);
    const conflicts = rebase(store, 'main', node(id, 2, remoteValues));
    return { conflicts, draft: store.records.draft('main', id)?.values ?? {}, local, remoteValues };
  });
}

describe('rebase against base + sent ops', () => {
  it('the server applied the lost write: never a conflict; what is left to send is exactly the later edit', () => {
    fc.assert(
      fc.property(values, values, values, (base, sent, later) => {
        const r = scenario(base, sent, later, (applied) => applied);
        expect(r.conflicts).toBe(0);
        expect(applyPatch(FIELDS, r.remoteValues, r.draft)).toEqual(applyPatch(FIELDS, r.remoteValues, changedCells(FIELDS, r.remoteValues, r.local).patch));
      }),
      { numRuns: 300 },
    );
  });
  it('the lost write never landed: never a conflict either; the local values survive whole', () => {
    fc.assert(
      fc.property(values, values, values, (base, sent, later) => {
        const r = scenario(base, sent, later, () => base);
        expect(r.conflicts).toBe(0);
        expect(changedCells(FIELDS, applyPatch(FIELDS, r.remoteValues, r.draft), r.local).cells).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
