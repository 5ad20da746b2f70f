import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEMO_USERS } from '../../server/demo/seed';
import { dastToText, isDastDocument } from '../../shared/domain';
import { startTestServer, cmid, type TestClient, type TestServer } from '../support/server';
import { newDataDir, openCore, signIn } from '../support/core';

/**
 * SIGKILL the core at random moments of push and pull, many times. After each kill the cache
 * must open, every acknowledged edit must be there, and in the end the server must hold each
 * created record once.
 */
const RUNS = 50;
let ts: TestServer;
let admin: TestClient;
beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
});
afterAll(async () => ts.stop());

/** `run-R` or `run-R-step-S` as a number that grows with every write the children make. */
const order = (v: string): number => {
  const m = /^run-(\d+)(?:-step-(\d+))?$/.exec(v);
  return m ? Number(m[1]) * 100 + Number(m[2] ?? 0) : -1;
};

function runChild(dataDir: string, run: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fault/crash-child.ts', dataDir, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(l);
      if (l === 'READY') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('close', () => resolve(lines));
  });
}

describe('crash safety', () => {
  it(`${RUNS} SIGKILLs during edits, pushes and pulls lose no acknowledged edit and duplicate nothing`, { timeout: 400_000 }, async () => {
    const dataDir = newDataDir();
    const setup = await openCore(dataDir);
    await signIn(setup, ts.server, DEMO_USERS.editor);
    await setup.close();

    const created = new Set<string>();
    const lastEdit = new Map<string, string>();
    let killedMidway = 0;
    for (let run = 0; run < RUNS; run++) {
      // Something for the next pull to bring.
      const id = `article-${String((run % 30) + 1).padStart(2, '0')}`;
      const v = (await admin.ok<{ record: { version: number } }>('query($id: ID!) { record(environment: "main", id: $id) { version } }', { id })).record.version;
      await admin.gql('mutation($id: ID!, $v: Int!, $c: ID!, $s: String!) { updateRecord(environment: "main", id: $id, baseVersion: $v, values: { slug: $s }, clientMutationId: $c) { id } }', {
        id,
        v,
        c: cmid(),
        s: `server-${run}`,
      });

      const lines = await runChild(dataDir, run, 30 + Math.floor(Math.random() * 900));
      if (!lines.includes('DONE')) killedMidway++;
      for (const l of lines) {
        const [tag, kind, a, b] = l.split(' ');
        if (tag !== 'ACK') continue;
        if (kind === 'create') created.add(a!);
        else lastEdit.set(`${a}|${kind === 'edit' ? 'bio.en' : 'body.de'}`, b!);
      }

      const core = await openCore(dataDir);
      for (const [key, value] of lastEdit) {
        const [rid, cell] = key.split('|') as [string, string];
        const [field, locale] = cell.split('.') as [string, string];
        const values = core.record('main', rid).values as Record<string, Record<string, unknown>>;
        // The body is structured text: its one paragraph carries the marker.
        const text = (v: unknown): string => (isDastDocument(v) ? dastToText(v) : typeof v === 'string' ? v : '');
        // The acknowledged value, or a later write to the same cell whose ACK the kill cut off.
        expect(order(text(values[field]?.[locale])), `${key} after run ${run}: ${text(values[field]?.[locale])} vs acked ${value}`).toBeGreaterThanOrEqual(order(value));
      }
      for (const c of created) expect(core.record('main', c).id).toBe(c);
      await core.close();
    }
    expect(killedMidway).toBeGreaterThan(RUNS / 2);

    const core = await openCore(dataDir);
    for (let i = 0; i < 5 && Object.values(core.status().environments).some((e) => e.pending > 0); i++) await core.sync();
    expect(core.status().environments['main']).toMatchObject({ pending: 0, problems: [] });
    await core.close();

    const all = await admin.ok<{ records: { nodes: { id: string; values: { name: string } }[] } }>('{ records(environment: "main", model: "author", first: 500) { nodes { id values } } }');
    for (const c of created) expect(all.records.nodes.filter((n) => n.values.name === c), c).toHaveLength(1);
    // No duplicates at all; a create whose ACK the kill cut off may land too (it was durable), never twice.
    const names = all.records.nodes.map((n) => n.values.name).filter((n) => n.startsWith('crash-'));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(created.size);
  });
});
