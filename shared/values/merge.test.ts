import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Values } from '../domain/record';
import { indexFields } from './cells';
import { applyPatch, changedCells } from './diff';
import { jsonEqual } from './equal';
import { mergeValues } from './merge';

const FIELDS = indexFields([
  { apiKey: 'title', localized: true },
  { apiKey: 'slug', localized: false },
  { apiKey: 'tags', localized: false },
  { apiKey: 'body', localized: true },
]);
const LOCALES = ['en', 'fr', 'de'];

describe('changedCells', () => {
  it('lists only the cells that differ, in values shape', () => {
    const before: Values = { title: { en: 'Hello', fr: 'Bonjour' }, slug: 'hello', tags: ['a'] };
    const after: Values = { title: { en: 'Hello', fr: 'Salut', de: 'Hallo' }, slug: 'hello', tags: ['a', 'b'] };
    const { patch, cells } = changedCells(FIELDS, before, after);
    expect(patch).toEqual({ title: { fr: 'Salut', de: 'Hallo' }, tags: ['a', 'b'] });
    expect(cells.map((c) => `${c.field}.${c.locale}`)).toEqual(['title.fr', 'tags.null', 'title.de']);
  });
  it('a removed cell becomes null, and absent equals null', () => {
    expect(changedCells(FIELDS, { slug: 'x', title: { en: 'a' } }, {}).patch).toEqual({ slug: null, title: { en: null } });
    expect(changedCells(FIELDS, { slug: null }, {}).cells).toEqual([]);
  });
  it('compares JSON structurally, ignoring key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
  it('applyPatch lays a patch over values cell by cell', () => {
    const base: Values = { title: { en: 'Hello', fr: 'Bonjour' }, slug: 'hello' };
    expect(applyPatch(FIELDS, base, { title: { fr: 'Salut' } })).toEqual({ title: { en: 'Hello', fr: 'Salut' }, slug: 'hello' });
    expect(base).toEqual({ title: { en: 'Hello', fr: 'Bonjour' }, slug: 'hello' });
  });
});

describe('mergeValues', () => {
  const base: Values = { title: { en: 'Hello', fr: 'Bonjour' }, slug: 'hello', body: { en: 'Text' } };
  it('merges cells changed on one side only, by themselves', () => {
    const local: Values = { ...base, title: { en: 'Hello', fr: 'Salut' } };
    const remote: Values = { ...base, slug: 'hello-world' };
    const r = mergeValues(FIELDS, base, local, remote);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ title: { en: 'Hello', fr: 'Salut' }, slug: 'hello-world', body: { en: 'Text' } });
  });
  it('a cell both sides changed differently is a conflict carrying all three values', () => {
    const local: Values = { ...base, title: { en: 'Hi (mine)', fr: 'Salut' } };
    const remote: Values = { ...base, title: { en: 'Hi (theirs)', fr: 'Bonjour' } };
    const r = mergeValues(FIELDS, base, local, remote);
    expect(r.conflicts).toEqual([
      { cell: { field: 'title', localized: true, locale: 'en' }, key: 'title.en', base: 'Hello', local: 'Hi (mine)', remote: 'Hi (theirs)' },
    ]);
    expect(r.merged.title).toEqual({ en: 'Hi (theirs)', fr: 'Salut' });
  });
  it('the same change on both sides is no conflict', () => {
    const both: Values = { ...base, slug: 'same' };
    expect(mergeValues(FIELDS, base, both, both).conflicts).toEqual([]);
  });
});

// Small value domain so that sides often collide on the same cell.
const cellValueArb: fc.Arbitrary<Json> = fc.oneof(fc.constantFrom<Json>(null, 'a', 'b', 'c', 1, 2, true), fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }));
const valuesArb: fc.Arbitrary<Values> = fc.record(
  {
    title: fc.dictionary(fc.constantFrom(...LOCALES), cellValueArb, { maxKeys: 3 }),
    slug: cellValueArb,
    tags: cellValueArb,
    body: fc.dictionary(fc.constantFrom(...LOCALES), cellValueArb, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Values>;

/** Normal form: every cell present, so that equal contents compare equal. */
const norm = (v: Values) => applyPatch(FIELDS, { title: { en: null, fr: null, de: null }, slug: null, tags: null, body: { en: null, fr: null, de: null } }, v);
const RUNS = { numRuns: 10_000 };

describe('merge properties', () => {
  it('merge(base, a, base) = a', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, (base, a) => {
        const r = mergeValues(FIELDS, base, a, base);
        expect(r.conflicts).toEqual([]);
        expect(norm(r.merged)).toEqual(norm(a));
      }),
      RUNS,
    );
  });
  it('merge(base, base, b) = b', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, (base, b) => {
        const r = mergeValues(FIELDS, base, base, b);
        expect(r.conflicts).toEqual([]);
        expect(norm(r.merged)).toEqual(norm(b));
      }),
      RUNS,
    );
  });
  it('disjoint edits merge the same in either order', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, valuesArb, (base, x, y) => {
        // Make the edits disjoint: y keeps base wherever x changed something.
        const xs = changedCells(FIELDS, base, x);
        const yPatch = changedCells(FIELDS, base, y);
        const taken = new Set(xs.cells.map((c) => `${c.field}.${c.locale}`));
        const yDisjoint = applyPatch(
          FIELDS,
          base,
          Object.fromEntries(Object.entries(yPatch.patch).filter(([k]) => ![...taken].some((t) => t.startsWith(`${k}.`)))),
        );
        const ab = mergeValues(FIELDS, base, x, yDisjoint);
        const ba = mergeValues(FIELDS, base, yDisjoint, x);
        expect(ab.conflicts).toEqual([]);
        expect(ba.conflicts).toEqual([]);
        expect(norm(ab.merged)).toEqual(norm(ba.merged));
      }),
      RUNS,
    );
  });
  it('conflicts are exactly the cells both sides changed to different values', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, valuesArb, (base, local, remote) => {
        const l = new Map(changedCells(FIELDS, base, local).cells.map((c) => [`${c.field}.${c.locale}`, c]));
        const r = changedCells(FIELDS, base, remote).cells.map((c) => `${c.field}.${c.locale}`);
        const expected = r
          .filter((k) => l.has(k))
          .filter((k) => {
            const c = l.get(k)!;
            const pick = (v: Values) => changedCells(FIELDS, {}, v).patch;
            const get = (v: Values) => (c.locale === null ? (pick(v)[c.field] ?? null) : (((pick(v)[c.field] ?? {}) as Record<string, Json>)[c.locale] ?? null));
            return !jsonEqual(get(local), get(remote));
          })
          .sort();
        const got = mergeValues(FIELDS, base, local, remote)
          .conflicts.map((c) => `${c.cell.field}.${c.cell.locale}`)
          .sort();
        expect(got).toEqual(expected);
      }),
      RUNS,
    );
  });
});
