import type { ErrorCode } from '../../../shared/errors';

/** An error the server answered with, or one the client decided before sending. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'TLS_UNTRUSTED' | 'TLS_CHANGED' | 'INSECURE_URL' | 'REDIRECT_REFUSED' | 'PROTOCOL',
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server's certificate is not trusted yet: the user must confirm its fingerprint. */
export class UntrustedCertificateError extends ApiError {
  constructor(
    readonly origin: string,
    readonly fingerprint: string,
    readonly subject: string,
  ) {
    super('TLS_UNTRUSTED', `The certificate of ${origin} is not trusted. Its SHA-256 fingerprint is ${fingerprint}. Confirm it only if it matches what the server's administrator gave you.`, {
      fingerprint,
    });
  }
}

/** A pinned server now presents another certificate: never silently accepted. */
export class ChangedCertificateError extends ApiError {
  constructor(
    readonly origin: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      'TLS_CHANGED',
      `The certificate of ${origin} has changed: expected SHA-256 ${expected}, got ${actual}. This can mean someone is intercepting the connection. ` +
        'If the administrator replaced the certificate, remove the old one from the trusted certificates and connect again.',
      { expected, actual },
    );
  }
}
