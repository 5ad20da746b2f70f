import { describe, expect, it } from 'vitest';
import { InvalidInputError, checkValues, modelSchema, parseOrThrow, roleInputSchema, tokenScopeSchema, uploadFilenameSchema, valuesSchema, type Model } from './index';

const article: Model = parseOrThrow(
  modelSchema,
  {
    id: 'article',
    apiKey: 'article',
    name: 'Article',
    singleton: false,
    fields: [
      { id: 'f1', apiKey: 'title', label: 'Title', type: 'string', localized: true, required: true, validators: {} },
      { id: 'f2', apiKey: 'slug', label: 'Slug', type: 'slug', localized: false, required: false, validators: {} },
      { id: 'f3', apiKey: 'rating', label: 'Rating', type: 'integer', localized: false, required: false, validators: { range: { min: 0, max: 5 } } },
      { id: 'f4', apiKey: 'published_on', label: 'Published on', type: 'date', localized: false, required: false, validators: {} },
      { id: 'f5', apiKey: 'author', label: 'Author', type: 'link', localized: false, required: false, validators: {} },
      { id: 'f6', apiKey: 'extra', label: 'Extra', type: 'json', localized: false, required: false, validators: {} },
    ],
  },
  'model',
);
const locales = ['en', 'fr', 'de'];

describe('boundary parsing', () => {
  it('names the path and the problem of malformed input', () => {
    const bad = { id: 'x', apiKey: 'Bad Key', name: 'X', singleton: false, fields: [] };
    expect(() => parseOrThrow(modelSchema, bad, 'model')).toThrow(InvalidInputError);
    try {
      parseOrThrow(modelSchema, bad, 'model');
    } catch (e) {
      expect((e as InvalidInputError).problems[0]).toMatch(/^apiKey: must start with a lowercase letter/);
    }
  });
  it('refuses duplicate field api keys and unknown properties', () => {
    const dup = { ...article, fields: [article.fields[0], article.fields[0]] };
    expect(modelSchema.safeParse(dup).success).toBe(false);
    expect(modelSchema.safeParse({ ...article, sneaky: true }).success).toBe(false);
  });
  it('fills role rule defaults and refuses empty or repeated lists', () => {
    const role = roleInputSchema.parse({
      name: 'Translator',
      flags: {},
      environmentsAccess: 'primary_only',
      recordRules: [{ effect: 'allow', models: ['article'], actions: ['update'], localizationScope: 'localized', locales: ['fr'] }],
      uploadRules: [],
    });
    expect(role.recordRules[0]).toMatchObject({ environment: 'all', onCreator: 'anyone' });
    expect(role.flags.canEditSchema).toBe(false);
    expect(roleInputSchema.safeParse({ ...role, recordRules: [{ ...role.recordRules[0], actions: [] }] }).success).toBe(false);
    expect(roleInputSchema.safeParse({ ...role, recordRules: [{ ...role.recordRules[0], locales: ['fr', 'fr'] }] }).success).toBe(false);
  });
  it('token scopes are a closed union', () => {
    expect(tokenScopeSchema.safeParse({ kind: 'custom', environments: [], recordRules: [], uploadRules: [] }).success).toBe(false);
    expect(tokenScopeSchema.safeParse({ kind: 'root' }).success).toBe(false);
    expect(tokenScopeSchema.parse({ kind: 'custom', environments: 'sandbox_only', recordRules: [], uploadRules: [] }).kind).toBe('custom');
  });
  it('upload filenames are bare names', () => {
    for (const bad of ['../etc/passwd', 'a/b.png', 'a\\b.png', '..', '', 'x\u0000.png', 'bell\u0007.png']) {
      expect(uploadFilenameSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(uploadFilenameSchema.parse('Campaign banner (final).png')).toBe('Campaign banner (final).png');
  });
});

describe('checkValues', () => {
  it('accepts well-formed values', () => {
    expect(checkValues(article, { title: { en: 'Hi', fr: 'Salut' }, slug: 'hi', rating: 3, published_on: '2026-11-23', author: 'a1', extra: { a: [1] } }, { locales, mode: 'create' })).toEqual({});
  });
  it('reports unknown fields, unknown locales, wrong types and shapes per cell', () => {
    const problems = checkValues(article, { title: { en: 3, xx: 'a' }, slug: 'Not A Slug', rating: 7, published_on: '2026-13-45', nope: 1 }, { locales, mode: 'update' });
    expect(Object.keys(problems).sort()).toEqual(['nope', 'published_on', 'rating', 'slug', 'title.en', 'title.xx']);
    expect(problems['nope']).toContain('unknown field');
    expect(problems['title.xx']).toContain('unknown locale');
  });
  it('a localized field needs a locale map', () => {
    expect(checkValues(article, { title: 'Hello' }, { locales, mode: 'update' })['title']).toContain('localized');
  });
  it('create demands required fields in the default locale; update does not', () => {
    expect(checkValues(article, { slug: 'x' }, { locales, mode: 'create' })).toEqual({ 'title.en': 'is required' });
    expect(checkValues(article, { title: { fr: 'Salut' } }, { locales, mode: 'create' })).toEqual({ 'title.en': 'is required' });
    expect(checkValues(article, { slug: 'x' }, { locales, mode: 'update' })).toEqual({});
  });
  it('refuses a non-object', () => {
    expect(checkValues(article, [1], { locales, mode: 'update' })).toEqual({ values: 'must be an object keyed by field api key' });
  });
});

describe('valuesSchema', () => {
  it('refuses a "__proto__" key at any depth instead of dropping it', () => {
    for (const raw of ['{"__proto__": {"a": 1}}', '{"title": {"__proto__": "x"}}', '{"tags": [{"__proto__": 1}]}']) {
      const r = valuesSchema.safeParse(JSON.parse(raw));
      expect(r.success, raw).toBe(false);
      expect(r.error?.issues[0]?.message).toBe('the key "__proto__" is not allowed');
    }
    expect(valuesSchema.parse(JSON.parse('{"title": {"en": "proto"}, "n": [1, {"k": null}]}'))).toEqual({ title: { en: 'proto' }, n: [1, { k: null }] });
  });
});
