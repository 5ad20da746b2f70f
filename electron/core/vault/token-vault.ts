import { AsyncEntry } from '@napi-rs/keyring';

/** Where secrets live: the OS keychain. Nothing else in the app may hold a token at rest. */
export interface TokenVault {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const VAULT_SERVICE = 'Inkstone';

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `The OS keychain is not available (${detail}). Inkstone keeps your sign-in only in the keychain and never in a file. ` +
        'On Linux, install and unlock a Secret Service keyring (e.g. gnome-keyring) in your desktop session; ' +
        'on macOS and Windows the system keychain is used and must be unlocked.',
    );
    this.name = 'KeychainUnavailableError';
  }
}

/**
 * The OS keychain through @napi-rs/keyring (macOS Keychain, Windows Credential Manager, the
 * Secret Service on Linux), with keytar's service/account layout. On Linux the Secret Service
 * is required: the library would otherwise fall back to the kernel keyring, which lives in
 * memory and is gone after a reboot, so a sign-in would vanish without a word. Never a file.
 */
export class OsKeychainVault implements TokenVault {
  // An entry holds its own connection to the keychain: a new one per call costs ~14 ms on
  // Linux, a kept one ~1 ms. A failed call drops it and tries once more on a fresh one, so a
  // restarted keyring daemon is reconnected to.
  private readonly entries = new Map<string, AsyncEntry>();

  constructor(private readonly service = VAULT_SERVICE) {}

  private entry(account: string): AsyncEntry {
    let e = this.entries.get(account);
    if (!e) {
      e = new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
      this.entries.set(account, e);
    }
    return e;
  }

  private async guard<T>(account: string, op: (e: AsyncEntry) => Promise<T>): Promise<T> {
    try {
      return await op(this.entry(account));
    } catch {
      this.entries.delete(account);
      try {
        return await op(this.entry(account));
      } catch (e) {
        this.entries.delete(account);
        throw new KeychainUnavailableError(e);
      }
    }
  }

  get(account: string): Promise<string | null> {
    return this.guard(account, (e) => e.getPassword());
  }
  set(account: string, secret: string): Promise<void> {
    return this.guard(account, (e) => e.setPassword(secret));
  }
  delete(account: string): Promise<boolean> {
    return this.guard(account, (e) => e.deletePassword());
  }
}

/** Keychain account names: one per server origin and user, so accounts never share a secret. */
export const tokenAccount = (origin: string, userId: string): string => `token:${origin}|${userId}`;
export const cacheKeyAccount = (origin: string, projectId: string, userId: string): string => `cache-key:${origin}|${projectId}|${userId}`;
