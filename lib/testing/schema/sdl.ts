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

import { artifactsSdl } from "../artifacts/sdl.ts";
import { filesSdl } from "../files/sdl.ts";
import { teamsSdl } from "../teams/sdl.ts";
import { launchSdl } from "../launch/sdl.ts";

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
  serverInfo: ServerInfo
  view(id: ID!, type: String): View
}

type Mutation {
  upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
  upsertModel(input: UpsertModelInput!): UpsertModelPayload
  deleteRun(input: DeleteRunInput!): DeleteRunPayload
  updateRunState(input: UpdateRunStateInput!): UpdateRunStatePayload
  createTeam(input: CreateTeamInput!): CreateTeamPayload
  createUser(input: CreateUserInput!): CreateUserPayload
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

"The type of an artifact's creator: a run, or a user."

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
` +
  filesSdl + artifactsSdl + teamsSdl + launchSdl;
