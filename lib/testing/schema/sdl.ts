/**
 * The project's own SDL of the W&B GraphQL schema.
 *
 * Grown from W&B's official subset (`wb_schema.gql` in wandb/weave) plus every type, field and
 * argument the official Python client's traffic uses (v0.26.1 and v0.17.9 captures), so that
 * every operation that client sends validates. Field semantics follow the real server as far as
 * public material shows it; the descriptions say where we had to choose.
 *
 * @module
 */

/** The W&B schema, as SDL text. */
export const wandbSdl: string = /* GraphQL */ `
schema {
  query: Query
  mutation: Mutation
}

"A JSON value sent as a string (config, summaryMetrics, filters, specs)."
scalar JSONString
"A JSON value sent as JSON."
scalar JSON
"An ISO-8601 timestamp."
scalar DateTime
"A 64-bit integer (steps, sizes)."
scalar Int64
"A duration in seconds."
scalar Duration

directive @audit on FIELD_DEFINITION
directive @constraints(min: Int, max: Int, pattern: String) on INPUT_FIELD_DEFINITION | FIELD_DEFINITION
directive @accessibleIf(cond: String, restrictEvenAdmins: Boolean) on FIELD_DEFINITION

interface Node {
  id: ID!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Query {
  viewer(entityName: String): User
  user(id: ID, userName: String): User
  users(query: String, before: String, after: String, first: Int, last: Int, usernames: [String!], ids: [ID!]): UserConnection
  entity(name: String, login: Boolean): Entity
  "The projects of an entity (the official client's GetProjects uses this root field)."
  models(entityName: String, order: String, anonymous: Boolean, before: String, after: String, first: Int, last: Int): ProjectConnection
  projects(entityName: String, order: String, anonymous: Boolean, before: String, after: String, first: Int, last: Int): ProjectConnection
  project(name: String, entityName: String): Project
  "The older name of project."
  model(name: String, entityName: String): Project
  artifact(id: ID!): Artifact
  artifactCollection(id: ID!): ArtifactCollection
  artifactSequence(id: ID!): ArtifactSequence
  serverInfo: ServerInfo
  view(id: ID!, type: String): View
}

type Mutation {
  upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
  upsertModel(input: UpsertModelInput!): UpsertModelPayload
  deleteRun(input: DeleteRunInput!): DeleteRunPayload
  updateRunState(input: UpdateRunStateInput!): UpdateRunStatePayload
  createRunFiles(input: CreateRunFilesInput!): CreateRunFilesPayload
  createTeam(input: CreateTeamInput!): CreateTeamPayload
  createUser(input: CreateUserInput!): CreateUserPayload
  addAliases(input: AddAliasesInput!): AddAliasesPayload
  deleteAliases(input: DeleteAliasesInput!): DeleteAliasesPayload
  updateArtifact(input: UpdateArtifactInput!): UpdateArtifactPayload
  deleteArtifact(input: DeleteArtifactInput!): DeleteArtifactPayload
  deleteFiles(input: DeleteFilesInput!): DeleteFilesPayload
  updateArtifactSequence(input: UpdateArtifactSequenceInput!): UpdateArtifactCollectionPayload
  updateArtifactPortfolio(input: UpdateArtifactPortfolioInput!): UpdateArtifactCollectionPayload
  deleteArtifactSequence(input: DeleteArtifactSequenceInput!): DeleteArtifactCollectionPayload
  deleteArtifactPortfolio(input: DeleteArtifactPortfolioInput!): DeleteArtifactCollectionPayload
  "Changes a collection's type (the official client's UpdateArtifactSequenceType)."
  moveArtifactSequence(input: MoveArtifactSequenceInput!): UpdateArtifactCollectionPayload
  createArtifactCollectionTagAssignments(input: CreateArtifactCollectionTagAssignmentsInput!): CreateArtifactCollectionTagAssignmentsPayload
  deleteArtifactCollectionTagAssignments(input: DeleteArtifactCollectionTagAssignmentsInput!): DeleteArtifactCollectionTagAssignmentsPayload
  linkArtifact(input: LinkArtifactInput!): LinkArtifactPayload
  unlinkArtifact(input: UnlinkArtifactInput!): UnlinkArtifactPayload
  "Marks an artifact as an input of a run."
  useArtifact(input: UseArtifactInput!): UseArtifactPayload
  "A new version of a collection (or, with enableDigestDeduplication, the version holding that digest), as an output of runName."
  createArtifact(input: CreateArtifactInput!): CreateArtifactPayload
}

type ServerInfo {
  features: [ServerFeature!]!
  latestLocalVersionInfo: JSON
}

type ServerFeature {
  name: String!
  isEnabled: Boolean!
}

type ApiKey implements Node {
  id: ID!
  name: String!
  description: String
}

type ApiKeyConnection {
  pageInfo: PageInfo
  edges: [ApiKeyEdge!]!
}

type ApiKeyEdge {
  node: ApiKey
  cursor: String
}

type User implements Node {
  id: ID!
  name: String!
  username: String
  email: String
  photoUrl: String
  admin: Boolean
  flags: JSONString
  "The user's default entity name."
  entity: String
  deletedAt: DateTime
  accountType: String
  apiKeys: ApiKeyConnection
  teams(before: String, after: String, first: Int, last: Int): EntityConnection
}

type UserConnection {
  pageInfo: PageInfo!
  edges: [UserEdge!]!
}

type UserEdge {
  node: User
  cursor: String!
}

type Member {
  id: ID
  admin: Boolean
  pending: Boolean
  email: String
  username: String
  name: String!
  photoUrl: String
  accountType: String
  apiKey: String
}

type Entity implements Node {
  id: ID!
  name: String!
  available: Boolean
  photoUrl: String
  readOnly: Boolean
  readOnlyAdmin: Boolean!
  isTeam: Boolean!
  privateOnly: Boolean
  storageBytes: Int64!
  codeSavingEnabled: Boolean!
  defaultAccess: String!
  isPaid: Boolean
  limits: JSONString
  members: [Member!]!
  project(name: String): Project
  projects(before: String, after: String, first: Int, last: Int, order: String): ProjectConnection
}

type EntityConnection {
  pageInfo: PageInfo
  edges: [EntityEdge!]!
}

type EntityEdge {
  node: Entity
  cursor: String
}

type Project implements Node {
  id: ID!
  "The numeric id the official client sends back as projectId."
  internalId: ID
  name: String!
  entityName: String!
  entity: Entity!
  description: String
  access: String
  views: JSONString
  readOnly: Boolean
  isBenchmark: Boolean
  createdAt: DateTime!
  updatedAt: DateTime
  user: User
  runCount(filters: JSONString): Int!
  runs(filters: JSONString, order: String, before: String, after: String, first: Int, last: Int): RunConnection
  run(name: String!): Run
  totalSweeps: Int!
  sweeps(after: String, first: Int, before: String, last: Int): SweepConnection
  sweep(sweepName: String!): Sweep
  allViews(viewType: String, viewName: String, first: Int, after: String, before: String, last: Int): ViewConnection
  runQueue(name: String!): RunQueue
  runQueues: [RunQueue!]!
  artifactType(name: String!): ArtifactType
  artifactTypes(after: String, first: Int, before: String, last: Int): ArtifactTypeConnection!
  artifact(name: String!, enableTracking: Boolean): Artifact
  artifactCollection(name: String!): ArtifactCollection
}

type ProjectConnection {
  pageInfo: PageInfo!
  edges: [ProjectEdge!]!
}

type ProjectEdge {
  node: Project
  cursor: String!
}

type Run implements Node {
  "The storage id (base64), used by mutations."
  id: ID!
  "The run id used in paths."
  name: String!
  displayName: String
  projectId: ID
  project: Project
  state: String
  tags: [String!]
  group: String
  jobType: String
  sweepName: String
  commit: String
  host: String
  readOnly: Boolean
  createdAt: DateTime!
  updatedAt: DateTime
  heartbeatAt: DateTime
  description: String
  notes: String
  user: User
  config(keys: [String!]): JSONString
  summaryMetrics(keys: [String!]): JSONString
  systemMetrics: JSONString
  historyLineCount: Int
  "An object: lastStep, and per key its typeCounts."
  historyKeys(format: String): JSON
  "Rows as JSON strings. Without a window, at most samples rows spread evenly over the whole history. With minStep and maxStep, the rows with minStep <= _step < maxStep, at most samples of them."
  history(samples: Int, minStep: Int64, maxStep: Int64): [String!]!
  "System metrics rows as JSON strings, at most samples of them."
  events(samples: Int): [String!]!
  "One list of row objects per spec (keys, samples, minStep, maxStep)."
  sampledHistory(specs: [JSONString!]!): [JSON!]!
  parquetHistory(liveKeys: [String!]!): ParquetHistory!
  fileCount: Int
  files(names: [String], after: String, first: Int, before: String, last: Int, pattern: String): FileConnection
  outputArtifacts(after: String, first: Int, before: String, last: Int): ArtifactConnection
  inputArtifacts(after: String, first: Int, before: String, last: Int): InputArtifactConnection
}

type RunConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [RunEdge!]!
}

type RunEdge {
  node: Run!
  cursor: String!
}

type ParquetHistory {
  liveData: [JSON!]!
  parquetUrls: [String!]!
}

type File implements Node {
  id: ID!
  name: String!
  displayName: String
  url(upload: Boolean): String
  directUrl: String
  uploadUrl: String
  sizeBytes: Int64
  mimetype: String
  updatedAt: DateTime
  md5: String
  digest: String
  storagePath: String
}

type FileConnection {
  totalCount: Int
  pageInfo: PageInfo!
  edges: [FileEdge!]!
}

type FileEdge {
  node: File
  cursor: String!
}

type Sweep implements Node {
  id: ID!
  name: String!
  displayName: String
  method: String
  state: String
  description: String
  bestLoss: Float
  "The sweep config as a YAML string."
  config: String
  createdAt: DateTime!
  updatedAt: DateTime
  runCount: Int!
  runCountExpected: Int
}

type SweepConnection {
  pageInfo: PageInfo!
  edges: [SweepEdge!]!
}

type SweepEdge {
  node: Sweep
  cursor: String
}

type View implements Node {
  id: ID!
  name: String
  displayName: String
  description: String
  type: String
  user: User
  spec: JSONString
  createdAt: DateTime!
  updatedAt: DateTime
}

type ViewConnection {
  pageInfo: PageInfo!
  edges: [ViewEdge!]!
}

type ViewEdge {
  node: View
  cursor: String
}

type RunQueue {
  id: ID!
  name: String
  access: String
  defaultResourceConfigID: ID
  prioritizationMode: String
  externalLinks: JSONString
  runQueueItem(id: ID!): RunQueueItem
}

type RunQueueItem {
  id: ID!
  state: String
  associatedRunId: String
}

enum ArtifactState {
  PENDING
  COMMITTED
  DELETED
}

type Tag {
  id: ID!
  name: String!
  attributes: JSONString
  tagCategoryName: String
}

type TagConnection {
  pageInfo: PageInfo!
  edges: [TagEdge!]!
}

type TagEdge {
  node: Tag!
  cursor: String
}

type ArtifactType {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime
  project: Project
  artifactCollections(after: String, first: Int, before: String, last: Int, filters: JSONString, order: String): ArtifactCollectionConnection
  artifactCollection(name: String!): ArtifactCollection
  artifact(name: String!): Artifact
}

type ArtifactTypeConnection {
  pageInfo: PageInfo!
  edges: [ArtifactTypeEdge!]!
}

type ArtifactTypeEdge {
  node: ArtifactType
  cursor: String
}

interface ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
}

type ArtifactSequence implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
  latestArtifact: Artifact
}

type ArtifactPortfolio implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
}

type ArtifactCollectionConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [ArtifactCollectionEdge!]!
}

type ArtifactCollectionEdge {
  node: ArtifactCollection
  cursor: String
}

type ArtifactAlias {
  id: ID
  alias: String!
  artifactCollection: ArtifactCollection
}

enum ArtifactCollectionState {
  READY
  DELETED
}

"The type of an artifact's creator: a run, or a user."
union ArtifactCreator = Run | User

type ArtifactAliasConnection {
  pageInfo: PageInfo!
  edges: [ArtifactAliasEdge!]!
}

type ArtifactAliasEdge {
  node: ArtifactAlias
  cursor: String
}

type ArtifactCollectionMembership {
  id: ID!
  versionIndex: Int
  aliases: [ArtifactAlias!]!
  artifactCollection: ArtifactCollection
  artifact: Artifact
}

type ArtifactCollectionMembershipConnection {
  pageInfo: PageInfo!
  edges: [ArtifactCollectionMembershipEdge!]!
}

type ArtifactCollectionMembershipEdge {
  node: ArtifactCollectionMembership
  cursor: String
}

input UpdateArtifactSequenceInput {
  artifactSequenceID: ID!
  name: String
  description: String
  clientMutationId: String
}

input UpdateArtifactPortfolioInput {
  artifactPortfolioID: ID!
  name: String
  description: String
  clientMutationId: String
}

type UpdateArtifactCollectionPayload {
  artifactCollection: ArtifactCollection!
  clientMutationId: String
}

input DeleteArtifactSequenceInput {
  artifactSequenceID: ID!
  clientMutationId: String
}

input DeleteArtifactPortfolioInput {
  artifactPortfolioID: ID!
  clientMutationId: String
}

type DeleteArtifactCollectionPayload {
  artifactCollection: ArtifactCollection!
  clientMutationId: String
}

input MoveArtifactSequenceInput {
  artifactSequenceID: ID!
  destinationArtifactTypeName: String!
  clientMutationId: String
}

input CreateArtifactCollectionTagAssignmentsInput {
  entityName: String!
  projectName: String!
  artifactCollectionName: String!
  tags: [TagInput!]!
  clientMutationID: String
}

type CreateArtifactCollectionTagAssignmentsPayload {
  tags: [Tag!]!
  clientMutationID: String
}

input DeleteArtifactCollectionTagAssignmentsInput {
  entityName: String!
  projectName: String!
  artifactCollectionName: String!
  tags: [TagInput!]!
  clientMutationID: String
}

type DeleteArtifactCollectionTagAssignmentsPayload {
  success: Boolean!
  clientMutationID: String
}

input ArtifactAliasInput {
  artifactCollectionName: String!
  alias: String!
}

input LinkArtifactInput {
  artifactID: ID
  artifactPortfolioID: ID
  artifactPortfolioName: String
  entityName: String
  projectName: String
  aliases: [ArtifactAliasInput!]
  clientID: ID
  clientMutationId: String
}

type LinkArtifactPayload {
  versionIndex: Int
  artifactMembership: ArtifactCollectionMembership
  clientMutationId: String
}

input UnlinkArtifactInput {
  artifactID: ID!
  artifactPortfolioID: ID!
  clientMutationId: String
}

type UnlinkArtifactPayload {
  success: Boolean!
  clientMutationId: String
}

input UseArtifactInput {
  entityName: String!
  projectName: String!
  runName: String!
  artifactID: ID!
  usedAs: String
  artifactEntityName: String
  artifactProjectName: String
  clientMutationId: String
}

type UseArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

enum ArtifactDigestAlgorithm {
  MANIFEST_MD5
}

input CreateArtifactInput {
  artifactTypeName: String!
  artifactCollectionNames: [String!]
  entityName: String!
  projectName: String!
  runName: String
  description: String
  digest: String!
  digestAlgorithm: ArtifactDigestAlgorithm
  aliases: [ArtifactAliasInput!]
  metadata: JSONString
  clientID: ID
  sequenceClientID: ID
  enableDigestDeduplication: Boolean
  ttlDurationSeconds: Int64
  tags: [TagInput!]
  historyStep: Int64
  distributedID: String
  clientMutationId: String
}

type CreateArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

type ArtifactManifest {
  id: ID!
  file: File!
}

type Artifact implements Node {
  id: ID!
  artifactSequence: ArtifactSequence!
  versionIndex: Int
  artifactType: ArtifactType!
  description: String
  metadata: JSONString
  ttlDurationSeconds: Int64
  ttlIsInherited: Boolean
  tags: [Tag!]!
  historyStep: Int64
  state: ArtifactState!
  size: Int64!
  digest: String!
  commitHash: String
  fileCount: Int64!
  createdAt: DateTime!
  updatedAt: DateTime
  aliases: [ArtifactAlias!]!
  currentManifest: ArtifactManifest
  files(names: [String], after: String, first: Int, before: String, last: Int): FileConnection!
  "The runs that used it."
  usedBy(after: String, first: Int): RunConnection!
  "The run (or user) that logged it."
  createdBy: ArtifactCreator
  "Its memberships: its own collection's, and the portfolios it is linked into."
  artifactMemberships(after: String, first: Int): ArtifactCollectionMembershipConnection!
}

type ArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [ArtifactEdge!]!
}

type ArtifactEdge {
  node: Artifact
  cursor: String
}

type InputArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [InputArtifactEdge!]!
}

type InputArtifactEdge {
  node: Artifact
  cursor: String
}

type VersionedArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [VersionedArtifactEdge!]!
}

type VersionedArtifactEdge {
  node: Artifact!
  version: String!
  cursor: String
}

input UpsertBucketInput {
  id: String
  name: String
  groupName: String
  modelName: String
  entityName: String
  description: String
  displayName: String
  notes: String
  commit: String
  config: JSONString
  host: String
  debug: Boolean
  program: String
  repo: String
  jobType: String
  state: String
  sweep: String
  tags: [String!]
  summaryMetrics: JSONString
  clientMutationId: String
}

type UpsertBucketPayload {
  bucket: Run
  inserted: Boolean
  clientMutationId: String
}

input UpsertModelInput {
  id: String
  name: String
  entityName: String
  description: String
  access: String
  views: JSONString
  clientMutationId: String
}

type UpsertModelPayload {
  project: Project
  model: Project
  inserted: Boolean
  clientMutationId: String
}

input DeleteRunInput {
  id: ID!
  deleteArtifacts: Boolean
  clientMutationId: String
}

type DeleteRunPayload {
  clientMutationId: String
}

input UpdateRunStateInput {
  id: ID!
  state: String!
  clientMutationId: String
}

type UpdateRunStatePayload {
  success: Boolean!
  clientMutationId: String
}

input CreateRunFilesInput {
  entityName: String!
  projectName: String!
  runName: String!
  files: [String!]!
  clientMutationId: String
}

type CreateRunFilesPayload {
  runID: ID!
  uploadHeaders: [String!]!
  files: [File!]!
  clientMutationId: String
}

input CreateTeamInput {
  teamName: String!
  teamAdminUserName: String
  organizationId: String
  clientMutationId: String
}

type CreateTeamPayload {
  entity: Entity
  clientMutationId: String
}

input CreateUserInput {
  email: String!
  admin: Boolean
  clientMutationId: String
}

type CreateUserPayload {
  user: User
  clientMutationId: String
}

input ArtifactCollectionAliasInput {
  alias: String!
  artifactCollectionName: String!
  entityName: String!
  projectName: String!
}

input AddAliasesInput {
  aliases: [ArtifactCollectionAliasInput!]!
  artifactID: ID!
  clientMutationId: String
}

type AddAliasesPayload {
  success: Boolean!
  clientMutationId: String
}

input DeleteAliasesInput {
  aliases: [ArtifactCollectionAliasInput!]!
  artifactID: ID!
  clientMutationId: String
}

type DeleteAliasesPayload {
  success: Boolean!
  clientMutationId: String
}

input TagInput {
  tagName: String!
  tagCategoryName: String
  attributes: JSONString
}

input UpdateArtifactInput {
  artifactID: ID!
  description: String
  metadata: JSONString
  ttlDurationSeconds: Int64
  tagsToAdd: [TagInput!]
  tagsToDelete: [TagInput!]
  aliases: [ArtifactCollectionAliasInput!]
  clientMutationId: String
}

type UpdateArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

input DeleteArtifactInput {
  artifactID: ID!
  deleteAliases: Boolean
  clientMutationId: String
}

type DeleteArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

input DeleteFilesInput {
  files: [ID!]!
  projectId: Int
  clientMutationId: String
}

type DeleteFilesPayload {
  success: Boolean
  clientMutationId: String
}
`;
