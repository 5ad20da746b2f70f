import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import { isErrorCode } from '../../shared/errors';

/**
 * DESIGN §4: every error carries one of the contract's codes in `extensions.code`. Our
 * resolvers' errors do; those GraphQL and Yoga raise themselves (malformed JSON, syntax,
 * unknown fields, limits, a variable of the wrong type) carry none or Yoga's own
 * (BAD_REQUEST, GRAPHQL_PARSE_FAILED, …), and all are faults in the request:
 * VALIDATION_FAILED, Yoga's code kept as `graphqlCode`. An error with a `path` and no
 * contract code is a masked internal error and is left alone.
 */
export function withCode(error: GraphQLError): GraphQLError {
  const code = error.extensions?.['code'];
  if (isErrorCode(code) || error.path !== undefined) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: 'VALIDATION_FAILED', ...(code !== undefined ? { graphqlCode: code } : {}) },
  });
}

export const codeEveryError: Plugin = {
  onResultProcess({ result, setResult }) {
    // Only single results reach here: no batching, no subscriptions, no @defer.
    if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
    setResult({ ...result, errors: result.errors.map(withCode) });
  },
};
