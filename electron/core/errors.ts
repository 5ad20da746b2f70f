import type { IpcError, IpcErrorCode } from '../../shared/ipc/contract';
import { ApiError, ChangedCertificateError, UntrustedCertificateError } from './api/errors';
import { KeychainUnavailableError } from './vault/token-vault';

/** The role may not do this: refused before anything is queued. */
export class PermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** The request cannot be done as asked (unknown record, invalid value, conflict unresolved). */
export class InputError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Nobody is signed in, or the server no longer accepts the sign-in. Local edits are kept. */
export class SignedOutError extends Error {
  constructor(message = 'The server no longer accepts this sign-in. Sign in again; your local edits are kept.') {
    super(message);
    this.name = 'SignedOutError';
  }
}

/** The local store cannot be opened with the key in the keychain (missing or wrong). */
export class StoreKeyError extends Error {
  constructor(file: string) {
    super(`The local store ${file} cannot be opened with the key kept in the OS keychain. Its contents cannot be read; sign in again and choose to wipe this computer's copy to start fresh.`);
    this.name = 'StoreKeyError';
  }
}

/** The one error → code table, for the bridge and the CLI alike. */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof UntrustedCertificateError) return { code: 'TLS_UNTRUSTED', message: e.message, details: { fingerprint: e.fingerprint, origin: e.origin } };
  if (e instanceof ChangedCertificateError) return { code: 'TLS_CHANGED', message: e.message, details: { expected: e.expected, actual: e.actual } };
  if (e instanceof PermissionError) return { code: 'PERMISSION', message: e.message };
  if (e instanceof InputError) return { code: 'INPUT', message: e.message, details: e.fields };
  if (e instanceof SignedOutError) return { code: 'SIGNED_OUT', message: e.message };
  if (e instanceof StoreKeyError) return { code: 'STORE_KEY', message: e.message };
  if (e instanceof KeychainUnavailableError) return { code: 'KEYCHAIN', message: e.message };
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return { code: 'OFFLINE', message: e.message };
    if (e.code === 'UNAUTHENTICATED') return { code: 'SIGNED_OUT', message: e.message };
    if (e.code === 'TLS_UNTRUSTED' || e.code === 'TLS_CHANGED') return { code: e.code, message: e.message };
    const retryAfter = e.extensions['retryAfter'];
    return { code: 'SERVER', message: e.message, details: { code: e.code, ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}) } };
  }
  // Anything else is a bug: say so without leaking internals.
  return { code: 'INTERNAL', message: 'Something went wrong inside Inkstone; your local data is unchanged.' };
}

/** The CLI's exit code for each bridge code (documented in its usage text). */
export const EXIT_CODES: Record<IpcErrorCode, number> = {
  INVALID_INPUT: 2,
  UNKNOWN_CHANNEL: 2,
  PERMISSION: 3,
  INPUT: 1,
  OFFLINE: 4,
  SIGNED_OUT: 5,
  TLS_UNTRUSTED: 6,
  TLS_CHANGED: 6,
  SERVER: 1,
  KEYCHAIN: 1,
  STORE_KEY: 7,
  INTERNAL: 1,
};
