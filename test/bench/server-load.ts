import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnServer } from './project';
import { Agent, request } from 'undici';
import { fmt, percentile } from './stats';
import { verdict } from './verdict';

export interface LoadOptions {
  /** Concurrent clients of each run: the first is held to DESIGN §8's targets, the others to 0 errors. */
  clients: number[];
  seconds: number;
}

async function gql(agent: Agent, url: string, token: string | null, query: string, variables: Record<string, unknown> = {}) {
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  return { status: res.statusCode, body };
}

/** CPU time (ms) the process has used so far, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime + stime, in clock ticks of 1/100 s (USER_HZ on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Runs `work` from `clients` concurrent loops for `seconds`; returns latencies (ms) and error count. */
async function drive(clients: number, seconds: number, work: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await work(i).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  return { latencies, errors, rps: latencies.length / seconds };
}

/**
 * Load before each measured phase, not counted: the first seconds of a fresh process are spent
 * by V8 compiling the GraphQL stack (a profile of a cold 10 s run: ~19% of the server's CPU in
 * the optimizing compiler, none after ~20 s); a server lives warm, so the figures are the warm ones.
 */
const WARM_UP_SECONDS = 5;

/** The GraphQL floor (graphql-floor-server.ts) in its own process, for `use`. */
async function withGraphqlFloor<T>(use: (floor: { url: string; ca: string; pid: number | undefined }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-bench-floor-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/graphql-floor-server.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`GraphQL floor server exited with ${code}`)));
    });
    const ready = JSON.parse(line) as { url: string; ca: string };
    return await use({ url: ready.url, ca: readFileSync(ready.ca, 'utf8'), pid: child.pid });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `{ __typename }` from `count` clients against the bare yoga floor: requests/s and its CPU per request. */
async function graphqlFloor(count: number, seconds: number): Promise<{ rps: number; cpuPerRequest: number | null }> {
  return withGraphqlFloor(async (floor) => {
    const agents = Array.from({ length: count }, () => new Agent({ connect: { ca: floor.ca }, connections: 1 }));
    const ask = async (i: number) => (await gql(agents[i]!, floor.url, null, '{ __typename }')).status === 200;
    await drive(count, WARM_UP_SECONDS, ask);
    const cpu0 = cpuMs(floor.pid);
    const run = await drive(count, seconds, ask);
    const cpu1 = cpuMs(floor.pid);
    await Promise.all(agents.map((a) => a.close()));
    return { rps: run.rps, cpuPerRequest: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / run.latencies.length : null };
  });
}

