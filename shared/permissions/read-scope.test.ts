import { describe, expect, it } from 'vitest';
import { EDITOR_ROLE } from './builtins';
import { effectivePermissions } from './effective';
import { readScope } from './read-scope';
import { CONTEXT, SANDBOX_DEVELOPER, TRANSLATOR_FR, as } from '../testkit/context';

const fewerFields = { ...CONTEXT, models: CONTEXT.models.map((m) => (m.id === 'article' ? { ...m, fields: m.fields.slice(0, -1) } : m)) };

describe('read scope', () => {
  it('a field deleted changes the rights (the fingerprint), not what may be read', () => {
    const before = effectivePermissions(as(EDITOR_ROLE), CONTEXT);
    const after = effectivePermissions(as(EDITOR_ROLE), fewerFields);
    expect(after).not.toEqual(before);
    expect(readScope(after, 'main')).toBe(readScope(before, 'main'));
  });
  it('a translator reads what an editor reads: a change between the two pulls nothing again', () => {
    expect(readScope(effectivePermissions(as(TRANSLATOR_FR), CONTEXT), 'main')).toBe(readScope(effectivePermissions(as(EDITOR_ROLE), CONTEXT), 'main'));
  });
  it('another role, published-only, another user or an environment lost is another scope', () => {
    const editor = effectivePermissions(as(EDITOR_ROLE), CONTEXT);
    expect(readScope(effectivePermissions(as(SANDBOX_DEVELOPER), CONTEXT), 'main')).toBe('unreachable');
    expect(readScope({ ...editor, publishedOnly: true }, 'main')).not.toBe(readScope(editor, 'main'));
    expect(readScope(effectivePermissions(as(EDITOR_ROLE, 'u2'), CONTEXT), 'main')).not.toBe(readScope(editor, 'main'));
    const article = editor.environments['main']!.models['article']!;
    const ownOnly = { ...editor, environments: { ...editor.environments, main: { ...editor.environments['main']!, models: { ...editor.environments['main']!.models, article: { ...article, read: { own: true, others: false } } } } } };
    expect(readScope(ownOnly, 'main')).not.toBe(readScope(editor, 'main'));
  });
});
