/** The schema: DESIGN §4's core exactly, then the admin, environment, schema, asset and 2FA operations. */
export const typeDefs = /* GraphQL */ `
scalar JSON
scalar DateTime
enum RecordStatus { draft published updated }
enum ChangeKind { UPSERT DELETE }

type Query {
  viewer: Viewer!
  environments: [Environment!]!
  locales: [String!]!
  models(environment: ID!): [Model!]!
  records(environment: ID!, model: ID!, first: Int = 100, after: String): RecordPage!
  record(environment: ID!, id: ID!): Record
  recordVersions(environment: ID!, id: ID!): [RecordVersion!]!
  changes(environment: ID!, since: String, limit: Int = 500): ChangePage!
  folders(environment: ID!): [Folder!]!
  assets(environment: ID!, folder: ID, first: Int = 100, after: String): AssetPage!
  project: Project!
  auditLog(first: Int = 100, after: String, recordId: ID): AuditPage!
  roles: [RoleDetail!]!
  collaborators: [Collaborator!]!
  apiTokens: [ApiTokenDetail!]!
  people(ids: [ID!]!): [Person!]!
}
type Viewer { user: User  apiToken: ApiTokenInfo  role: Role!  permissions: JSON!  permissionsFingerprint: String! }
type Person { id: ID!  name: String! }
type User { id: ID!  email: String!  name: String!  twoFactorEnabled: Boolean! }
type ApiTokenInfo { id: ID!  name: String!  kind: String! }
type Role { id: ID!  name: String!  builtIn: Boolean! }
type Environment { id: ID!  primary: Boolean!  forkedFrom: ID  createdAt: DateTime! }
type Model { id: ID!  apiKey: String!  name: String!  singleton: Boolean!  fields: [Field!]! }
type Field { id: ID!  apiKey: String!  label: String!  type: String!  localized: Boolean!  required: Boolean!  validators: JSON! }
type Record { id: ID!  model: ID!  version: Int!  publishedVersion: Int  status: RecordStatus!
              values: JSON!  createdAt: DateTime!  updatedAt: DateTime!  createdBy: ID  updatedBy: ID }
type RecordPage { nodes: [Record!]!  endCursor: String  hasMore: Boolean! }
type RecordVersion { version: Int!  values: JSON!  createdAt: DateTime!  createdBy: ID }
type Change { seq: String!  kind: ChangeKind!  recordId: ID!  model: ID!  record: Record }
type ChangePage { changes: [Change!]!  nextCursor: String!  hasMore: Boolean! }
type Folder { id: ID!  name: String!  parentId: ID  path: String! }
type Asset { id: ID!  folder: ID!  filename: String!  size: Int!  mimeType: String!  sha256: String!  metadata: JSON!  createdAt: DateTime!  width: Int  height: Int }
type AssetPage { nodes: [Asset!]!  endCursor: String  hasMore: Boolean! }
type Session { token: String!  expiresAt: DateTime!  viewer: Viewer! }
type UploadSlot { slotId: ID!  putUrl: String! }

type Project { id: ID!  name: String!  locales: [String!]!  timezone: String!  requireTwoFactor: Boolean! }
type AuditEntry { id: ID!  at: DateTime!  userId: ID  tokenId: ID  environment: ID  action: String!  targetType: String!  targetId: ID  details: JSON! }
type AuditPage { nodes: [AuditEntry!]!  endCursor: String  hasMore: Boolean! }
type RoleDetail { id: ID!  name: String!  builtIn: Boolean!  definition: JSON! }
type Collaborator { id: ID!  email: String!  name: String!  roleId: ID!  twoFactorEnabled: Boolean! }
type Invitation { email: String!  token: String! }
type ApiTokenDetail { id: ID!  name: String!  kind: String!  scope: JSON!  userId: ID!  createdAt: DateTime!  lastUsedAt: DateTime }
type ApiTokenSecret { token: String!  apiToken: ApiTokenDetail! }
type TwoFactorSetup { secret: String!  otpauthUrl: String! }

type Mutation {
  login(email: String!, password: String!, otp: String): Session!
  logout: Boolean!
  createRecord(environment: ID!, model: ID!, id: ID, values: JSON!, clientMutationId: ID!): Record!
  updateRecord(environment: ID!, id: ID!, baseVersion: Int!, values: JSON!, clientMutationId: ID!): Record!
  publishRecord(environment: ID!, id: ID!, clientMutationId: ID!, baseVersion: Int): Record!
  unpublishRecord(environment: ID!, id: ID!, clientMutationId: ID!, baseVersion: Int): Record!
  deleteRecord(environment: ID!, id: ID!, baseVersion: Int!, clientMutationId: ID!): Boolean!
  restoreRecordVersion(environment: ID!, id: ID!, version: Int!, clientMutationId: ID!): Record!
  createUploadSlot(environment: ID!, folder: ID!, filename: String!, size: Int!, mimeType: String!,
                   sha256: String!, clientMutationId: ID!): UploadSlot!
  replaceAssetFile(environment: ID!, id: ID!, filename: String!, size: Int!, mimeType: String!,
                   sha256: String!, clientMutationId: ID!): UploadSlot!
  updateAsset(environment: ID!, id: ID!, metadata: JSON!, clientMutationId: ID!): Asset!
  moveAsset(environment: ID!, id: ID!, folder: ID!, clientMutationId: ID!): Asset!
  deleteAsset(environment: ID!, id: ID!, clientMutationId: ID!): Boolean!
  createFolder(environment: ID!, name: String!, parentId: ID, clientMutationId: ID!): Folder!

  createEnvironment(id: ID!, from: ID!): Environment!
  promoteEnvironment(id: ID!): Environment!
  deleteEnvironment(id: ID!): Boolean!

  createModel(environment: ID!, apiKey: String!, name: String!, singleton: Boolean): Model!
  createField(environment: ID!, model: ID!, field: JSON!): Model!
  deleteField(environment: ID!, model: ID!, field: ID!): Model!
  deleteModel(environment: ID!, model: ID!): Boolean!

  createRole(input: JSON!): RoleDetail!
  updateRole(id: ID!, input: JSON!): RoleDetail!
  deleteRole(id: ID!): Boolean!
  inviteCollaborator(email: String!, role: ID!): Invitation!
  acceptInvitation(token: String!, name: String!, password: String!): Session!
  changeCollaboratorRole(userId: ID!, role: ID!): Boolean!
  removeCollaborator(userId: ID!): Boolean!

  createApiToken(name: String!, scope: JSON!): ApiTokenSecret!
  rotateApiToken(id: ID!): ApiTokenSecret!
  deleteApiToken(id: ID!): Boolean!

  setupTwoFactor: TwoFactorSetup!
  confirmTwoFactor(otp: String!): Boolean!
  disableTwoFactor(otp: String!): Boolean!
  updateProjectSettings(input: JSON!): Project!
}
`;
