import type { EffectivePermissions } from '../../../shared/permissions/effective';

/**
 * Whether the media library exists for this viewer in this environment: only if the role may
 * read, or upload into, at least one folder (the root counts). Roles decide what exists, so a
 * role with neither is offered no Media entry, no palette command and no upload anywhere.
 * Read from the effective permissions, the engine's own answer, never from a role's name.
 */
export function mayUseMedia(permissions: EffectivePermissions | null, env: string | null): boolean {
  const uploads = env ? permissions?.environments[env]?.uploads : undefined;
  if (!uploads) return false;
  return [uploads.read, uploads.create].some((grant) => grant.root || grant.folders.length > 0);
}
