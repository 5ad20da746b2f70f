import { describe, expect, it } from 'vitest';
import { optionsFromEnv, runModel } from './run';

/**
 * Issue 10's model-based test: random sequences of user actions, remote edits, role changes and
 * faults (offline, lost answers through a real proxy, server restarts, core restarts, SIGKILL
 * mid-sync) against the real server over TLS; after each command and once healed, every
 * promise of DESIGN §5 is judged (test/model/invariants.ts). A failure prints the seed and
 * path: `INKSTONE_MODEL_SEED=… INKSTONE_MODEL_PATH=… [INKSTONE_MODEL_SHRINK=1]` replays it.
 */
describe('desktop core against the server, model-based', () => {
  it('random sequences keep every acknowledged edit, publish what was seen, duplicate nothing', { timeout: 600_000 }, async () => {
    const stats = await runModel(optionsFromEnv({ runs: 100, maxCommands: 10 }));
    console.log(`model: ${stats.sequences} sequences, ${stats.commands} commands in ${(stats.ms / 1000).toFixed(1)} s`);
    expect(stats.failure).toBeNull();
    expect(stats.sequences).toBeGreaterThanOrEqual(100);
  });
});
