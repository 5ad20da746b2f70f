import type { EnvironmentRef } from '../../shared/domain';
import type { ViewerResult } from '../../shared/api/operations';
import type { ApiClient } from './api/client';
import type { LocalStore } from './store/store';

/** What each part of the core reaches the others through (the session owns it). */
export interface CoreContext {
  readonly dataDir: string;
  /** The open local store; SignedOutError when no account has one. */
  store(): LocalStore;
  /** The API client of the account; SignedOutError when there is none. */
  api(): ApiClient;
  /** The viewer kept in the store (works signed out, with a kept copy). */
  viewer(): ViewerResult;
  /** A reachable environment; PermissionError otherwise. */
  env(env: string): EnvironmentRef;
  /** The status may have changed (session.changed). */
  changed(): void;
  /** Something new waits to be sent: tell the status and the automatic sync. */
  edited(): void;
}
