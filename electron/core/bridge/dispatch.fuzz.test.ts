import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, commands, type Channel } from '../../../shared/ipc/contract';
import type { InkstoneCore } from '../core';
import { dispatch } from './dispatch';

/**
 * The core behind a recorder: every method call is noted and answers nothing. The fuzz
 * checks the boundary itself: whatever arrives, dispatch answers an envelope, and no call
 * with input the contract refuses reaches the core.
 */
function recordingCore() {
  const calls: { method: string; args: unknown[] }[] = [];
  const core = new Proxy({} as InkstoneCore, {
    get: (_t, method) => (...args: unknown[]) => {
      calls.push({ method: String(method), args });
      return undefined;
    },
  });
  return { core, calls };
}

const VALID: { [C in Channel]: unknown } = {
  'server.check': { url: 'https://127.0.0.1:1/graphql' },
  'server.trust': { url: 'https://127.0.0.1:1/graphql', fingerprint: 'AB:'.repeat(31) + 'AB' },
  'session.login': { url: 'https://x/graphql', email: 'a@b.test', password: 'pw' },
  'session.logout': { wipe: true },
  'session.status': {},
  'permissions.get': {},
  'content.environments': {},
  'content.models': { env: 'main' },
  'content.records': { env: 'main', model: 'article', search: 'x', limit: 10 },
  'content.count': { env: 'main', model: 'article' },
  'content.folders': { env: 'main' },
  'content.record': { env: 'main', id: 'article-01' },
  'content.edit': { env: 'main', id: 'article-01', values: { title: { fr: 'x' } } },
  'content.create': { env: 'main', model: 'author', values: { name: 'x' } },
  'content.action': { env: 'main', id: 'a', kind: 'publish' },
  'content.versions': { env: 'main', id: 'article-01' },
  'content.restore': { env: 'main', id: 'article-01', version: 1 },
  'content.undoDelete': { env: 'main', id: 'article-01' },
  'people.names': { ids: ['u-1'] },
  'sync.run': {},
  'sync.conflicts': {},
  'uploads.list': {},
  'uploads.begin': { env: 'main', folder: 'campaigns', filename: 'a.png', mimeType: 'image/png', size: 1000 },
  'uploads.chunk': { id: 'u-1', offset: 0, dataBase64: 'aGk=' },
  'uploads.commit': { id: 'u-1' },
  'uploads.cancel': { id: 'u-1' },
  'uploads.retry': { id: 'u-1' },
  'sync.retry': { env: 'main', seq: 3 },
  'sync.discard': { env: 'main', seq: 3 },
  'sync.auto': { enabled: false },
  'drafts.export': {},
  'assets.list': { env: 'main', folder: 'campaigns' },
  'assets.thumbnail': { env: 'main', id: 'img-campaigns-1' },
  'assets.move': { env: 'main', id: 'img-campaigns-1', folder: 'marketing' },
  'assets.delete': { env: 'main', id: 'img-campaigns-1' },
  'assets.ops': {},
  'assets.opRetry': { env: 'main', seq: 1 },
  'assets.opDiscard': { env: 'main', seq: 1 },
  'assets.updateMetadata': { env: 'main', id: 'a', folder: 'campaigns', locale: 'fr', alt: 'x', title: null },
  'sync.resolve': { env: 'main', recordId: 'a', cell: 'title.en', keep: 'mine' },
};

/** Any value, including the odd ones JSON and structured clone can carry: null prototypes, boxed values, a `toString` that is not a function. */
const anything = fc.anything({ withNullPrototype: true, withBoxedValues: true, withObjectString: true, withMap: true, withSet: true, withSparseArray: true });

/** Payloads near the valid one: keys dropped, values swapped for anything, extra keys, wrong shapes. */
const payloadArb = (channel: Channel): fc.Arbitrary<unknown> => {
  const valid = VALID[channel] as Record<string, unknown>;
  const keys = Object.keys(valid);
  return fc.oneof(
    anything,
    fc.constant(valid),
    keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.constant(valid[k]), anything, fc.string())])), { requiredKeys: [] }) : fc.constant({}),
    fc.tuple(fc.constant(valid), fc.string({ minLength: 1, maxLength: 8 }), anything).map(([v, k, x]) => ({ ...v, [k]: x })),
    fc.constantFrom(null, undefined, [], 'string', 42, { __proto__: { env: 'main' } }),
  );
};

describe('IPC contract fuzz', () => {
  it('10,000+ random payloads across every channel: 0 crashes, 0 calls reach the core with invalid input', async () => {
    const { core, calls } = recordingCore();
    let invalid = 0;
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...CHANNELS) }, { weight: 1, arbitrary: fc.oneof(fc.string(), anything) }).chain((ch) =>
          fc.tuple(fc.constant(ch), typeof ch === 'string' && (CHANNELS as string[]).includes(ch) ? payloadArb(ch as Channel) : anything),
        ),
        async ([channel, payload]) => {
          calls.length = 0;
          const env = await dispatch(core, channel, payload);
          expect(typeof env.ok).toBe('boolean');
          const known = typeof channel === 'string' && (CHANNELS as string[]).includes(channel);
          const ok = known && commands[channel as Channel].input.safeParse(payload).success;
          if (!ok) {
            invalid++;
            expect(calls).toEqual([]);
            expect(env.ok).toBe(false);
            if (!env.ok) expect(['INVALID_INPUT', 'UNKNOWN_CHANNEL']).toContain(env.error.code);
          } else if (calls.length > 0) reached++;
        },
      ),
      { numRuns: 12_000 },
    );
    expect(invalid).toBeGreaterThan(3_000);
    expect(reached).toBeGreaterThan(300);
  });

  it('refuses hostile channel and payload shapes without throwing', async () => {
    const { core, calls } = recordingCore();
    const hostile: unknown[] = [{ toString: '' }, [{ toString: '' }], { valueOf: 1, toString: null }, Object.create(null), Symbol('x'), 10n, () => 1];
    for (const value of hostile) {
      const unknownChannel = await dispatch(core, value, {});
      expect(unknownChannel.ok).toBe(false);
      if (!unknownChannel.ok) expect(unknownChannel.error.code).toBe('UNKNOWN_CHANNEL');
      const badPayload = await dispatch(core, 'content.models', value);
      expect(badPayload.ok).toBe(false);
      if (!badPayload.ok) expect(badPayload.error.code).toBe('INVALID_INPUT');
      const badField = await dispatch(core, 'content.models', { env: value });
      expect(badField.ok).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('answers a core failure with a clean envelope, never a throw', async () => {
    const core = new Proxy({} as InkstoneCore, {
      get: () => () => {
        throw new Error('boom with /secret/path');
      },
    });
    const r = await dispatch(core, 'content.models', { env: 'main' });
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Inkstone; your local data is unchanged.' } });
  });
});
