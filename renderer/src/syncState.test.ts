import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countsText, syncLabel, type Status } from './syncState';

const envArb = fc.record({
  primary: fc.boolean(),
  pending: fc.nat(3),
  problems: fc.array(fc.record({ seq: fc.nat(), kind: fc.constantFrom('update', 'publish'), recordId: fc.string(), title: fc.string(), code: fc.constantFrom('VALIDATION', 'PERMISSION'), message: fc.string() }), { maxLength: 2 }),
  conflicts: fc.nat(2),
  drafts: fc.nat(2),
  uploads: fc.nat(2),
  assetChanges: fc.nat(2),
  mediaProblems: fc.nat(2),
  incomplete: fc.nat(2),
});
const statusArb = fc.record({
  signedIn: fc.boolean(),
  account: fc.constant(null),
  sync: fc.record({ state: fc.constantFrom('idle', 'syncing', 'offline', 'signed_out'), lastSyncedAt: fc.constant(null), nextAttemptAt: fc.constant(null), lastError: fc.constant(null) }),
  environments: fc.dictionary(fc.constantFrom('main', 'staging'), envArb),
}) as fc.Arbitrary<Status>;
const localArb = fc.record({ saving: fc.boolean(), saveFailed: fc.boolean(), syncing: fc.boolean() });

describe('the one sync state', () => {
  it('says "Synced" exactly when the core is idle, nothing is typed or syncing, and no environment has anything pending, refused, conflicting or uploading', () => {
    fc.assert(
      fc.property(statusArb, localArb, (status, local) => {
        const clean = Object.values(status.environments).every((e) => e.pending === 0 && e.problems.length === 0 && e.conflicts === 0 && e.uploads === 0);
        const expected = status.sync.state === 'idle' && clean && !local.saving && !local.saveFailed && !local.syncing;
        expect(syncLabel(status, local) === 'Synced').toBe(expected);
      }),
    );
  });

  it('never hides refused operations or conflicts behind "saved" words', () => {
    fc.assert(
      fc.property(statusArb, (status) => {
        const attention = Object.values(status.environments).some((e) => e.problems.length > 0 || e.conflicts > 0 || e.mediaProblems > 0);
        const label = syncLabel(status, { saving: false, saveFailed: false, syncing: false });
        if (attention && status.sync.state !== 'syncing' && status.sync.state !== 'signed_out') expect(label).toBe('Needs attention');
      }),
    );
  });

  it('counts drafts and queued uploads across environments', () => {
    const env = { primary: true, pending: 0, problems: [], conflicts: 0, drafts: 0, uploads: 0, assetChanges: 0, mediaProblems: 0, incomplete: 0 };
    const status = {
      signedIn: true,
      account: null,
      sync: { state: 'idle', lastSyncedAt: null, nextAttemptAt: null, lastError: null },
      environments: { main: { ...env, pending: 2, drafts: 1, uploads: 1 }, staging: { ...env, pending: 1, drafts: 1 } },
    } as Status;
    expect(countsText(status)).toBe('3 pending · 2 drafts · 1 upload');
    expect(syncLabel(status, { saving: false, saveFailed: false, syncing: false })).toBe('Saved on this computer');
  });

  it('says when something pending is a new record waiting for its required fields (it would wait for good otherwise, unexplained)', () => {
    const env = { primary: true, pending: 0, problems: [], conflicts: 0, drafts: 0, uploads: 0, assetChanges: 0, mediaProblems: 0, incomplete: 0 };
    const status = (main: Partial<typeof env>) =>
      ({ signedIn: true, account: null, sync: { state: 'idle', lastSyncedAt: null, nextAttemptAt: null, lastError: null }, environments: { main: { ...env, ...main } } }) as Status;
    expect(countsText(status({ pending: 1, drafts: 1, incomplete: 1 }))).toBe('1 pending (1 new record missing required fields) · 1 draft');
    expect(countsText(status({ pending: 3, drafts: 3, incomplete: 2 }))).toBe('3 pending (2 new records missing required fields) · 3 drafts');
  });
});
