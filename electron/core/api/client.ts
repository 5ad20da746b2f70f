import { ClientError, GraphQLClient } from 'graphql-request';
import { Agent, fetch as undiciFetch, request } from 'undici';
import { Transform, type Readable } from 'node:stream';
import { isErrorCode } from '../../../shared/errors';
import type { AssetNode } from '../../../shared/api/operations';
import type { KnownHosts } from './known-hosts';
import { pinnedConnector } from './tls';
import { ApiError } from './errors';

export interface ApiClientOptions {
  /** `https://host:port/graphql`; anything but https is refused before a socket opens. */
  url: string;
  knownHosts: KnownHosts;
  /** Reads the bearer token for each request (from the vault); null when signed out. */
  token: () => Promise<string | null>;
  timeoutMs?: number;
  /** Attempts for network errors and RATE_LIMITED, with exponential backoff. */
  attempts?: number;
  /** Base backoff, ms. */
  backoffMs?: number;
}

export function assertHttpsUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ApiError('INSECURE_URL', `"${url}" is not a URL; give the server address as https://host:port/graphql`);
  }
  if (u.protocol !== 'https:') throw new ApiError('INSECURE_URL', `Inkstone only talks to servers over HTTPS; "${url}" is ${u.protocol.replace(':', '')}.`);
  if (u.username || u.password) throw new ApiError('INSECURE_URL', 'the server address must not carry a user name or password');
  return u;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The TLS-only GraphQL client of the desktop core: pinned trust, no redirects, timeouts, retries. */
export class ApiClient {
  readonly url: URL;
  readonly origin: string;
  private readonly agent: Agent;
  private readonly gql: GraphQLClient;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly opts: ApiClientOptions) {
    this.url = assertHttpsUrl(opts.url);
    this.origin = this.url.origin;
    const timeout = opts.timeoutMs ?? 30_000;
    this.attempts = opts.attempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 250;
    this.agent = new Agent({ connect: pinnedConnector(this.origin, opts.knownHosts, timeout), headersTimeout: timeout, bodyTimeout: timeout });
    const agent = this.agent;
    const origin = this.origin;
    this.gql = new GraphQLClient(this.url.href, {
      fetch: (async (input: string | URL, init?: RequestInit) => {
        const res = await undiciFetch(input, { ...(init as object), dispatcher: agent, redirect: 'manual' });
        if (res.status >= 300 && res.status < 400) {
          const to = res.headers.get('location') ?? '(no location)';
          throw new ApiError('REDIRECT_REFUSED', `${origin} answered with a redirect to ${to}; Inkstone does not follow redirects.`);
        }
        return res;
      }) as unknown as typeof fetch,
    });
  }

  /** One GraphQL operation; retried on network errors and RATE_LIMITED, never on anything else. */
  async request<T>(document: string, variables: Record<string, unknown> = {}, opts: { auth?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const token = opts.auth === false ? null : await this.opts.token();
        return await this.gql.request<T>(document, variables, token ? { authorization: `Bearer ${token}` } : {});
      } catch (e) {
        const err = toApiError(e, this.origin);
        const retryable = err.code === 'NETWORK' || err.code === 'RATE_LIMITED';
        if (!retryable || attempt >= this.attempts) throw err;
        const hinted = Number(err.extensions['retryAfter']);
        await sleep(Number.isFinite(hinted) && hinted > 0 ? Math.min(hinted, 60) * 1000 : this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }

  /**
   * GET of a streamed answer on the same origin (the sync snapshot), with the bearer token.
   * The status and the body as it arrives; the caller reads it whole or cancels it.
   */
  async stream(path: string, query: Record<string, string>): Promise<{ status: number; body: AsyncIterable<Buffer> & { destroy(): void } }> {
    const u = new URL(path, this.origin);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    const token = await this.opts.token();
    const res = await request(u, { method: 'GET', dispatcher: this.agent, headers: token ? { authorization: `Bearer ${token}` } : {} }).catch((e: unknown) => {
      throw toApiError(e, this.origin);
    });
    return { status: res.statusCode, body: res.body };
  }

  /** PUT of upload bytes to a slot URL on the same origin, with progress. */
  async put(putUrl: string, body: Readable | Buffer, size: number, onProgress?: (sent: number) => void): Promise<AssetNode> {
    const u = assertHttpsUrl(putUrl);
    if (u.origin !== this.origin) throw new ApiError('REDIRECT_REFUSED', `upload URL ${u.origin} is not the server's origin ${this.origin}`);
    const token = await this.opts.token();
    let sent = 0;
    // Counted as the bytes pass through to the socket: a 'data' listener on the file itself would
    // start it flowing before the connection is up, and those bytes would never be sent.
    if (onProgress && !Buffer.isBuffer(body)) {
      body = body.pipe(new Transform({ transform: (c: Buffer, _e, done) => (onProgress((sent += c.length)), done(null, c)) }));
    }
    const res = await request(u, {
      method: 'PUT',
      dispatcher: this.agent,
      headers: { 'content-length': String(size), 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    }).catch((e: unknown) => {
      throw toApiError(e, this.origin);
    });
    const text = await res.body.text();
    if (res.statusCode === 201) {
      if (Buffer.isBuffer(body)) onProgress?.(size);
      return JSON.parse(text) as AssetNode;
    }
    const message = (() => {
      try {
        return (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        return text;
      }
    })();
    const code = res.statusCode === 401 ? 'UNAUTHENTICATED' : res.statusCode === 403 ? 'FORBIDDEN' : res.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
    throw new ApiError(code, `upload refused (${res.statusCode}): ${message}`, { status: res.statusCode });
  }

  /**
   * GET of a byte path on the server's own origin (`/assets/<env>/<id>/thumbnail`), at most
   * `maxBytes`: longer answers are cut off and refused, so a server cannot fill the store.
   * null for 404 and 422 (no such asset for this viewer, or no preview of it).
   */
  async getBytes(path: string, maxBytes: number): Promise<Buffer | null> {
    if (!path.startsWith('/') || path.startsWith('//')) throw new ApiError('INSECURE_URL', `"${path}" is not a path on the server`);
    const u = new URL(path, this.origin);
    const token = await this.opts.token();
    const res = await request(u, { method: 'GET', dispatcher: this.agent, headers: token ? { authorization: `Bearer ${token}` } : {} }).catch((e: unknown) => {
      throw toApiError(e, this.origin);
    });
    if (res.statusCode === 404 || res.statusCode === 422) {
      await res.body.dump();
      return null;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      const code = res.statusCode === 401 ? 'UNAUTHENTICATED' : res.statusCode === 429 ? 'RATE_LIMITED' : res.statusCode === 403 ? 'FORBIDDEN' : 'PROTOCOL';
      throw new ApiError(code, `GET ${u.pathname} answered ${res.statusCode}`, { status: res.statusCode });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new ApiError('PROTOCOL', `GET ${u.pathname} sent more than ${maxBytes} bytes`);
      }
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export function toApiError(e: unknown, origin: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ClientError) {
    const first = e.response.errors?.[0];
    const code = first?.extensions?.['code'];
    if (isErrorCode(code)) return new ApiError(code, first?.message ?? code, first?.extensions ?? {});
    return new ApiError('PROTOCOL', `unexpected answer from ${origin} (HTTP ${e.response.status}): ${first?.message ?? 'no GraphQL data'}`);
  }
  // undici wraps connector errors: find ours in the cause chain.
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof ApiError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ApiError('NETWORK', `cannot reach ${origin}: ${msg}`);
}
