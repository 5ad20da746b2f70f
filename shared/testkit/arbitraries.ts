import fc from 'fast-check';
import { folderRef } from '../domain/asset';
import type { Principal } from '../domain/principal';
import { ENVIRONMENTS_ACCESS, RECORD_ACTIONS, ROLE_FLAGS, UPLOAD_ACTIONS, type RecordRule, type Role, type RoleFlags, type UploadRule } from '../domain/role';
import type { TokenScope } from '../domain/token';
import type { Cell, FlagActionName } from '../permissions/actions';
import { FLAG_ACTIONS } from '../permissions/actions';
import { cellsOfModel } from '../permissions/effective';
import { CONTEXT, LOCALES } from './context';

const ENV_IDS = CONTEXT.environments.map((e) => e.id);
const MODEL_IDS = CONTEXT.models.map((m) => m.id);
const FOLDER_IDS = CONTEXT.folders.map((f) => f.id);
const USERS = ['u1', 'u2'] as const;

const subset = <T>(items: readonly T[]) => fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: items.length });
const allOr = <T>(items: readonly T[]) => fc.oneof(fc.constant('all' as const), subset(items));

export const recordRuleArb: fc.Arbitrary<RecordRule> = fc.record({
  effect: fc.constantFrom('allow' as const, 'allow' as const, 'deny' as const),
  // 'model-later' stands for a model created after the rule was written.
  models: allOr([...MODEL_IDS, 'model-later']),
  actions: subset(RECORD_ACTIONS),
  localizationScope: fc.constantFrom('all' as const, 'localized' as const, 'not_localized' as const),
  locales: allOr(LOCALES),
  environment: fc.oneof(fc.constant('all'), fc.constantFrom(...ENV_IDS)),
  onCreator: fc.constantFrom('anyone' as const, 'self' as const),
});

export const uploadRuleArb: fc.Arbitrary<UploadRule> = fc.record({
  effect: fc.constantFrom('allow' as const, 'allow' as const, 'deny' as const),
  actions: subset(UPLOAD_ACTIONS),
  folders: allOr(FOLDER_IDS),
  environment: fc.oneof(fc.constant('all'), fc.constantFrom(...ENV_IDS)),
});

const flagsArb: fc.Arbitrary<RoleFlags> = fc.record(Object.fromEntries(ROLE_FLAGS.map((f) => [f, fc.boolean()])) as Record<keyof RoleFlags, fc.Arbitrary<boolean>>);

export const roleArb: fc.Arbitrary<Role> = fc.record({
  id: fc.constant('random'),
  name: fc.constant('Random'),
  builtIn: fc.constant(false),
  flags: flagsArb,
  environmentsAccess: fc.constantFrom(...ENVIRONMENTS_ACCESS),
  recordRules: fc.array(recordRuleArb, { maxLength: 5 }),
  uploadRules: fc.array(uploadRuleArb, { maxLength: 4 }),
});

export const tokenArb: fc.Arbitrary<TokenScope> = fc.oneof(
  fc.constant({ kind: 'read_only' as const }),
  fc.constant({ kind: 'full_access' as const }),
  fc.record({
    kind: fc.constant('custom' as const),
    environments: fc.oneof(fc.constantFrom('all' as const, 'primary_only' as const, 'sandbox_only' as const), subset(ENV_IDS)),
    recordRules: fc.array(recordRuleArb, { maxLength: 4 }),
    uploadRules: fc.array(uploadRuleArb, { maxLength: 3 }),
  }),
);

export const principalArb: fc.Arbitrary<Principal> = fc
  .record({ userId: fc.constantFrom<string | null>('u1', 'u1', null), role: roleArb, token: fc.option(tokenArb, { nil: undefined }) })
  .map(({ userId, role, token }) => (token ? { userId, role, token } : { userId, role }));

/** A request the way the server asks it: an action and a resource inside the context. */
export type Request =
  | { action: `record.${(typeof RECORD_ACTIONS)[number]}`; resource: { environment: (typeof CONTEXT.environments)[number]; model: string; createdBy: string | null; cells: Cell[] } }
  | { action: `upload.${(typeof UPLOAD_ACTIONS)[number]}`; resource: { environment: (typeof CONTEXT.environments)[number]; folder: ReturnType<typeof folderRef> | null } }
  | { action: FlagActionName; resource: { environment?: (typeof CONTEXT.environments)[number] } }
  | { action: 'environment.access'; resource: { environment: (typeof CONTEXT.environments)[number] } };

const envArb = fc.constantFrom(...CONTEXT.environments);

const recordRequestArb: fc.Arbitrary<Request> = fc
  .record({
    action: fc.constantFrom(...RECORD_ACTIONS.map((a) => `record.${a}` as const)),
    environment: envArb,
    modelIndex: fc.nat({ max: CONTEXT.models.length - 1 }),
    createdBy: fc.constantFrom<string | null>(...USERS, null),
    cellPicks: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ action, environment, modelIndex, createdBy, cellPicks }) => {
    const model = CONTEXT.models[modelIndex]!;
    const all = cellsOfModel(model.fields, CONTEXT.locales);
    const cells = [...new Map(cellPicks.map((i) => all[i % all.length]!).map((c) => [`${c.field}.${c.locale}`, c])).values()];
    return { action, resource: { environment, model: model.id, createdBy, cells } };
  });

const uploadRequestArb: fc.Arbitrary<Request> = fc.record({
  action: fc.constantFrom(...UPLOAD_ACTIONS.map((a) => `upload.${a}` as const)),
  resource: fc.record({ environment: envArb, folder: fc.option(fc.constantFrom(...FOLDER_IDS).map((id) => folderRef(CONTEXT.folders, id)), { nil: null }) }),
});

const flagRequestArb: fc.Arbitrary<Request> = fc.record({
  action: fc.constantFrom(...(Object.keys(FLAG_ACTIONS) as FlagActionName[])),
  resource: fc.oneof(fc.constant({}), fc.record({ environment: envArb })),
});

const envRequestArb: fc.Arbitrary<Request> = fc.record({ action: fc.constant('environment.access' as const), resource: fc.record({ environment: envArb }) });

export const requestArb: fc.Arbitrary<Request> = fc.oneof(
  { weight: 6, arbitrary: recordRequestArb },
  { weight: 3, arbitrary: uploadRequestArb },
  { weight: 1, arbitrary: flagRequestArb },
  { weight: 1, arbitrary: envRequestArb },
);

