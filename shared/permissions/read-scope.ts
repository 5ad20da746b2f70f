import type { EffectivePermissions } from './effective';

/**
 * What decides which records of `env` a viewer may read, as one comparable string: whether the
 * environment is reached, published-only, whose records count as "own", and each model's read
 * grant. Two permission sets with the same scope read the same records, so a client need not
 * pull an environment again when only other rights changed (a field deleted changes the cells
 * one may write, and so the fingerprint, not what one may read).
 */
export function readScope(perms: EffectivePermissions, env: string): string {
  const e = perms.environments[env];
  if (!e) return 'unreachable';
  const models = Object.keys(e.models)
    .sort()
    .map((id) => [id, e.models[id]!.read.own, e.models[id]!.read.others] as const)
    .filter(([, own, others]) => own || others);
  return JSON.stringify({ publishedOnly: perms.publishedOnly, userId: perms.userId, models });
}
