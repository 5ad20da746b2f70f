import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import type { RequestContext } from '../context';
import type { Viewer } from '../auth/viewer';
import { fingerprint } from '../content/project';
import * as records from '../content/records';
import * as assets from '../content/assets';
import * as envs from '../content/environments';
import * as schema from '../content/schema';
import * as auth from '../admin/auth';
import { MAX_JSON_DEPTH, jsonTooDeep } from '../../shared/domain';
import * as team from '../admin/team';
import * as tokens from '../admin/tokens';
import * as settings from '../admin/settings';
import * as people from '../content/people';

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (v) => v,
  // Bounded here, before anything that recurses over the value (validation, hashing) sees it.
  parseValue: (v) => {
    if (jsonTooDeep(v)) throw new TypeError(`JSON is nested too deeply: more than ${MAX_JSON_DEPTH} levels`);
    return v;
  },
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date-time in UTC',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new TypeError('DateTime must be an ISO 8601 string');
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) throw new TypeError('DateTime must be an ISO 8601 string');
    return ast.value;
  },
});

function viewerOut(ctx: RequestContext, v: Viewer) {
  const permissions = ctx.permissionsOf(v);
  return {
    user: v.user ? { id: v.user.id, email: v.user.email, name: v.user.name, twoFactorEnabled: v.user.totpSecret !== null } : null,
    apiToken: v.token ? { id: v.token.id, name: v.token.name, kind: v.token.scope.kind } : null,
    role: { id: v.role.id, name: v.role.name, builtIn: v.role.builtIn },
    permissions,
    permissionsFingerprint: fingerprint(permissions, v.role),
  };
}

type Args = Record<string, unknown>;
/** What yoga hands resolvers: the request's context travels as `rc` (yoga copies own properties only). */
export interface GqlContext {
  rc: RequestContext;
}
// Resolvers take GraphQL-validated args; each service re-checks what GraphQL types cannot.
const r =
  <A, T>(fn: (ctx: RequestContext, args: A) => T) =>
  (_: unknown, args: Args, { rc }: GqlContext): T =>
    fn(rc, args as A);

/** A record mutation of the sync hot path: committed with the others of its turn (store/commit-group.ts). */
const grouped =
  <A, T>(fn: (ctx: RequestContext, args: A) => T) =>
  (_: unknown, args: Args, { rc }: GqlContext): Promise<T> =>
    rc.services.commits.run(rc, () => fn(rc, args as A));

export const resolvers = {
  JSON: JSONScalar,
  DateTime: DateTimeScalar,
  Query: {
    viewer: (_: unknown, __: Args, { rc: ctx }: GqlContext) => viewerOut(ctx, ctx.requireViewer(true)),
    environments: r(envs.environments),
    locales: (_: unknown, __: Args, { rc: ctx }: GqlContext) => ctx.project().locales,
    models: r(schema.models),
    records: r(records.listRecords),
    record: r(records.getRecord),
    recordVersions: r(records.recordVersions),
    changes: r(records.changes),
    folders: r(assets.listFolders),
    assets: r(assets.listAssets),
    project: (_: unknown, __: Args, { rc: ctx }: GqlContext) => (ctx.requireViewer(true), ctx.project()),
    auditLog: r(settings.auditLog),
    roles: r(team.roles),
    collaborators: r(team.collaborators),
    apiTokens: r(tokens.apiTokens),
    people: r(people.people),
  },
  Mutation: {
    login: async (_: unknown, args: Args, { rc: ctx }: GqlContext) => {
      const s = await auth.login(ctx, args as { email: string; password: string; otp?: string | null });
      return { token: s.token, expiresAt: s.expiresAt, viewer: viewerOut(ctx, s.viewer) };
    },
    logout: r(auth.logout),
    createRecord: grouped(records.createRecord),
    updateRecord: grouped(records.updateRecord),
    publishRecord: grouped(records.publishRecord),
    unpublishRecord: grouped(records.unpublishRecord),
    deleteRecord: grouped(records.deleteRecord),
    restoreRecordVersion: grouped(records.restoreRecordVersion),
    createUploadSlot: r(assets.createUploadSlot),
    replaceAssetFile: r(assets.replaceAssetFile),
    updateAsset: r(assets.updateAsset),
    moveAsset: r(assets.moveAsset),
    deleteAsset: r(assets.deleteAsset),
    createFolder: r(assets.createFolder),
    createEnvironment: r(envs.createEnvironment),
    promoteEnvironment: r(envs.promoteEnvironment),
    deleteEnvironment: r(envs.deleteEnvironment),
    createModel: r(schema.createModel),
    createField: r(schema.createField),
    deleteField: r(schema.deleteField),
    deleteModel: r(schema.deleteModel),
    createRole: r(team.createRole),
    updateRole: r(team.updateRole),
    deleteRole: r(team.deleteRole),
    inviteCollaborator: r(team.inviteCollaborator),
    acceptInvitation: async (_: unknown, args: Args, { rc: ctx }: GqlContext) => {
      const s = await auth.acceptInvitation(ctx, args as { token: string; name: string; password: string });
      return { token: s.token, expiresAt: s.expiresAt, viewer: viewerOut(ctx, s.viewer) };
    },
    changeCollaboratorRole: r(team.changeCollaboratorRole),
    removeCollaborator: r(team.removeCollaborator),
    createApiToken: r(tokens.createApiToken),
    rotateApiToken: r(tokens.rotateApiToken),
    deleteApiToken: r(tokens.deleteApiToken),
    setupTwoFactor: (_: unknown, __: Args, { rc: ctx }: GqlContext) => auth.setupTwoFactor(ctx),
    confirmTwoFactor: r(auth.confirmTwoFactor),
    disableTwoFactor: r(auth.disableTwoFactor),
    updateProjectSettings: r(settings.updateProjectSettings),
  },
};
