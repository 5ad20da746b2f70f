import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { bundleChild } from '../support/bundle-child';
import { Agent, request } from 'undici';
import { generateProject, spawnServer, type SpawnedServer } from './project';
import { signedInCore } from './core-measure';
import { fmt, percentile } from './stats';
import { verdict } from './verdict';

/** `count` server-side edits through the API, as another editor would make them. */
async function remoteEdits(srv: SpawnedServer, count: number, ids: string[]): Promise<void> {
  const agent = new Agent({ connect: { ca: srv.ca } });
  const gql = async (query: string, variables: object, token?: string) => {
    const res = await request(srv.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
    return (await res.body.json()) as { data: Record<string, { token?: string; version?: number }> };
  };
  const token = (await gql('mutation { login(email: "admin@demo.test", password: "Demo-pass-1") { token } }', {})).data['login']!.token!;
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length]!;
    const cur = (await gql('query($id: ID!) { record(environment: "main", id: $id) { version } }', { id }, token)).data['record']!.version!;
    await gql('mutation($id: ID!, $v: Int!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { slug: $c }, clientMutationId: $c) { version } }', { id, v: cur, c: `bench-${Date.now()}-${i}` }, token);
  }
  await agent.close();
}

/** Rounds of the incremental figure at each size: its two sides are ~40-60 ms each. */
const ROUNDS = 12;

interface Side {
  srv: SpawnedServer;
  n: number;
  core: Awaited<ReturnType<typeof signedInCore>>['core'];
  times: number[];
}

/** One sync that brings 100 remote changes to `side`'s core, timed. */
async function incrementalRound(side: Side): Promise<void> {
  await remoteEdits(side.srv, 100, Array.from({ length: 100 }, (_, i) => `gen-${String(i * Math.floor(side.n / 100)).padStart(6, '0')}`));
  const t0 = performance.now();
  const r = await side.core.sync();
  side.times.push(performance.now() - t0);
  if (r.pulled < 100) throw new Error(`expected 100 changes, pulled ${r.pulled}`);
}

/**
 * The incremental sync at two sizes, measured at the same moments: rounds alternate between the
 * sizes, big first in one pair and small first in the next (ABBA). Run one size after the other,
 * the two medians compared this VM's drift over minutes (1.29 in one run where a 12-round
 * scratch run of the same syncs gave 1.02).
 */
async function incremental(big: Pick<Side, 'srv' | 'n'>, small: Pick<Side, 'srv' | 'n'>): Promise<{ big: number[]; small: number[] }> {
  const open = async (s: Pick<Side, 'srv' | 'n'>) => ({ ...s, ...(await signedInCore(s.srv)), times: [] as number[] });
  const sides = [await open(big), await open(small)];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await incrementalRound(side);
    }
    return { big: sides[0]!.times, small: sides[1]!.times };
  } finally {
    for (const side of sides) {
      await side.core.close();
      rmSync(side.dataDir, { recursive: true, force: true });
    }
  }
}

/** The child, bundled as scripts/build.mjs bundles main: CommonJS for Node 20, native modules external. */
function bundleCoreChild(): Promise<string> {
  return bundleChild('test/bench/core-child.ts', 'dist/bench/core-child.cjs');
}

/** A generated project of `n` records on its own server, for `use`. */
async function withProject<T>(n: number, use: (srv: SpawnedServer) => Promise<T>): Promise<T> {
  const dir = await generateProject(n);
  const srv = await spawnServer(dir);
  try {
    return await use(srv);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For each size: the core child's figures (initial sync against the raw insert, autosave,
 * list/search, RSS); on the largest, the incremental sync, against the same at 1,000 records.
 */
export async function coreSync(opts: { records: number[] }): Promise<string[]> {
  const lines: string[] = [];
  const sizes = [...opts.records].sort((a, b) => a - b);
  const largest = sizes.at(-1)!;
  const t0 = performance.now();
  let bigTimes: number[] = [];
  let smallTimes: number[] = [];
  for (const n of sizes) {
    await withProject(n, async (srv) => {
      const child = spawn(process.execPath, [await bundleCoreChild(), srv.url, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      if (code !== 0) throw new Error(`core bench child failed (${code})`);
      lines.push(...out.trimEnd().split('\n'));
      if (n === largest) {
        // The 1,000-record side on a server of its own, up beside this one for the pairs.
        ({ big: bigTimes, small: smallTimes } = await withProject(1000, (small) => incremental({ srv, n }, { srv: small, n: 1000 })));
      }
    });
  }
  const big = percentile(bigTimes, 50);
  const small = percentile(smallTimes, 50);
  const range = (t: number[]) => `${fmt(Math.min(...t), 0)}–${fmt(Math.max(...t), 0)}`;
  lines.push(
    `  incremental sync of 100 remote changes (median of ${ROUNDS} at each size, the sizes alternating ABBA): at ${largest} records ${fmt(big, 0)} ms (${range(bigTimes)}), at 1000 records ${fmt(small, 0)} ms (${range(smallTimes)}); ratio ${fmt(big / small, 2)} (target ≤ 1.2) ${verdict(big / small <= 1.2)}`,
    `  (core section: ${fmt((performance.now() - t0) / 1000, 0)} s)`,
  );
  return lines;
}
