import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, type TestServer } from '../support/server';
import { newDataDir } from '../support/core';
import { probeCertificate } from '../../electron/core/api/tls';

let ts: TestServer;
const home = newDataDir();
const outputs: string[] = [];
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => ts.stop());

/** Async: the server runs in this process, so the CLI child must not block its event loop. */
function inkstone(args: string[], input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['electron/cli/bin.mjs', ...args], { env: { ...process.env, INKSTONE_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? '');
    child.on('close', (status) => {
      outputs.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('the inkstone CLI', () => {
  it('signs in (confirming the certificate), edits, syncs, reports, and refuses with clear exit codes', async () => {
    const unconfirmed = await inkstone(['login', ts.server.url, DEMO_USERS.translator, '--password-stdin'], 'Demo-pass-1\n');
    expect(unconfirmed.status).toBe(6);
    expect(unconfirmed.stderr).toMatch(/SHA-256 fingerprint is ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    const { fingerprint } = await probeCertificate(ts.server.url);
    const login = await inkstone(['login', ts.server.url, DEMO_USERS.translator, '--password-stdin', '--trust', fingerprint], 'Demo-pass-1\n');
    expect(login.status, login.stderr).toBe(0);
    expect(login.stdout).toContain('Signed in to Demo Magazine as translator.fr@demo.test (French translator)');

    const models = await inkstone(['models']);
    expect(models.stdout).toMatch(/^article\tArticle\ttitle\*, slug, body\*/m);
    const records = await inkstone(['records', 'article', '--search', 'harbour', '--json']);
    expect(JSON.parse(records.stdout).map((r: { id: string }) => r.id)).toEqual(['article-02', 'article-12', 'article-22']);

    const refused = await inkstone(['edit', 'article-02', 'title', '--locale', 'en', 'Harbour!']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/may not edit title\.en/);
    const ok = await inkstone(['edit', 'article-02', 'title', '--locale', 'fr', 'Le port']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Saved on this computer');
    expect((await inkstone(['status'])).stdout).toMatch(/main \(primary\): 1 pending/);
    const sync = await inkstone(['sync']);
    expect(sync.status, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/pushed 1 operations/);
    expect((await inkstone(['status'])).stdout).toMatch(/main \(primary\): 0 pending, 0 refused, 0 conflicts/);
    expect((await inkstone(['problems'])).stdout).toContain('No problems.');
    const exported = await inkstone(['export-drafts', '--out', join(home, 'drafts.json')]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(readFileSync(join(home, 'drafts.json'), 'utf8')).drafts).toEqual([]);
    expect((await inkstone(['frobnicate'])).status).toBe(2);
    expect((await inkstone(['edit', 'article-02'])).status).toBe(2);
  });

  it('never prints or stores the token', async () => {
    const token = readTokenFromKeychain();
    expect(token).toMatch(/^ink_s_/);
    expect(outputs.join('\n')).not.toContain(token);
    const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
    for (const f of walk(home)) expect(readFileSync(f).includes(token), f).toBe(false);
  });
});

function readTokenFromKeychain(): string {
  const account = JSON.parse(readFileSync(join(home, 'account.json'), 'utf8')) as { origin: string; userId: string };
  const r = spawnSync(
    process.execPath,
    ['-e', `require('keytar').getPassword('Inkstone', 'token:${account.origin}|${account.userId}').then((t) => process.stdout.write(t ?? ''))`],
    { encoding: 'utf8' },
  );
  return r.stdout;
}
