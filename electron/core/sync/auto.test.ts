import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTO_SYNC, AutoSync } from './auto';

// The schedule alone (the syncs themselves are tested against the real server in
// test/integration/core.signout.test.ts): the clock is the one thing faked here.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function harness(offline: () => boolean) {
  const runs: number[] = [];
  const planned: (number | null)[] = [];
  const auto = new AutoSync({
    run: async () => (runs.push(Date.now()), { offline: offline() }),
    canRun: () => true,
    onSchedule: (at) => planned.push(at),
  });
  return { auto, runs, planned };
}

describe('automatic sync schedule', () => {
  it('runs at once when enabled, then every interval while online; an edit syncs after the debounce', async () => {
    const { auto, runs } = harness(() => false);
    const t0 = Date.now();
    auto.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([t0]);
    await vi.advanceTimersByTimeAsync(AUTO_SYNC.intervalMs);
    expect(runs).toHaveLength(2);
    auto.poke();
    await vi.advanceTimersByTimeAsync(AUTO_SYNC.debounceMs - 1);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    auto.stop();
  });

  it('backs off while offline, doubling from 2 s up to 60 s, and returns to the interval once online', async () => {
    let offline = true;
    const { auto, runs } = harness(() => offline);
    auto.setEnabled(true);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 8; i++) await vi.advanceTimersByTimeAsync(60_000);
    const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
    expect(gaps.slice(0, 6)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    offline = false;
    const before = runs.length;
    await vi.advanceTimersByTimeAsync(60_000 + 2 * AUTO_SYNC.intervalMs);
    const online = runs.slice(before);
    expect(online.length).toBeGreaterThanOrEqual(2);
    // After the first online sync, the interval again (no more backoff).
    expect(online.slice(1).map((t, i) => t - online[i]!)).toEqual(online.slice(1).map(() => AUTO_SYNC.intervalMs));
    auto.stop();
  });

  it('disabled, it plans nothing and runs nothing', async () => {
    const { auto, runs, planned } = harness(() => false);
    auto.setEnabled(true);
    auto.setEnabled(false);
    auto.poke();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toEqual([]);
    expect(planned.at(-1)).toBeNull();
  });
});
