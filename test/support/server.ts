import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../server/store/data-dir';
import { Agent, request } from 'undici';
import { startServer, type RunningServer } from '../../server/http/server';
import type { ServerLimits } from '../../server/context';
import { DEMO_PASSWORD } from '../../server/demo/seed';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; extensions: Record<string, unknown> & { code?: string } }[] | undefined;
}

/** A GraphQL client over real HTTPS that trusts only the test server's CA. */
export class TestClient {
  readonly agent: Agent;
  constructor(
    readonly server: RunningServer,
    readonly token: string | null = null,
  ) {
    this.agent = new Agent({ connect: { ca: server.ca }, connections: 16 });
  }

  as(token: string | null): TestClient {
    return new TestClient(this.server, token);
  }

  async gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
    const res = await request(this.server.url, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    const json = JSON.parse(text) as { data?: T | null; errors?: GqlResult['errors'] };
    return { status: res.statusCode, data: json.data ?? null, errors: json.errors };
  }

  /** The data, or a thrown error naming the GraphQL errors. */
  async ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length || !r.data) throw new Error(`GraphQL failed: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** The error code of a call that must fail. */
  async code(query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
    const r = await this.gql(query, variables);
    return r.errors?.[0]?.extensions.code;
  }

  async login(email: string, password = DEMO_PASSWORD, otp?: string): Promise<TestClient> {
    const d = await this.as(null).ok<{ login: { token: string } }>(
      'mutation($e: String!, $p: String!, $o: String) { login(email: $e, password: $p, otp: $o) { token } }',
      { e: email, p: password, o: otp ?? null },
    );
    return this.as(d.login.token);
  }
}

export interface TestServer {
  server: RunningServer;
  client: TestClient;
  dir: string;
  stop(): Promise<void>;
}

/** Inkstone Server with the demo project, on 127.0.0.1 and a port chosen at run time. */
export async function startTestServer(limits: Partial<ServerLimits> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-server-'));
  const server = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, limits });
  const client = new TestClient(server);
  return {
    server,
    client,
    dir,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Another SQLite connection to a running test server's database, as an operator's script or a
 * second process would write it: for checks that no write goes unnoticed by the server's caches.
 */
export function openBehindServer(ts: TestServer): Database.Database {
  const db = new Database(join(ts.dir, DATABASE_FILE));
  db.pragma('busy_timeout = 5000');
  return db;
}

let seq = 0;
export const cmid = (label = 'm'): string => `${label}-${process.pid}-${Date.now()}-${seq++}`;
