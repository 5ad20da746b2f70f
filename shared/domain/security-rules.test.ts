import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkValues, folderSchema, formatPatternProblem, formatProblem, MAX_PATTERN_INSTRUCTIONS, newFieldSchema, uploadFilenameSchema, unsafeNameCharacter, type Model } from './index';

// The rules the server enforces, run the way the app runs them: the same shared code.
describe('names', () => {
  const unsafe = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069');
  it('any name holding a control or bidi character is refused, as folder and as file name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), unsafe, fc.string({ maxLength: 40 }), (a, bad, b) => {
        const name = `x${a}${bad}${b}`.slice(0, 99);
        expect(unsafeNameCharacter(name)).not.toBeNull();
        expect(uploadFilenameSchema.safeParse(name).success).toBe(false);
        expect(folderSchema.shape.name.safeParse(name).success).toBe(false);
      }),
    );
  });
  it('ordinary names in any script pass', () => {
    for (const n of ['Campaigns', 'Crème brûlée – menu.txt', 'العربية.pdf', '日本語 ノート.md', 'emoji 🎉.png']) expect(unsafeNameCharacter(n)).toBeNull();
  });
});

describe('format patterns (RE2)', () => {
  const model = (format: string): Model => ({ id: 'm', apiKey: 'm', name: 'M', singleton: false, fields: [{ id: 'f', apiKey: 'f', label: 'F', type: 'text', localized: false, required: false, validators: { format } }] });
  it('a catastrophic pattern is checked in linear time', () => {
    const t0 = performance.now();
    expect(checkValues(model('^(a+)+$'), { f: 'a'.repeat(5_000) + '!' }, { locales: ['en'], mode: 'update' })).toEqual({ f: 'must match ^(a+)+$' });
    expect(performance.now() - t0).toBeLessThan(200);
  });
  it('refuses at creation what RE2 cannot run or what is too large', () => {
    expect(formatPatternProblem('(a)\\1')).toMatch(/RE2/);
    expect(formatPatternProblem('(?<=a)b')).toMatch(/RE2/);
    expect(formatPatternProblem('^[a-z]{1,1000}$')).toMatch(new RegExp(`at most ${MAX_PATTERN_INSTRUCTIONS}`));
    expect(formatPatternProblem('^(?<year>\\d{4})-\\d{2}$')).toBeNull();
    const field = { id: 'f', apiKey: 'f', label: 'F', type: 'string', localized: false, required: false };
    expect(newFieldSchema.safeParse({ ...field, validators: { format: '(?=x)' } }).success).toBe(false);
    expect(newFieldSchema.safeParse({ ...field, validators: { format: '^[A-Z]{2}-\\d+$' } }).success).toBe(true);
  });
  it('agrees with RegExp on ordinary patterns, and refuses values past the input bound', () => {
    fc.assert(
      fc.property(fc.constantFrom('^[a-z]+$', '\\d{3}', '^(ab|cd)*$', 'x.y', '^\\w+@\\w+\\.\\w+$'), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '1', 'x', '.', '@', 'y'), maxLength: 30 }), (p, s) => {
        expect(formatProblem(p, s) === null).toBe(new RegExp(p).test(s));
      }),
    );
    expect(formatProblem('^a*$', 'a'.repeat(400_000))).toMatch(/too long to check/);
  });
});
