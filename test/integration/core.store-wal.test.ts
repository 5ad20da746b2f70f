import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { walFrames, walSalt } from '../support/wal';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newStoreKey, openStore, WAL_BOUND_PAGES } from '../../electron/core/store/open';
import { IDLE_CHECKPOINT_MS, type LocalStore } from '../../electron/core/store/store';

/**
 * When the local store's WAL is folded into the file (issue 12: a checkpoint inside an edit's
 * commit was the slow 1% of autosaves). Real encrypted SQLite files; what the WAL did is read
 * from its header on disk: salt-1 changes each time SQLite starts the WAL over, which it only
 * does after a checkpoint copied the whole WAL into the file.
 */

const PAGE = 4096;
const FRAME = PAGE + 24;
const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): { store: LocalStore; file: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-wal-'));
  dirs.push(dir);
  const file = join(dir, 'store.sqlite');
  const key = newStoreKey();
  return { store: openStore(file, key), file, key };
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;

/** An autosave as the core makes it: a draft and, the first time for a record, its queued op (~8 pages). */
function edit(store: LocalStore, i: number, records = 1_000_000): void {
  const id = `rec-${i % records}`;
  store.tx(() => {
    store.records.putDraft('main', id, 'article', { title: { en: `Edit ${i}` } });
    if (!store.outbox.openWrite('main', id)) store.outbox.enqueue('main', 'update', id, 'article');
  });
}

describe('local store WAL', () => {
  it('a burst of edits is not checkpointed inside a commit until the WAL reaches its bound, which it never passes', () => {
    const { store, file, key } = fresh();
    edit(store, 0);
    const salt = walSalt(file);
    let i = 1;
    // Well past SQLite's default of 1,000 pages, at which one of these commits would checkpoint.
    while (walFrames(file) < 2_000 && i < 1_000) edit(store, i++);
    expect(walSalt(file)).toBe(salt);
    // On to the bound: one commit folds the WAL, the next starts it over; the file never grows past it.
    while (walSalt(file) === salt && i < 5_000) edit(store, i++);
    expect(walSalt(file)).not.toBe(salt);
    expect(walFrames(file)).toBeLessThanOrEqual(16);
    expect(walBytes(file)).toBeLessThanOrEqual(32 + (WAL_BOUND_PAGES + 16) * FRAME);
    store.close();
    const again = openStore(file, key);
    expect(again.outbox.all('main')).toHaveLength(i);
    again.close();
  });

  it('once writes pause, the WAL is folded into the file and the next write starts it over in place', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { store, file, key } = fresh();
    for (let i = 0; i < 50; i++) edit(store, i);
    const salt = walSalt(file);
    // Writes keep coming: no checkpoint yet.
    vi.advanceTimersByTime(IDLE_CHECKPOINT_MS / 2);
    edit(store, 50);
    vi.advanceTimersByTime(IDLE_CHECKPOINT_MS / 2 + 1);
    edit(store, 51);
    expect(walSalt(file)).toBe(salt);
    const size = walBytes(file);
    // A quiet second: checkpointed, so the next write restarts the WAL from its start.
    vi.advanceTimersByTime(IDLE_CHECKPOINT_MS + 1);
    edit(store, 52);
    expect(walSalt(file)).not.toBe(salt);
    expect(walBytes(file)).toBe(size);
    // A timer left at close does nothing afterwards.
    edit(store, 53);
    store.close();
    vi.advanceTimersByTime(IDLE_CHECKPOINT_MS * 2);
    const again = openStore(file, key);
    expect(again.outbox.all('main')).toHaveLength(54);
    expect(again.records.draft('main', 'rec-53')?.values).toEqual({ title: { en: 'Edit 53' } });
    again.close();
  });

  it('the WAL has its space from the open: edits write over it without growing the file, and a copy taken mid-burst recovers every commit from the WAL alone', () => {
    const { store, file, key } = fresh();
    const spaced = walBytes(file);
    expect(spaced).toBe(32 + WAL_BOUND_PAGES * FRAME);
    for (let i = 0; i < 300; i++) edit(store, i);
    expect(walFrames(file)).toBeGreaterThan(300);
    expect(walBytes(file)).toBe(spaced);
    // As if the process died here: the file and its WAL (frames, then the zeros past them), and
    // no -shm, so SQLite rebuilds its index by reading the WAL until the frames stop.
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    copyFileSync(`${file}-wal`, `${copy}-wal`);
    const recovered = openStore(copy, key);
    expect(recovered.outbox.all('main')).toHaveLength(300);
    expect(recovered.records.draft('main', 'rec-299')?.values).toEqual({ title: { en: 'Edit 299' } });
    // Recovery found the frames; the copy's own later edits go on from them.
    edit(recovered, 300);
    recovered.close();
    store.close();
    const again = openStore(copy, key);
    expect(again.outbox.all('main')).toHaveLength(301);
    again.close();
  });

  it('a second connection opening the store does not clobber frames the first has not folded', () => {
    const { store, file, key } = fresh();
    for (let i = 0; i < 20; i++) edit(store, i);
    const frames = walFrames(file);
    const second = openStore(file, key);
    expect(walFrames(file)).toBe(frames);
    expect(second.outbox.all('main')).toHaveLength(20);
    edit(store, 20);
    expect(second.outbox.all('main')).toHaveLength(21);
    second.close();
    store.close();
  });
});
