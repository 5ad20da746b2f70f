import type { RecordNode } from '../../shared/api/operations';
import type { Values } from '../../shared/domain';

/** A draft record as the server sends it, for tests that feed a local store directly. */
export const recordNode = (id: string, model: string, values: Values): RecordNode => ({
  id,
  model,
  version: 1,
  publishedVersion: null,
  status: 'draft',
  values,
  createdAt: 't',
  updatedAt: 't',
  createdBy: null,
  updatedBy: null,
});
