import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { armorPlugins } from '../graphql/armor';
import { maskError } from '../graphql/mask';
import { createDirectGraphql } from '../graphql/direct';
import { typeDefs } from '../graphql/sdl';
import { codeEveryError } from '../graphql/code-every-error';
import { resolvers, type GqlContext } from '../graphql/resolvers';
import { RequestContext, DEFAULT_LIMITS, type ServerLimits, type ServerServices } from '../context';
import { LoginGuard, RateLimiter } from '../auth/ratelimit';
import { resolveBearer } from '../auth/viewer';
import { openDatabase, type Db } from '../store/db';
import { cacheAt, type CacheView } from '../store/generation';
import { CommitGroup } from '../store/commit-group';
import { startCheckpointer } from '../store/checkpointer';
import { DATABASE_FILE, secureDatabaseFiles, secureDataDir } from '../store/data-dir';
import { SecretBox, sealClearTotpSecrets } from '../auth/secret-box';
import { signedInIntrospection } from '../graphql/introspection';
import { ensureTls } from '../tls/certificates';
import { FileStore } from '../uploads/filestore';
import { sniffProblem } from '../uploads/sniff';
import { completeSlot, type SlotRow } from '../content/assets';
import { nowIso } from '../store/db';
import { seedDemo } from '../demo/seed';
import { handleSnapshot } from './snapshot-route';
import { ASSET_PATH, handleAssetBytes } from './asset-bytes';
import { imageSize, Thumbnails } from '../uploads/images';

export interface ServerOptions {
  dataDir: string;
  host?: string;
  port?: number;
  limits?: Partial<ServerLimits>;
  /** Seed the Demo Magazine project (DESIGN §7) when it is not there yet. */
  demo?: boolean;
  /**
   * Answer plain JSON GraphQL requests with graphql-js directly (direct.ts; default on). Off,
   * yoga answers every request: the reference the direct path is tested against.
   */
  directGraphql?: boolean;
}

