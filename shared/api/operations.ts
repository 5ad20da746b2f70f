/**
 * The GraphQL documents the clients send, and the shapes they answer with. Kept in shared/
 * so that the desktop core, the CLI and tests speak exactly the same operations.
 */
import type { Json, RecordStatus, Values } from '../domain/record';
import type { Model } from '../domain/schema';
import type { EffectivePermissions } from '../permissions/effective';

export interface RecordNode {
  id: string;
  model: string;
  version: number;
  publishedVersion: number | null;
  status: RecordStatus;
  values: Values;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

const RECORD_FIELDS = 'id model version publishedVersion status values createdAt updatedAt createdBy updatedBy';

export interface ViewerNode {
  user: { id: string; email: string; name: string; twoFactorEnabled: boolean } | null;
  apiToken: { id: string; name: string; kind: string } | null;
  role: { id: string; name: string; builtIn: boolean };
  permissions: EffectivePermissions;
  permissionsFingerprint: string;
}
const VIEWER_FIELDS = 'user { id email name twoFactorEnabled } apiToken { id name kind } role { id name builtIn } permissions permissionsFingerprint';

export const LOGIN = `mutation Login($email: String!, $password: String!, $otp: String) {
  login(email: $email, password: $password, otp: $otp) { token expiresAt viewer { ${VIEWER_FIELDS} } } }`;
export interface LoginResult {
  login: { token: string; expiresAt: string; viewer: ViewerNode };
}

export const LOGOUT = 'mutation Logout { logout }';

export const VIEWER = `query Viewer { viewer { ${VIEWER_FIELDS} } project { id name locales timezone requireTwoFactor } environments { id primary forkedFrom createdAt } }`;
export interface ViewerResult {
  viewer: ViewerNode;
  project: { id: string; name: string; locales: string[]; timezone: string; requireTwoFactor: boolean };
  environments: { id: string; primary: boolean; forkedFrom: string | null; createdAt: string }[];
}

export const MODELS = `query Models($environment: ID!) { models(environment: $environment) { id apiKey name singleton fields { id apiKey label type localized required validators } } }`;
export interface ModelsResult {
  models: Model[];
}

export const FOLDERS = `query Folders($environment: ID!) { folders(environment: $environment) { id name parentId path } }`;
export interface FoldersResult {
  folders: { id: string; name: string; parentId: string | null; path: string }[];
}

export const CHANGES = `query Changes($environment: ID!, $since: String, $limit: Int) {
  changes(environment: $environment, since: $since, limit: $limit) { changes { seq kind recordId model record { ${RECORD_FIELDS} } } nextCursor hasMore } }`;
export interface ChangesResult {
  changes: {
    changes: { seq: string; kind: 'UPSERT' | 'DELETE'; recordId: string; model: string; record: RecordNode | null }[];
    nextCursor: string;
    hasMore: boolean;
  };
}

export const CREATE_RECORD = `mutation CreateRecord($environment: ID!, $model: ID!, $id: ID, $values: JSON!, $clientMutationId: ID!) {
  createRecord(environment: $environment, model: $model, id: $id, values: $values, clientMutationId: $clientMutationId) { ${RECORD_FIELDS} } }`;
export interface CreateRecordResult {
  createRecord: RecordNode;
}

export const UPDATE_RECORD = `mutation UpdateRecord($environment: ID!, $id: ID!, $baseVersion: Int!, $values: JSON!, $clientMutationId: ID!) {
  updateRecord(environment: $environment, id: $id, baseVersion: $baseVersion, values: $values, clientMutationId: $clientMutationId) { ${RECORD_FIELDS} } }`;
export interface UpdateRecordResult {
  updateRecord: RecordNode;
}

export const PUBLISH_RECORD = `mutation PublishRecord($environment: ID!, $id: ID!, $clientMutationId: ID!, $baseVersion: Int) {
  publishRecord(environment: $environment, id: $id, clientMutationId: $clientMutationId, baseVersion: $baseVersion) { ${RECORD_FIELDS} } }`;
export const UNPUBLISH_RECORD = `mutation UnpublishRecord($environment: ID!, $id: ID!, $clientMutationId: ID!, $baseVersion: Int) {
  unpublishRecord(environment: $environment, id: $id, clientMutationId: $clientMutationId, baseVersion: $baseVersion) { ${RECORD_FIELDS} } }`;
export const DELETE_RECORD = `mutation DeleteRecord($environment: ID!, $id: ID!, $baseVersion: Int!, $clientMutationId: ID!) {
  deleteRecord(environment: $environment, id: $id, baseVersion: $baseVersion, clientMutationId: $clientMutationId) }`;

export const CREATE_UPLOAD_SLOT = `mutation CreateUploadSlot($environment: ID!, $folder: ID!, $filename: String!, $size: Int!, $mimeType: String!, $sha256: String!, $clientMutationId: ID!) {
  createUploadSlot(environment: $environment, folder: $folder, filename: $filename, size: $size, mimeType: $mimeType, sha256: $sha256, clientMutationId: $clientMutationId) { slotId putUrl } }`;
export interface CreateUploadSlotResult {
  createUploadSlot: { slotId: string; putUrl: string };
}

export interface AssetNode {
  id: string;
  folder: string;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  metadata: Json;
  createdAt: string;
  /** Pixel size of an image (null for other files). */
  width: number | null;
  height: number | null;
}

/** Media (issue 11): every asset the viewer may read in an environment, a page at a time. */
export const ASSET_FIELDS = 'id folder filename size mimeType sha256 metadata createdAt width height';
export const ASSETS_PAGE = `query AssetsPage($environment: ID!, $after: String) {
  assets(environment: $environment, first: 500, after: $after) { nodes { ${ASSET_FIELDS} } endCursor hasMore } }`;
export interface AssetsPageResult {
  assets: { nodes: AssetNode[]; endCursor: string | null; hasMore: boolean };
}
