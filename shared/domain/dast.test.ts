import { describe, expect, it } from 'vitest';
import { DAST_LIMITS, MAX_JSON_DEPTH, checkValues, dastFromText, dastProblem, dastToText, isEmptyDast, jsonTooDeep, modelSchema, starterCell, valuesSchema, type Json } from './index';

const doc = (...children: unknown[]) => ({ schema: 'dast', document: { type: 'root', children } });
const p = (...children: unknown[]) => ({ type: 'paragraph', children });
const span = (value: string, marks?: string[]) => (marks ? { type: 'span', value, marks } : { type: 'span', value });

const model = modelSchema.parse({
  id: 'article',
  apiKey: 'article',
  name: 'Article',
  singleton: false,
  fields: [{ id: 'body', apiKey: 'body', label: 'Body', type: 'structured_text', localized: true, required: true, validators: {} }],
});
const check = (cell: unknown, mode: 'create' | 'update' = 'update') => checkValues(model, { body: { en: cell } }, { locales: ['en', 'fr'], mode });

describe('structured text cells (DAST)', () => {
  it('accepts the node set the editor supports', () => {
    const full = doc(
      { type: 'heading', level: 2, children: [span('Title')] },
      p(span('bold', ['strong']), span(' and '), { type: 'link', url: 'https://example.com', children: [span('a link', ['emphasis'])] }),
      { type: 'list', style: 'numbered', children: [{ type: 'listItem', children: [p(span('one')), { type: 'list', style: 'bulleted', children: [{ type: 'listItem', children: [p(span('nested'))] }] }] }] },
      { type: 'blockquote', children: [p(span('quoted'))] },
      { type: 'code', code: 'let x = 1;', language: 'js' },
      { type: 'thematicBreak' },
    );
    expect(dastProblem(full)).toBeNull();
    expect(check(full)).toEqual({});
    expect(check(null)).toEqual({});
  });

  it('refuses what is not DAST, or DAST the editor would lose, with a one-line reason', () => {
    const cases: [unknown, RegExp][] = [
      ['plain text', /structured-text document/],
      [{ schema: 'dast', document: p(span('x')) }, /type "root"/],
      [doc(), /at least one child/],
      [doc(p()), /at least one child/],
      [doc(span('x')), /"root" may not hold a "span"/],
      [doc({ type: 'block', item: 'x' }), /not a supported node/],
      [doc({ type: 'constructor', children: [] }), /not a supported node/],
      [doc({ type: '__proto__' }), /not a supported node/],
      [doc({ type: 'heading', level: 7, children: [span('x')] }), /level must be 1 to 6/],
      [doc(p(span('x', ['highlight']))), /marks must be among/],
      [doc(p({ type: 'span', value: 3 })), /value as a string/],
      [doc(p({ type: 'link', url: 'https://x', meta: [], children: [span('x')] })), /no attribute "meta"/],
      [doc({ type: 'paragraph', style: 'lead', children: [span('x')] }), /no attribute "style"/],
      [{ ...doc(p(span('x'))), extra: 1 }, /only "schema" and "document"/],
    ];
    for (const [value, reason] of cases) {
      const problem = dastProblem(value);
      expect(problem, JSON.stringify(value)).toMatch(reason);
      expect(problem).not.toContain('\n');
      expect(check(value)['body.en']).toBe(problem);
    }
  });

  it('refuses a hostile document fast: too many nodes, too deep, too much text', () => {
    const many = { schema: 'dast', document: { type: 'root', children: Array.from({ length: 200_000 }, () => p(span('x'))) } };
    let deep: unknown = p(span('x'));
    for (let i = 0; i < 100_000; i++) deep = { type: 'list', style: 'bulleted', children: [{ type: 'listItem', children: [deep] }] };
    const long = doc(p(span('x'.repeat(DAST_LIMITS.chars + 1))));
    const started = performance.now();
    expect(dastProblem(many)).toMatch(/too large/);
    expect(dastProblem(doc(deep))).toMatch(/nested too deeply/);
    expect(dastProblem(long)).toMatch(/too long/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('counts an empty document as empty for required fields', () => {
    expect(isEmptyDast(doc(p(span(''))))).toBe(true);
    expect(isEmptyDast(doc(p(span('x'))))).toBe(false);
    expect(check(doc(p(span(''))), 'create')['body.en']).toBe('is required');
  });

  it('turns text into paragraphs and back', () => {
    const d = dastFromText('First line\nsame paragraph\n\n\nSecond.\r\n\r\nThird.');
    expect(dastProblem(d)).toBeNull();
    expect(d.document.children).toHaveLength(3);
    expect(dastToText(d)).toBe('First line\nsame paragraph\n\nSecond.\n\nThird.');
    expect(isEmptyDast(dastFromText('  '))).toBe(true);
    expect(check(dastFromText('hello') as unknown as Json)).toEqual({});
  });

  it('a new record starts a required structured_text field valid and not empty', () => {
    const start = starterCell('structured_text');
    expect(dastProblem(start)).toBeNull();
    expect(isEmptyDast(start)).toBe(false);
    expect(check(start as unknown as Json, 'create')).toEqual({});
  });
});

describe('JSON depth at the values boundary', () => {
  it('refuses a value nested deeper than MAX_JSON_DEPTH before anything recursive sees it, fast', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const started = performance.now();
    expect(jsonTooDeep(deep)).toBe(true);
    const r = valuesSchema.safeParse({ settings: deep });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/nested too deeply/);
    expect(performance.now() - started).toBeLessThan(500);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 2; i++) ok = [ok];
    expect(valuesSchema.safeParse({ settings: ok }).success).toBe(true);
  });
});
