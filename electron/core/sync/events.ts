/** Progress of a long step, for the UI's bars and the CLI's lines. */
export interface ProgressEvent {
  phase: 'viewer' | 'schema' | 'pull' | 'push' | 'upload';
  env?: string;
  /** Units done so far (changes applied, operations sent, bytes uploaded). */
  done: number;
  total?: number;
  message?: string;
}
export type ProgressListener = (e: ProgressEvent) => void;
