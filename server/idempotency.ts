import type { RequestContext } from './context';
import { nowIso } from './store/db';
import { fail } from './errors';

/**
 * Runs `apply` at most once per (principal, clientMutationId): a retry returns the first
 * result and changes nothing. `apply` must be synchronous, and the whole runs in one
 * transaction, so concurrent retries cannot both apply.
 */
export function once<T>(ctx: RequestContext, operation: string, clientMutationId: string, apply: () => T): T {
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(clientMutationId)) {
    fail('VALIDATION_FAILED', 'clientMutationId must be 1-128 characters of letters, digits and _ . : -', {
      fields: { clientMutationId: 'invalid' },
    });
  }
  const key = ctx.requireViewer().key;
  return ctx.db.transaction(() => {
    const prior = ctx.db
      .prepare('SELECT operation, result FROM idempotency WHERE principal_key = ? AND client_mutation_id = ?')
      .get(key, clientMutationId) as { operation: string; result: string } | undefined;
    if (prior) {
      if (prior.operation !== operation) {
        fail('CONFLICT', `clientMutationId "${clientMutationId}" was already used for ${prior.operation}`);
      }
      return JSON.parse(prior.result) as T;
    }
    const result = apply();
    ctx.db
      .prepare('INSERT INTO idempotency (principal_key, client_mutation_id, operation, result, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(key, clientMutationId, operation, JSON.stringify(result), nowIso());
    return result;
  })();
}