export interface RunningServer {
  url: string;
  origin: string;
  caPath: string;
  ca: string;
  port: number;
  db: Db;
  /** GraphQL requests answered so far, by which path (direct.ts or yoga). */
  graphqlAnswers: { direct: number; yoga: number };
  /** Record mutations committed so far, and in how many groups (store/commit-group.ts). */
  commitGroups: { readonly groups: number; readonly items: number };
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] }, headers);
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(h) : null;
  return m?.[1] ?? null;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts Inkstone Server over HTTPS only (no plain-HTTP listener exists). */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  secureDataDir(opts.dataDir);
  const tls = await ensureTls(opts.dataDir, host);
  const db = openDatabase(join(opts.dataDir, DATABASE_FILE));
  secureDatabaseFiles(opts.dataDir);
  const checkpointer = startCheckpointer(join(opts.dataDir, DATABASE_FILE));
  const secretBox = SecretBox.forDataDir(opts.dataDir);
  sealClearTotpSecrets(db, secretBox);
  const files = new FileStore(join(opts.dataDir, 'files'));
  const thumbs = new Thumbnails(join(opts.dataDir, 'thumbnails'));
  if (opts.demo) await seedDemo(db, files);
  const ipLimiter = new RateLimiter(limits.requestsPerMinutePerIp, 60_000);
  const principalLimiter = new RateLimiter(limits.requestsPerMinutePerPrincipal, 60_000);

  const services: ServerServices = {
    db,
    dataDir: opts.dataDir,
    limits,
    loginGuard: new LoginGuard(db),
    loginLimiter: new RateLimiter(limits.loginsPerMinutePerIp, 60_000),
    secretBox,
    origin: '',
    commits: new CommitGroup(db),
  };

  const schema = createSchema<GqlContext>({ typeDefs, resolvers });
  const yoga = createYoga<GqlContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    // No CORS: the API's clients are the app's main process and scripts with tokens, none of
    // them a web page. Yoga's default copied any Origin back with credentials allowed.
    cors: false,
    logging: false,
    // handleGraphql reads the body under limits.maxBodyBytes before yoga sees it; yoga's own
    // limit re-streams every body through a TransformStream and an abort signal, which cost
    // more per request than the resolvers of a sync page (profile of the 50-client bench).
    maxRequestBodySize: false,
    multipart: false,
    // Our errors carry a contract code (DESIGN §4) and pass; anything else is masked (mask.ts).
    maskedErrors: { maskError },
    plugins: [...armorPlugins(limits), signedInIntrospection, codeEveryError],
  });

  const direct = opts.directGraphql === false ? null : createDirectGraphql(yoga, schema, limits);
  const graphqlAnswers = { direct: 0, yoga: 0 };

  /** The request's context, its viewer resolved as of now (for a body, once it has arrived). */
  function contextFor(req: IncomingMessage, ip: string): RequestContext {
    const secret = bearer(req);
    const cache = cacheAt(db);
    const resolve = (at: CacheView) => (secret ? resolveBearer(db, secret, at) : null);
    return new RequestContext(services, resolve(cache), ip, cache, resolve);
  }

  /** 429 to a principal over its rate, answered here; false when the request may go on. */
  function principalLimited(res: ServerResponse, rc: RequestContext): boolean {
    const wait = rc.viewer ? principalLimiter.hit(rc.viewer.key) : 0;
    if (wait) graphqlError(res, 429, 'RATE_LIMITED', `too many requests for this account; retry in ${wait} s`, { retryAfter: wait }, { 'retry-after': String(wait) });
    return wait > 0;
  }

  /**
   * The viewer is resolved once, when the body has arrived, not also at the headers: each
   * resolution reads the cache generation, a statement whose WAL read locks cost two system
   * calls (more than a `{ __typename }` request's resolvers); the principal's rate is counted then.
   */
  async function handleGraphql(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (req.method !== 'POST') return graphqlError(res, 405, 'VALIDATION_FAILED', 'use POST /graphql with a JSON body', {}, { allow: 'POST' });
    // JSON only: a form or text/plain POST is one a web page may send anywhere without a
    // preflight, and yoga would run the mutation in it.
    const contentType = req.headers['content-type']?.split(',')[0];
    if (contentType !== 'application/json' && !contentType?.startsWith('application/json;')) {
      return graphqlError(res, 415, 'VALIDATION_FAILED', 'send GraphQL requests as POST with content-type application/json', {}, { accept: 'application/json' });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) return graphqlError(res, 413, 'VALIDATION_FAILED', `request body over ${limits.maxBodyBytes} bytes`);
    const body = await readBody(req, limits.maxBodyBytes);
    if (!body) return graphqlError(res, 413, 'VALIDATION_FAILED', `request body over ${limits.maxBodyBytes} bytes`);
    // Who is asking, as of now: the body may have taken minutes to arrive, and a token revoked,
    // a session ended or a role changed meanwhile must not run with what it had at the headers.
    const rc = contextFor(req, ip);
    if (principalLimited(res, rc)) return;
    const answer = direct && (await direct.answer(body, req.headers, rc));
    if (answer) {
      graphqlAnswers.direct++;
      res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers });
      res.end(answer.body);
      return;
    }
    graphqlAnswers.yoga++;
    // yoga's own fetch classes (its light ponyfill), not the platform's: building an undici
    // Request cost more per call than most resolvers do (profile of the 50-client bench).
    const headers = new yoga.fetchAPI.Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await yoga.fetch(new yoga.fetchAPI.Request(`${services.origin}/graphql`, { method: 'POST', headers, body: new Uint8Array(body) }), { rc });
    const out: Record<string, string> = { ...SECURITY_HEADERS };
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, rc: RequestContext, slotId: string): Promise<void> {
    if (req.method !== 'PUT') return sendJson(res, 405, { error: 'use PUT' }, { allow: 'PUT' });
    if (!rc.viewer) return sendJson(res, 401, { error: 'sign in first: no valid session or API token was given' });
    if (rc.viewer.needsTwoFactor) return sendJson(res, 403, { error: 'this project requires two-factor authentication of the uploader', code: 'TWO_FACTOR_REQUIRED' });
    const slot = db.prepare('SELECT * FROM upload_slots WHERE id = ?').get(slotId) as SlotRow | undefined;
    if (!slot || slot.project_id !== rc.viewer.projectId) return sendJson(res, 404, { error: 'upload slot not found' });
    if (slot.principal_key !== rc.viewer.key) return sendJson(res, 403, { error: 'this upload slot belongs to another principal' });
    if (slot.expires_at <= nowIso() && !slot.asset_id) return sendJson(res, 404, { error: 'upload slot expired; create a new one' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxUploadBytes) return sendJson(res, 413, { error: `file over the ${limits.maxUploadBytes} byte limit` });
    let got: Awaited<ReturnType<FileStore['receive']>>;
    try {
      got = await files.receive(req, Math.min(slot.size, limits.maxUploadBytes));
    } catch (e) {
      // The uploader went away mid-body: nobody is left to answer, and receive cleaned up.
      if (req.destroyed && !req.complete) return void res.destroy();
      throw e;
    }
    // As for GraphQL: the uploader's rights as of the end of the body, not of its headers.
    rc = contextFor(req, rc.ip);
    if (!rc.viewer || rc.viewer.needsTwoFactor || rc.viewer.key !== slot.principal_key) {
      files.discard(got.tmp);
      return sendJson(res, 401, { error: 'sign in first: the session or API token that began this upload is no longer valid' });
    }
    try {
      if (got.overLimit) {
        if (got.size > limits.maxUploadBytes) return sendJson(res, 413, { error: `file over the ${limits.maxUploadBytes} byte limit` });
        return sendJson(res, 400, { error: `size mismatch: more than the ${slot.size} bytes announced` });
      }
      if (got.size !== slot.size) return sendJson(res, 400, { error: `size mismatch: got ${got.size} bytes, announced ${slot.size}` });
      if (got.sha256 !== slot.sha256) return sendJson(res, 400, { error: `sha256 mismatch: got ${got.sha256}, announced ${slot.sha256}` });
      const problem = await sniffProblem({ head: got.head, path: got.tmp }, slot.mime_type);
      if (problem) return sendJson(res, 400, { error: problem });
      const asset = completeSlot(rc, slot, await imageSize(got.tmp, slot.mime_type));
      files.commit(got.tmp, got.sha256);
      return sendJson(res, 201, asset);
    } catch (e) {
      if (e instanceof GraphQLError) {
        const code = e.extensions['code'];
        return sendJson(res, code === 'FORBIDDEN' ? 403 : code === 'NOT_FOUND' ? 404 : 400, { error: e.message, code });
      }
      throw e;
    } finally {
      files.discard(got.tmp);
    }
  }

  const server = https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, (req, res) => {
    void (async () => {
      const ip = req.socket.remoteAddress ?? 'unknown';
      const ipWait = ipLimiter.hit(ip);
      if (ipWait) return graphqlError(res, 429, 'RATE_LIMITED', `too many requests; retry in ${ipWait} s`, { retryAfter: ipWait }, { 'retry-after': String(ipWait) });
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      if (path === '/graphql') return handleGraphql(req, res, ip);
      const secret = bearer(req);
      const rc = contextFor(req, ip);
      if (principalLimited(res, rc)) return;
      if (path === '/sync/snapshot') return handleSnapshot(req, res, rc, db, secret, SECURITY_HEADERS);
      const upload = /^\/uploads\/([A-Za-z0-9-]{1,64})$/.exec(path);
      if (upload) return handleUpload(req, res, rc, upload[1]!);
      const assetBytes = ASSET_PATH.exec(path);
      if (assetBytes) return handleAssetBytes(req.method, req.headers['if-none-match'], res, rc, files, thumbs, assetBytes);
      if (path === '/healthz') return sendJson(res, 200, { ok: true });
      return sendJson(res, 404, { error: 'not found' });
    })().catch((err: unknown) => {
      console.error('inkstone-server: request failed', err instanceof Error ? err.message : err);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  services.origin = `https://${urlHost}:${port}`;

  return {
    url: `${services.origin}/graphql`,
    origin: services.origin,
    caPath: tls.caPath,
    ca: tls.ca,
    port,
    db,
    graphqlAnswers,
    commitGroups: services.commits.stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          void Promise.all([checkpointer.stop(), services.commits.drain()]).then(() => {
            db.close();
            resolve();
          });
        });
      }),
  };
}
