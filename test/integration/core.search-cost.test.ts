import { recordNode } from '../support/record-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newStoreKey, openStore } from '../../electron/core/store/open';
import { FOLD_CHUNK, RECENT_FOLD_AT } from '../../electron/core/store/search';
import { IDLE_CHECKPOINT_MS } from '../../electron/core/store/store';
import type { Model } from '../../shared/domain';
import type { RecordNode } from '../../shared/api/operations';

/**
 * Issue 12: what an incremental pull writes may not grow with the project. 100 rows whose slug
 * (part of the search text) changes are written as a pull writes them, into stores of 2,000 and
 * 20,000 rows built as a first pull builds them; the pages the commit appends to the WAL are
 * counted. Before the two-level search index, each row also wrote a tombstone page of the big
 * search segment, and each upsert rewrote the row's bases_model entry: ~100 pages more at 20k.
 */

const PAGE = 4096;
const MODEL: Model = {
  id: 'article',
  apiKey: 'article',
  name: 'Article',
  singleton: false,
  fields: [
    { id: 'title', apiKey: 'title', label: 'Title', type: 'string', localized: false, required: false, validators: {} },
    { id: 'slug', apiKey: 'slug', label: 'Slug', type: 'slug', localized: false, required: false, validators: {} },
    { id: 'body', apiKey: 'body', label: 'Body', type: 'text', localized: false, required: false, validators: {} },
  ],
};
const BODY = 'ink stone paper harbour garden bridge rain market night train '.repeat(16);
const node = (i: number, slug: string): RecordNode => recordNode(`gen-${String(i).padStart(6, '0')}`, 'article', { title: `Article ${i}`, slug, body: BODY });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** WAL frames appended by one pull-like commit of 100 changed rows, spread over a store of `n` rows. */
function framesOfSync(n: number, round: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-search-cost-'));
  dirs.push(dir);
  const file = join(dir, 'store.sqlite');
  const store = openStore(file, newStoreKey());
  try {
    store.setSchema('main', [MODEL], []);
    store.bulkLoad(true);
    for (let b = 0; b < n; b += 500) store.tx(() => store.records.putBases('main', Array.from({ length: Math.min(500, n - b) }, (_, k) => node(b + k, `article-${b + k}`))));
    store.bulkLoad(false);
    let frames = 0;
    // Round 0 grows the rows (a longer slug); the later rounds are the steady state.
    for (let r = 0; r <= round; r++) {
      store.checkpoint();
      store.tx(() => {
        for (let k = 0; k < 100; k++) store.records.putBase('main', node(k * (n / 100), `changed-${r}-${String(k).padStart(3, '0')}`));
      });
      frames = (statSync(`${file}-wal`).size - 32) / (PAGE + 24);
    }
    expect(store.records.count('main', 'article', { search: 'changed-2-042' })).toBe(1);
    return frames;
  } finally {
    store.close();
  }
}

describe('an incremental pull writes what changed, whatever the size of the store', () => {
  it('100 changed rows append about as many pages at 20,000 rows as at 2,000', () => {
    const small = framesOfSync(2000, 2);
    const big = framesOfSync(20_000, 2);
    // ~100 table leaves (one per row) plus the recent search level's few pages, at both sizes.
    expect(big).toBeLessThanOrEqual(small + 15);
    expect(big).toBeLessThanOrEqual(140);
  });
});

describe('the recent search level stays small', () => {
  afterEach(() => vi.useRealTimers());

  it('once writes pause, a level past RECENT_FOLD_AT rows is folded into the big index a chunk per quiet spell; searches stay exact', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-search-fold-'));
    dirs.push(dir);
    const store = openStore(join(dir, 'store.sqlite'), newStoreKey());
    try {
      store.setSchema('main', [MODEL], []);
      store.bulkLoad(true);
      store.tx(() => store.records.putBases('main', Array.from({ length: 1000 }, (_, i) => node(i, `first-${i}`))));
      store.bulkLoad(false);
      expect(store.recentSearchRows()).toBe(0);
      // A long burst: the first 1,000 rows change, and more arrive than the level's bound.
      const n = RECENT_FOLD_AT + FOLD_CHUNK / 2;
      store.tx(() => {
        for (let i = 0; i < n; i++) store.records.putBase('main', node(i, `later-${i}`));
      });
      expect(store.recentSearchRows()).toBe(n);
      const found = (q: string) => store.records.list('main', 'article', { search: q }, 10, 0).map((r) => r.base.id);
      const exact = () => {
        expect(found('first-12')).toEqual([]);
        expect(found('later-999')).toEqual(['gen-000999']);
        expect(found(`later-${n - 1}`)).toEqual([node(n - 1, '').id]);
        expect(store.records.count('main', 'article', { search: 'later-' })).toBe(n);
        expect(store.records.count('main', 'article', { search: 'first-' })).toBe(0);
      };
      exact();
      // Writes keep coming: nothing folded.
      vi.advanceTimersByTime(IDLE_CHECKPOINT_MS / 2);
      expect(store.recentSearchRows()).toBe(n);
      // A quiet spell: one chunk folded; the next finds the level within its bound and leaves it.
      vi.advanceTimersByTime(IDLE_CHECKPOINT_MS + 1);
      expect(store.recentSearchRows()).toBe(n - FOLD_CHUNK);
      exact();
      vi.advanceTimersByTime(IDLE_CHECKPOINT_MS * 3);
      expect(store.recentSearchRows()).toBe(n - FOLD_CHUNK);
      expect(n - FOLD_CHUNK).toBeLessThanOrEqual(RECENT_FOLD_AT);
      exact();
    } finally {
      store.close();
    }
  });
});
