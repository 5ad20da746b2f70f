import type { Db } from './store/db';
import type { Viewer } from './auth/viewer';
import type { Model, Project } from '../shared/domain';
import { folderRef } from '../shared/domain';
import { can, type Action, type Decision, type EffectivePermissions, type ResourceFor } from '../shared/permissions';
import { fail, forbidden, notFound } from './errors';
import { listEnvironments, listFolders, listModels, loadProject, projectPermissions, type EnvironmentRow, type FolderRow } from './content/project';
import { cacheAt, type CacheView } from './store/generation';
import type { CommitGroup } from './store/commit-group';
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
  /** Where the sync hot path's record writes are committed together (store/commit-group.ts). */
  commits: CommitGroup;
}

/**
 * One request's view of the project. The project, its environments, models, folders and the
 * viewer's effective permissions come from the caches of the generation read when the
 * request began (store/generation.ts): shared between requests until any of them changes.
 */
export class RequestContext {
  #viewer: Viewer | null;
  /** The cache generation the viewer was resolved at (null: no viewer, nothing to resolve again). */
  #viewerAt: number | null;

  /** `resolveAgain` finds the viewer again from the request's credentials, at a cache view. */
  constructor(
    readonly services: ServerServices,
    viewer: Viewer | null,
    readonly ip: string,
    private cache: CacheView = cacheAt(services.db),
    private readonly resolveAgain: ((cache: CacheView) => Viewer | null) | null = null,
  ) {
    this.#viewer = viewer;
    // Resolving a viewer read the generation already: this reads nothing more.
    this.#viewerAt = viewer ? cache.generation : null;
  }

  get viewer(): Viewer | null {
    return this.#viewer;
  }

  /**
   * For work run after the request's own turn (store/commit-group.ts): when anything the viewer
   * or the caches are made of has changed since, the viewer is resolved again (null if its
   * token was revoked or its session ended) and the caches are read at the new generation.
   */
  revalidate(generation: number): void {
    // Compared with when the viewer was resolved, not with the cache view: a request that
    // invalidated its view (a schema edit earlier in its document) holds a view not read yet,
    // which would read as current.
    if (this.cache.generation !== generation) this.cache = cacheAt(this.db);
    if (this.#viewerAt === null || this.#viewerAt === generation) return;
    this.#viewer = this.resolveAgain ? this.resolveAgain(this.cache) : null;
    this.#viewerAt = generation;
  }

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
    const id = this.requireViewer(true).projectId;
    return this.cache.get('project', id, () => loadProject(this.db, id));
  }

  environments(): readonly EnvironmentRow[] {
    const id = this.project().id;
    return this.cache.get('environments', id, () => listEnvironments(this.db, id));
  }

  /** An environment the viewer may reach; anything else is NOT_FOUND, so its existence is not told. */
  environment(id: string): EnvironmentRow {
    const env = this.environments().find((e) => e.id === id);
    if (!env || !this.decide('environment.access', { environment: env }).allowed) return notFound(`environment "${id}"`);
    return env;
  }

  modelsOf(env: string): readonly Model[] {
    const id = this.project().id;
    return this.cache.get('models', `${id}\u0000${env}`, () => listModels(this.db, id, env));
  }

  /** A model of the environment on which the viewer holds some permission. */
  model(env: EnvironmentRow, idOrApiKey: string): Model {
    const model = this.modelsOf(env.id).find((m) => m.id === idOrApiKey || m.apiKey === idOrApiKey);
    if (!model || !this.effective().environments[env.id]?.models[model.id]) return notFound(`model "${idOrApiKey}"`);
    return model;
  }

  foldersOf(env: string): readonly FolderRow[] {
    const id = this.project().id;
    return this.cache.get('folders', `${id}\u0000${env}`, () => listFolders(this.db, id, env));
  }

  folderRef(env: string, id: string) {
    return folderRef(this.foldersOf(env), id);
  }

  effective(): EffectivePermissions {
    return this.permissionsOf(this.requireViewer(true));
  }

  /** What a viewer may do over the whole project (the request's own, or one just signed in). */
  permissionsOf(viewer: Viewer): EffectivePermissions {
    // The key names the principal; what it is made of (role, token scope, project) is tracked by the generation.
    return this.cache.get('effective', viewer.key, () => projectPermissions(this.db, loadProject(this.db, viewer.projectId), viewer.principal));
  }

  decide<A extends Action>(action: A, resource: ResourceFor<A>): Decision {
    return can(this.requireViewer().principal, action, resource);
  }

  /** FORBIDDEN with the engine's reason, or nothing. */
  require<A extends Action>(action: A, resource: ResourceFor<A>): void {
    const d = this.decide(action, resource);
    if (!d.allowed) forbidden(`Not allowed: ${d.message}`, d.reason, d.cell ? { cell: d.cell } : {});
  }

  /** After a schema, folder or environment change within this request: read at the new generation from here on. */
  invalidate(): void {
    this.cache = cacheAt(this.db);
  }
}
