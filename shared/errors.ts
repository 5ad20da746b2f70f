/** `extensions.code` of every error the server answers with (DESIGN §4). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'STALE_VERSION',
  'VALIDATION_FAILED',
  'RATE_LIMITED',
  'OTP_REQUIRED',
  'TWO_FACTOR_REQUIRED',
  'INVALID_CREDENTIALS',
  'CONFLICT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}
