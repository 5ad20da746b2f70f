import type { Role } from './role';
import type { TokenScope } from './token';

/**
 * Who is asking. A user signed in with a session acts with their role; an API token acts
 * with its own scope, intersected with the role of the user it belongs to.
 */
export interface Principal {
  /** The user (for onCreator rules); null for a token that belongs to no user. */
  userId: string | null;
  role: Role;
  token?: TokenScope;
}
