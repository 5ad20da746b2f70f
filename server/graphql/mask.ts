import { maskError as yogaMaskError } from 'graphql-yoga';
import { isErrorCode } from '../../shared/errors';

/** What replaces an error no contract code explains (yoga's word for it). */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

/**
 * Our errors carry a contract code (DESIGN §4): they pass through. Anything else is a bug and is
 * masked. Checked by shape, not instanceof: the graphql module may load twice (ESM and CJS) and
 * the two GraphQLError classes differ. Yoga's masking and the direct path (direct.ts) both use it.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const e = error as { path?: unknown; extensions?: { code?: unknown }; originalError?: { name?: string; extensions?: { code?: unknown } } };
  const original = e.originalError;
  if (isErrorCode(original?.extensions?.code) || isErrorCode(e.extensions?.code)) return error as Error;
  // GraphQL's own complaint about the request (a variable it cannot coerce), raised
  // before any resolver ran: the caller's fault, worth saying as is.
  if (e.path === undefined && original?.name === 'GraphQLError') return error as Error;
  if (original) console.error('inkstone-server: unexpected error', original);
  return yogaMaskError(error, message, isDev);
}
