import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../shared/errors';

/** Throws the GraphQL error clients rely on: `extensions.code` plus whatever the code carries. */
export function fail(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): never {
  throw new GraphQLError(message, { extensions: { code, ...extra } });
}

export const notFound = (what: string): never => fail('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string, reason: string, extra: Record<string, unknown> = {}): never =>
  fail('FORBIDDEN', message, { reason, ...extra });
export const invalid = (message: string, fields: Record<string, string>): never => fail('VALIDATION_FAILED', message, { fields });
