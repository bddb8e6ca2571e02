/**
 * The local server's SDL of runs. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of runs. */
export const runsSdl: string = /* GraphQL */ `
extend type Mutation {
  upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
  deleteRun(input: DeleteRunInput!): DeleteRunPayload
  updateRunState(input: UpdateRunStateInput!): UpdateRunStatePayload
  "Flags a run to stop: its process reads the flag with its next heartbeat (the App's Stop run)."
  stopRun(input: StopRunInput!): StopRunPayload
}

extend type Project {
  runCount(filters: JSONString): Int!
  runs(filters: JSONString, order: String, before: String, after: String, first: Int, last: Int): RunConnection
  run(name: String!): Run
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
  "Whether the run was asked to stop (stopRun); its process stops at its next heartbeat."
  shouldStop: Boolean
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

input StopRunInput {
  id: ID!
  clientMutationId: String
}

type StopRunPayload {
  success: Boolean
  clientMutationId: String
}

type UpdateRunStatePayload {
  success: Boolean!
  clientMutationId: String
}
`;