export async function serverLoad(opts: LoadOptions): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-bench-'));
  const srv = await spawnServer(dir);
  try {
    const setupAgent = new Agent({ connect: { ca: srv.ca } });
    const login = await gql(setupAgent, srv.url, null, 'mutation { login(email: "admin@demo.test", password: "Demo-pass-1") { token } }');
    const adminToken = (login.body.data!['login'] as { token: string }).token;
    // One full-access token and one record per client: each client is its own principal.
    const clients: { token: string; record: string; version: number; cursor: string | null; agent: Agent }[] = [];
    for (let i = 0; i < Math.max(...opts.clients); i++) {
      const t = await gql(setupAgent, srv.url, adminToken, 'mutation($n: String!) { createApiToken(name: $n, scope: { kind: "full_access" }) { token } }', { n: `bench-${i}` });
      const token = (t.body.data!['createApiToken'] as { token: string }).token;
      const r = await gql(setupAgent, srv.url, token, 'mutation($c: ID!) { createRecord(environment: "main", model: "author", values: { name: "Bench" }, clientMutationId: $c) { id } }', {
        c: `bench-setup-${i}`,
      });
      clients.push({ token, record: (r.body.data!['createRecord'] as { id: string }).id, version: 1, cursor: null, agent: new Agent({ connect: { ca: srv.ca }, connections: 1 }) });
    }
    await setupAgent.close();

    const lines: string[] = [];
    let n = 0;
    for (const [k, count] of opts.clients.entries()) {
      // The ceiling: the same clients over the same TLS connections, asking for nothing.
      const healthz = async (i: number) => {
        const res = await request(`${new URL(srv.url).origin}/healthz`, { dispatcher: clients[i]!.agent });
        await res.body.dump();
        return res.statusCode === 200;
      };
      await drive(count, WARM_UP_SECONDS, healthz);
      const limit = await drive(count, Math.min(10, opts.seconds), healthz);
      const floor = k === 0 ? await graphqlFloor(count, Math.min(10, opts.seconds)) : null;
      const content = async (i: number) => {
        const c = clients[i]!;
        if (n++ % 2 === 0) {
          const res = await gql(c.agent, srv.url, c.token, 'mutation($id: ID!, $v: Int!, $b: JSON!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: $b, clientMutationId: $c) { version } }', {
            id: c.record,
            v: c.version,
            b: { bio: { en: `edit ${n}` } },
            c: `bench-${i}-${n}`,
          });
          const version = (res.body.data?.['updateRecord'] as { version: number } | undefined)?.version;
          if (version) c.version = version;
          return res.status === 200 && version !== undefined;
        }
        const res = await gql(c.agent, srv.url, c.token, 'query($s: String) { changes(environment: "main", since: $s, limit: 500) { changes { seq kind recordId record { id version values } } nextCursor hasMore } }', {
          s: c.cursor,
        });
        const page = res.body.data?.['changes'] as { nextCursor: string } | undefined;
        if (page) c.cursor = page.nextCursor;
        return res.status === 200 && page !== undefined;
      };
      const warm = await drive(count, WARM_UP_SECONDS, content);
      const cpu0 = cpuMs(srv.child.pid);
      const load = await drive(count, opts.seconds, content);
      const cpu1 = cpuMs(srv.child.pid);
      const ratio = load.rps / limit.rps;
      const p99 = percentile(load.latencies, 99);
      lines.push(
        `server, ${count} concurrent clients, ${opts.seconds} s after ${WARM_UP_SECONDS} s of the same load (${warm.errors} errors in it), half updateRecord / half changes(since):`,
        k === 0
          ? `  throughput ${fmt(load.rps, 0)} req/s = ${fmt(ratio, 2)}× /healthz (target ≥ 0.3×) ${verdict(ratio >= 0.3)}; p50 ${fmt(percentile(load.latencies, 50))} ms, p99 ${fmt(p99)} ms (target ≤ 60 ms) ${verdict(p99 <= 60)}; errors ${load.errors} of ${load.latencies.length} (target 0) ${verdict(load.errors === 0)}`
          : `  throughput ${fmt(load.rps, 0)} req/s = ${fmt(ratio, 2)}× /healthz; p50 ${fmt(percentile(load.latencies, 50))} ms, p99 ${fmt(p99)} ms; errors ${load.errors} of ${load.latencies.length} (target 0) ${verdict(load.errors === 0)}`,
        `  limit: the same clients on GET /healthz over the same TLS connections: ${fmt(limit.rps, 0)} req/s; p50 ${fmt(percentile(limit.latencies, 50))} ms, p99 ${fmt(percentile(limit.latencies, 99))} ms`,
      );
      if (floor) {
        lines.push(
          `  GraphQL floor: a bare graphql-yoga (one-field schema, no plugins, no auth, no database) answering { __typename } to the same clients over the same TLS: ${fmt(floor.rps, 0)} req/s = ${fmt(floor.rps / limit.rps, 2)}× /healthz${floor.cpuPerRequest === null ? '' : `, ${fmt(floor.cpuPerRequest, 3)} ms CPU per request`}; the content path is ${fmt(load.rps / floor.rps, 2)}× the floor`,
        );
      }
      // Less sensitive to a busy machine than throughput: what one request cost the server.
      if (cpu0 !== null && cpu1 !== null) lines.push(`  server process CPU: ${fmt((cpu1 - cpu0) / load.latencies.length, 3)} ms per request (${fmt((cpu1 - cpu0) / 1000 / opts.seconds, 2)} cores busy)`);
    }
    await Promise.all(clients.map((c) => c.agent.close()));
    return lines;
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
