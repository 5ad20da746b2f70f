import type { RequestContext } from './context';
import { nowIso } from './store/db';
import { fail } from './errors';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/permissions';

/**
 * Runs `apply` at most once per (principal, clientMutationId): a retry returns the first
 * result and changes nothing. The key stays bound to the request it first answered: the
 * same id sent with another operation or other arguments is a CONFLICT, never the first
 * result passed off as the answer to a different request. `apply` must be synchronous, and
 * the whole runs in one transaction, so concurrent retries cannot both apply.
 */
export function once<T>(ctx: RequestContext, operation: string, request: { clientMutationId: string }, apply: () => T): T {
  const { clientMutationId } = request;
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(clientMutationId)) {
    fail('VALIDATION_FAILED', 'clientMutationId must be 1-128 characters of letters, digits and _ . : -', {
      fields: { clientMutationId: 'invalid' },
    });
  }
  const key = ctx.requireViewer().key;
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  return ctx.db.transaction(() => {
    const prior = ctx.db
      .prepare('SELECT operation, result, request_hash AS requestHash FROM idempotency WHERE principal_key = ? AND client_mutation_id = ?')
      .get(key, clientMutationId) as { operation: string; result: string; requestHash: string | null } | undefined;
    if (prior) {
      if (prior.operation !== operation) {
        fail('CONFLICT', `clientMutationId "${clientMutationId}" was already used for ${prior.operation}`);
      }
      // Keys stored before request hashes were kept (NULL) answer as before.
      if (prior.requestHash !== null && prior.requestHash !== requestHash) {
        fail('CONFLICT', `clientMutationId "${clientMutationId}" was already used for a different ${operation} request`);
      }
      return JSON.parse(prior.result) as T;
    }
    const result = apply();
    ctx.db
      .prepare('INSERT INTO idempotency (principal_key, client_mutation_id, operation, result, created_at, request_hash) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, clientMutationId, operation, JSON.stringify(result), nowIso(), requestHash);
    return result;
  })();
}
