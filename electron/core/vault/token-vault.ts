import keytar from 'keytar';

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
        'On Linux, install and unlock a Secret Service keyring (e.g. gnome-keyring with libsecret) in your desktop session; ' +
        'on macOS and Windows the system keychain is used and must be unlocked.',
    );
    this.name = 'KeychainUnavailableError';
  }
}

/** The OS keychain through keytar (Keychain, Credential Vault, Secret Service). Never falls back to plaintext. */
export class KeytarVault implements TokenVault {
  constructor(private readonly service = VAULT_SERVICE) {}

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw new KeychainUnavailableError(e);
    }
  }

  get(account: string): Promise<string | null> {
    return this.guard(() => keytar.getPassword(this.service, account));
  }
  set(account: string, secret: string): Promise<void> {
    return this.guard(() => keytar.setPassword(this.service, account, secret));
  }
  delete(account: string): Promise<boolean> {
    return this.guard(() => keytar.deletePassword(this.service, account));
  }
}

/** Keychain account names: one per server origin and user, so accounts never share a secret. */
export const tokenAccount = (origin: string, userId: string): string => `token:${origin}|${userId}`;
export const cacheKeyAccount = (origin: string, projectId: string, userId: string): string => `cache-key:${origin}|${projectId}|${userId}`;
