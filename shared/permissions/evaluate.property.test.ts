import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../domain/principal';
import type { RecordRule, UploadRule } from '../domain/role';
import { principalArb, recordRuleArb, requestArb, roleArb, tokenArb, uploadRuleArb, type Request } from '../testkit/arbitraries';
import { CONTEXT } from '../testkit/context';
import { can } from './evaluate';
import { allows, effectivePermissions } from './effective';
import type { Action, ResourceFor } from './actions';

const RUNS = { numRuns: 10_000 };
const ask = (p: Principal, r: Request) => can(p, r.action as Action, r.resource as ResourceFor<Action>);

/** A rule written to match exactly this request, so adding it must decide the request. */
function matchingRules(r: Request, effect: 'allow' | 'deny'): { recordRules: RecordRule[]; uploadRules: UploadRule[] } {
  if (r.action.startsWith('record.')) {
    const res = r.resource as { environment: { id: string }; model: string };
    const action = r.action.slice('record.'.length) as RecordRule['actions'][number];
    return {
      recordRules: [{ effect, models: [res.model], actions: [action], localizationScope: 'all', locales: 'all', environment: res.environment.id, onCreator: 'anyone' }],
      uploadRules: [],
    };
  }
  if (r.action.startsWith('upload.')) {
    const res = r.resource as { environment: { id: string } };
    const action = r.action.slice('upload.'.length) as UploadRule['actions'][number];
    return { recordRules: [], uploadRules: [{ effect, actions: [action], folders: 'all', environment: res.environment.id }] };
  }
  return { recordRules: [], uploadRules: [] };
}

const withRules = (p: Principal, extra: { recordRules: RecordRule[]; uploadRules: UploadRule[] }, at: number): Principal => {
  const insert = <T>(list: T[], items: T[]) => [...list.slice(0, at % (list.length + 1)), ...items, ...list.slice(at % (list.length + 1))];
  return { ...p, role: { ...p.role, recordRules: insert(p.role.recordRules, extra.recordRules), uploadRules: insert(p.role.uploadRules, extra.uploadRules) } };
};

describe('permission engine properties', () => {
  it('a matching deny rule is never overridden, wherever it stands among the rules', () => {
    fc.assert(
      fc.property(principalArb, requestArb, fc.nat(), (p, r, at) => {
        fc.pre(r.action.startsWith('record.') || r.action.startsWith('upload.'));
        const denied = withRules(p, matchingRules(r, 'deny'), at);
        // Also add a matching allow, so the deny has something to beat.
        const both = withRules(denied, matchingRules(r, 'allow'), at + 1);
        expect(ask(both, r).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('adding an allow rule never removes a permission', () => {
    fc.assert(
      fc.property(principalArb, requestArb, recordRuleArb, uploadRuleArb, fc.nat(), (p, r, rr, ur, at) => {
        const before = ask(p, r).allowed;
        const after = ask(withRules(p, { recordRules: [{ ...rr, effect: 'allow' }], uploadRules: [{ ...ur, effect: 'allow' }] }, at), r).allowed;
        expect(before && !after).toBe(false);
      }),
      RUNS,
    );
  });

  it('adding a deny rule never adds a permission', () => {
    fc.assert(
      fc.property(principalArb, requestArb, recordRuleArb, uploadRuleArb, fc.nat(), (p, r, rr, ur, at) => {
        const before = ask(p, r).allowed;
        const after = ask(withRules(p, { recordRules: [{ ...rr, effect: 'deny' }], uploadRules: [{ ...ur, effect: 'deny' }] }, at), r).allowed;
        expect(!before && after).toBe(false);
      }),
      RUNS,
    );
  });

  it('a token never exceeds the role of its user (token ∩ role ⊆ role)', () => {
    fc.assert(
      fc.property(roleArb, tokenArb, fc.constantFrom<string | null>('u1', null), requestArb, (role, token, userId, r) => {
        const viaToken = ask({ userId, role, token }, r).allowed;
        const asUser = ask({ userId, role }, r).allowed;
        expect(viaToken && !asUser).toBe(false);
      }),
      RUNS,
    );
  });

  it('effectivePermissions agrees with can on every request', () => {
    // Deriving effective permissions is the costly half; check many requests per principal.
    fc.assert(
      fc.property(principalArb, fc.array(requestArb, { minLength: 4, maxLength: 4 }), (p, requests) => {
        const eff = effectivePermissions(p, CONTEXT);
        for (const r of requests) {
          expect(allows(eff, r.action as Action, r.resource as ResourceFor<Action>), `${r.action} ${JSON.stringify(r.resource)}`).toBe(ask(p, r).allowed);
        }
      }),
      RUNS,
    );
  });
});
