import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';

const dir = mkdtempSync(join(tmpdir(), 'inkstone-cli-'));
let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { encoding: 'utf8' });

describe('npm run server (the CLI of DESIGN §4)', () => {
  it('creates DIR and its TLS material, prints one JSON ready line, and serves the demo over HTTPS', async () => {
    const data = join(dir, 'data');
    child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--data', data, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: child!.stdout! }).once('line', resolve));
    const ready = JSON.parse(line) as { url: string; ca: string };
    expect(Object.keys(ready).sort()).toEqual(['ca', 'url']);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(ready.ca).toBe(join(data, 'tls', 'ca.pem'));
    for (const f of ['ca.pem', 'server.pem', 'server.key']) expect(existsSync(join(data, 'tls', f))).toBe(true);
    const res = await request(ready.url, {
      method: 'POST',
      dispatcher: new Agent({ connect: { ca: readFileSync(ready.ca, 'utf8') } }),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "editor@demo.test", password: "Demo-pass-1") { viewer { role { name } } } }' }),
    });
    expect(await res.body.json()).toEqual({ data: { login: { viewer: { role: { name: 'Editor' } } } } });
    child.kill('SIGTERM');
    // A clean stop: exit 0 once the server (and its database) closed.
    expect(await new Promise((r) => child!.once('exit', (code) => r(code)))).toBe(0);
    child = null;

    const out = join(dir, 'export');
    const exported = cli(['export', '--data', data, '--project', 'demo-magazine', '--out', out]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ out, files: expect.any(Number), records: expect.any(Number) });
    expect(existsSync(join(out, 'project.json'))).toBe(true);
  });

  it('says clearly what is wrong with its arguments', () => {
    const r = cli(['--port', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--data DIR is required');
    const bad = cli(['--data', join(dir, 'x'), '--port', 'abc']);
    expect(bad.stderr).toContain('--port must be a number');
    const weak = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'create-project', '--data', join(dir, 'p'), '--name', 'P', '--admin-email', 'a@b.test'], {
      encoding: 'utf8',
      env: { ...process.env, INKSTONE_ADMIN_PASSWORD: 'weak' },
    });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('admin password must be at least 8 characters');
  });
});
