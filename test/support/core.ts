import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InkstoneCore } from '../../electron/core/core';
import { KeytarVault } from '../../electron/core/vault/token-vault';
import { UntrustedCertificateError } from '../../electron/core/api/errors';
import { DEMO_PASSWORD } from '../../server/demo/seed';
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
