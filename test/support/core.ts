import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InkstoneCore } from '../../electron/core/core';
import { KeytarVault } from '../../electron/core/vault/token-vault';
import { UntrustedCertificateError } from '../../electron/core/api/errors';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/demo/seed';
import { startTestServer, type TestClient, type TestServer } from './server';
import type { RunningServer } from '../../server/http/server';

export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'inkstone-core-'));

/** A core on a real data dir with the real OS keychain; quick retries so offline tests stay short. */
export function openCore(dataDir = newDataDir()): Promise<InkstoneCore> {
  return InkstoneCore.open({ dataDir, vault: new KeytarVault(), api: { attempts: 2, backoffMs: 20, timeoutMs: 5_000 } });
}

/** Signs in the way a user does: the first attempt stops at the unknown certificate, the user confirms its fingerprint. */
export async function signIn(core: InkstoneCore, server: RunningServer, email: string, password = DEMO_PASSWORD): Promise<void> {
  try {
    await core.login({ url: server.url, email, password });
  } catch (e) {
    if (!(e instanceof UntrustedCertificateError)) throw e;
    const seen = await core.checkServer(server.url);
    if (seen.fingerprint !== e.fingerprint) throw new Error('fingerprint changed between probe and login');
    core.trustServer(server.url, e.fingerprint, e.subject);
    await core.login({ url: server.url, email, password });
  }
}

/**
 * A test server with the demo project for a suite, an admin client on it, and cores signed in
 * as demo users (each with its own data dir), all closed after the suite.
 */
export function serverWithCores() {
  let ts: TestServer | null = null;
  let admin: TestClient | null = null;
  const cores: InkstoneCore[] = [];
  beforeAll(async () => {
    ts = await startTestServer();
    admin = await ts.client.login(DEMO_USERS.admin);
  });
  afterAll(async () => {
    for (const c of cores) await c.close();
    await ts?.stop();
  });
  return {
    get ts(): TestServer {
      return ts!;
    },
    get admin(): TestClient {
      return admin!;
    },
    async coreFor(email: string): Promise<InkstoneCore> {
      const core = await openCore();
      cores.push(core);
      await signIn(core, ts!.server, email);
      return core;
    },
  };
}
