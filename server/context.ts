import type { Db } from './store/db';
import type { Viewer } from './auth/viewer';
import type { Model, Project } from '../shared/domain';
import { folderRef } from '../shared/domain';
import { can, type Action, type Decision, type EffectivePermissions, type ResourceFor } from '../shared/permissions';
import { fail, forbidden, notFound } from './errors';
import { bumpSchemaGeneration, listEnvironments, listFolders, listModels, loadProject, projectPermissions, type EnvironmentRow, type FolderRow } from './content/project';
import type { LoginGuard, RateLimiter } from './auth/ratelimit';
import type { SecretBox } from './auth/secret-box';

export interface ServerLimits {
  /** Largest GraphQL request body, bytes. */
  maxBodyBytes: number;
  maxUploadBytes: number;
  maxDepth: number;
  requestsPerMinutePerIp: number;
  requestsPerMinutePerPrincipal: number;
  loginsPerMinutePerIp: number;
  sessionTtlMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  maxUploadBytes: 50 * 1024 * 1024,
  // Deep enough for the standard introspection query; the schema itself has no recursion.
  maxDepth: 15,
  requestsPerMinutePerIp: 6_000,
  requestsPerMinutePerPrincipal: 3_000,
  loginsPerMinutePerIp: 30,
  sessionTtlMs: 30 * 24 * 3600_000,
};

export interface ServerServices {
  db: Db;
  dataDir: string;
  limits: ServerLimits;
  loginGuard: LoginGuard;
  loginLimiter: RateLimiter;
  /** Seals the secrets the server reads back (TOTP seeds); its key lives outside the database. */
  secretBox: SecretBox;
  /** `https://host:port`, for the upload URLs the server hands out. */
  origin: string;
}

function memo<V>(cache: Map<string, V>, key: string, load: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = load();
    cache.set(key, v);
  }
  return v;
}

/** One request's view of the project, with the permission decisions it needs memoised. */
export class RequestContext {
  private projectCache: Project | null = null;
  private effCache: EffectivePermissions | null = null;
  private readonly models = new Map<string, Model[]>();
  private readonly folders = new Map<string, FolderRow[]>();
  private envCache: EnvironmentRow[] | null = null;

  constructor(
    readonly services: ServerServices,
    readonly viewer: Viewer | null,
    readonly ip: string,
  ) {}

  get db(): Db {
    return this.services.db;
  }

  /** The signed-in viewer; `allowDuringTwoFactorSetup` opens the few operations a user needs to set up 2FA. */
  requireViewer(allowDuringTwoFactorSetup = false): Viewer {
    if (!this.viewer) return fail('UNAUTHENTICATED', 'sign in first: no valid session or API token was given');
    // A token cannot set up 2FA for its owner, so none of it stays open to one.
    if (this.viewer.needsTwoFactor && (!allowDuringTwoFactorSetup || this.viewer.token)) {
      return fail(
        'TWO_FACTOR_REQUIRED',
        this.viewer.token
          ? "this project requires two-factor authentication: this API token works again once its owner turns it on"
          : 'this project requires two-factor authentication: set it up (setupTwoFactor, confirmTwoFactor) first',
      );
    }
    return this.viewer;
  }

  project(): Project {
    this.projectCache ??= loadProject(this.db, this.requireViewer(true).projectId);
    return this.projectCache;
  }

  environments(): EnvironmentRow[] {
    this.envCache ??= listEnvironments(this.db, this.project().id);
    return this.envCache;
  }

  /** An environment the viewer may reach; anything else is NOT_FOUND, so its existence is not told. */
  environment(id: string): EnvironmentRow {
    const env = this.environments().find((e) => e.id === id);
    if (!env || !this.decide('environment.access', { environment: env }).allowed) return notFound(`environment "${id}"`);
    return env;
  }

  modelsOf(env: string): Model[] {
    return memo(this.models, env, () => listModels(this.db, this.project().id, env));
  }

  /** A model of the environment on which the viewer holds some permission. */
  model(env: EnvironmentRow, idOrApiKey: string): Model {
    const model = this.modelsOf(env.id).find((m) => m.id === idOrApiKey || m.apiKey === idOrApiKey);
    if (!model || !this.effective().environments[env.id]?.models[model.id]) return notFound(`model "${idOrApiKey}"`);
    return model;
  }

  foldersOf(env: string): FolderRow[] {
    return memo(this.folders, env, () => listFolders(this.db, this.project().id, env));
  }

  folderRef(env: string, id: string) {
    return folderRef(this.foldersOf(env), id);
  }

  effective(): EffectivePermissions {
    this.effCache ??= projectPermissions(this.db, this.project(), this.requireViewer(true).principal);
    return this.effCache;
  }

  decide<A extends Action>(action: A, resource: ResourceFor<A>): Decision {
    return can(this.requireViewer().principal, action, resource);
  }

  /** FORBIDDEN with the engine's reason, or nothing. */
  require<A extends Action>(action: A, resource: ResourceFor<A>): void {
    const d = this.decide(action, resource);
    if (!d.allowed) forbidden(`Not allowed: ${d.message}`, d.reason, d.cell ? { cell: d.cell } : {});
  }

  /** Drops memoised schema after a schema or environment change within this request. */
  invalidate(): void {
    bumpSchemaGeneration(this.db, this.project().id);
    this.models.clear();
    this.folders.clear();
    this.envCache = null;
    this.effCache = null;
  }
}
