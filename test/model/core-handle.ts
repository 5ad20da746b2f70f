import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InkstoneCore } from '../../electron/core/core';
import { dispatch } from '../../electron/core/bridge/dispatch';
import { OsKeychainVault } from '../../electron/core/vault/token-vault';
import type { Channel, Envelope, Input, IpcError, Output } from '../../shared/ipc/contract';
import { DEMO_PASSWORD } from '../../server/demo/seed';

/** Quick retries: a cut connection is seen at once, and a sequence must not wait on backoff. */
export const CORE_API = { attempts: 2, backoffMs: 10, timeoutMs: 5_000 };

export class Refused extends Error {
  constructor(
    readonly channel: string,
    readonly error: IpcError,
  ) {
    super(`${channel} refused: ${error.code}: ${error.message}`);
    this.name = 'Refused';
  }
}

export function openCore(dataDir: string): Promise<InkstoneCore> {
  return InkstoneCore.open({ dataDir, vault: new OsKeychainVault(), api: CORE_API });
}

/**
 * The desktop core as the app drives it: every call goes through the bridge's dispatch
 * (validated input, typed output, error codes), the same entry Electron and the browser host
 * use. The core lives in this process; it can be closed and reopened over its data dir.
 */
export class CoreHandle {
  private constructor(
    readonly dataDir: string,
    private core: InkstoneCore | null,
  ) {}

  /** A new data dir, signed in the way a user does (the first attempt stops at the unknown certificate, which the user trusts). */
  static async signIn(url: string, email: string): Promise<CoreHandle> {
    const dataDir = mkdtempSync(join(tmpdir(), 'inkstone-model-core-'));
    const h = new CoreHandle(dataDir, await openCore(dataDir));
    const login = { url, email, password: DEMO_PASSWORD };
    const first = await h.envelope('session.login', login);
    if (!first.ok) {
      if (first.error.code !== 'TLS_UNTRUSTED' || !first.error.details?.['fingerprint']) throw new Refused('session.login', first.error);
      await h.call('server.trust', { url, fingerprint: first.error.details['fingerprint'] });
      await h.call('session.login', login);
    }
    return h;
  }

  static async open(dataDir: string): Promise<CoreHandle> {
    return new CoreHandle(dataDir, await openCore(dataDir));
  }

  get isOpen(): boolean {
    return this.core !== null;
  }

  async envelope<C extends Channel>(channel: C, input: Input<C>): Promise<Envelope<Output<C>>> {
    if (!this.core) throw new Error('the core is closed');
    return (await dispatch(this.core, channel, input)) as Envelope<Output<C>>;
  }

  async call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    const r = await this.envelope(channel, input);
    if (!r.ok) throw new Refused(channel, r.error);
    return r.value;
  }

  /** A file as the renderer sends it: begin, chunks (never one message), commit. Returns the upload's id. */
  async upload(folder: string, filename: string, mimeType: string, bytes: Buffer, chunk = 64 * 1024): Promise<string> {
    const { id } = await this.call('uploads.begin', { env: 'main', folder, filename, mimeType, size: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      await this.call('uploads.chunk', { id, offset, dataBase64: bytes.subarray(offset, offset + chunk).toString('base64') });
    }
    return (await this.call('uploads.commit', { id })).id;
  }

  async close(): Promise<void> {
    await this.core?.close();
    this.core = null;
  }

  async reopen(): Promise<void> {
    await this.close();
    this.core = await openCore(this.dataDir);
  }

  async dispose(): Promise<void> {
    await this.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
