import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DAST_MARKS, dastProblem, type DastBlock, type DastDocument, type DastInline, type DastList, type DastListItem, type DastMark, type DastParagraph, type DastSpan } from './dast';
import { dastToProseMirror, normalizeDast, proseMirrorToDast } from './dast-prosemirror';

// ---- DAST in the editor's normal form: non-empty spans, marks in DAST_MARKS order, no two
// neighbouring spans with the same marks, no two neighbouring links to the same url. ----
const marksArb: fc.Arbitrary<DastMark[]> = fc.subarray([...DAST_MARKS]);
const textArb = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', ' ', 'é', '\n', '*', '<', '😀') });
const spanArb: fc.Arbitrary<DastSpan> = fc.tuple(textArb, marksArb).map(([value, marks]) => (marks.length ? { type: 'span', value, marks } : { type: 'span', value }));
const key = (s: DastSpan) => (s.marks ?? []).join();
const spansArb = fc.array(spanArb, { minLength: 1, maxLength: 4 }).filter((ss) => ss.every((s, i) => i === 0 || key(ss[i - 1]!) !== key(s)));
const urlArb = fc.constantFrom('https://example.com', 'https://example.com/a?b=c', 'mailto:x@example.com');
const inlineArb: fc.Arbitrary<DastInline[]> = fc
  .array(fc.oneof(spanArb, fc.record({ type: fc.constant('link' as const), url: urlArb, children: spansArb })), { minLength: 1, maxLength: 5 })
  .filter((xs) =>
    xs.every((x, i) => {
      const prev = xs[i - 1];
      if (!prev) return true;
      if (prev.type === 'span' && x.type === 'span') return key(prev) !== key(x);
      if (prev.type === 'link' && x.type === 'link') return prev.url !== x.url;
      return true;
    }),
  );
const paragraphArb: fc.Arbitrary<DastParagraph> = fc.oneof(
  { weight: 5, arbitrary: inlineArb.map((children): DastParagraph => ({ type: 'paragraph', children })) },
  { weight: 1, arbitrary: fc.constant<DastParagraph>({ type: 'paragraph', children: [{ type: 'span', value: '' }] }) },
);
const { list: listArb } = fc.letrec<{ list: DastList; item: DastListItem }>((tie) => ({
  list: fc.record({ type: fc.constant('list' as const), style: fc.constantFrom('bulleted' as const, 'numbered' as const), children: fc.array(tie('item'), { minLength: 1, maxLength: 3 }) }),
  item: fc
    .tuple(paragraphArb, fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, paragraphArb, tie('list')), { maxLength: 2 }))
    .map(([first, rest]): DastListItem => ({ type: 'listItem', children: [first, ...rest] })),
}));
const blockArb: fc.Arbitrary<DastBlock> = fc.oneof(
  paragraphArb,
  fc.record({ type: fc.constant('heading' as const), level: fc.constantFrom(1, 2, 3, 4, 5, 6) as fc.Arbitrary<1 | 2 | 3 | 4 | 5 | 6>, children: inlineArb }),
  listArb,
  fc.record({ type: fc.constant('blockquote' as const), children: fc.array(paragraphArb, { minLength: 1, maxLength: 3 }) }),
  fc.oneof(
    fc.record({ type: fc.constant('code' as const), code: fc.string({ maxLength: 30 }) }),
    fc.record({ type: fc.constant('code' as const), code: fc.string({ maxLength: 30 }), language: fc.constantFrom('js', 'ts', 'css') }),
  ),
  fc.constant<DastBlock>({ type: 'thematicBreak' }),
);
const docArb: fc.Arbitrary<DastDocument> = fc.array(blockArb, { minLength: 1, maxLength: 6 }).map((children) => ({ schema: 'dast', document: { type: 'root', children } }));

describe('ProseMirror JSON <-> DAST', () => {
  it('round-trips every supported document in normal form: dast -> pm -> dast is the identity', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        expect(dastProblem(doc)).toBeNull();
        expect(proseMirrorToDast(dastToProseMirror(doc))).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });

  it('any valid DAST comes back valid, and its normal form is a fixed point', () => {
    const loose = docArb.chain((doc) =>
      // Break the normal form: split spans, add empty ones, repeat marks out of order.
      fc.constant(JSON.parse(JSON.stringify(doc).replace(/\{"type":"span","value":"([^"\\]*)"\}/g, '{"type":"span","value":"$1"},{"type":"span","value":""},{"type":"span","value":"$1","marks":["emphasis","strong"]}')) as DastDocument),
    );
    fc.assert(
      fc.property(loose, (doc) => {
        const once = normalizeDast(doc);
        expect(dastProblem(once)).toBeNull();
        expect(normalizeDast(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('maps marks, links, line breaks, lists, code and an empty document as TipTap names them', () => {
    const doc: DastDocument = {
      schema: 'dast',
      document: {
        type: 'root',
        children: [
          { type: 'paragraph', children: [{ type: 'span', value: 'a\nb', marks: ['strong'] }, { type: 'link', url: 'https://x.test', children: [{ type: 'span', value: 'x', marks: ['emphasis'] }] }] },
          { type: 'list', style: 'numbered', children: [{ type: 'listItem', children: [{ type: 'paragraph', children: [{ type: 'span', value: '' }] }] }] },
          { type: 'code', code: '' },
        ],
      },
    };
    expect(dastToProseMirror(doc)).toEqual({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'a', marks: [{ type: 'bold' }] },
            { type: 'hardBreak', marks: [{ type: 'bold' }] },
            { type: 'text', text: 'b', marks: [{ type: 'bold' }] },
            { type: 'text', text: 'x', marks: [{ type: 'italic' }, { type: 'link', attrs: { href: 'https://x.test' } }] },
          ],
        },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
        { type: 'codeBlock', attrs: { language: null } },
      ],
    });
    expect(proseMirrorToDast({ type: 'doc', content: [{ type: 'paragraph' }] })).toEqual({ schema: 'dast', document: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'span', value: '' }] }] } });
    expect(dastToProseMirror(null)).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    // What the schema would not make still converts to valid DAST (its text kept).
    const odd = proseMirrorToDast({ type: 'doc', content: [{ type: 'image', content: [{ type: 'text', text: 'alt' }] }, { type: 'blockquote', content: [{ type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'h' }] }] }] });
    expect(dastProblem(odd)).toBeNull();
  });
});
