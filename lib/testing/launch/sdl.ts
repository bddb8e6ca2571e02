/**
 * The local server's SDL of Launch: run queues (in an entity's `model-registry` project), their
 * default resource configs, their items, and the mutations that create, change and empty them.
 * Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of Launch. */
export const launchSdl: string = /* GraphQL */ `
extend type Project {
  runQueue(name: String!): RunQueue
  runQueues: [RunQueue!]!
}

type RunQueue {
  id: ID!
  name: String
  access: String
  defaultResourceConfigID: ID
  prioritizationMode: String
  externalLinks: JSONString
  runQueueItem(id: ID!): RunQueueItem
  runQueueItems(first: Int, after: String): RunQueueItemConnection!
}

type RunQueueItem {
  id: ID!
  state: String
  associatedRunId: String
  priority: Int
  createdAt: DateTime
}

type RunQueueItemConnection {
  pageInfo: PageInfo!
  edges: [RunQueueItemEdge!]!
}

type RunQueueItemEdge {
  node: RunQueueItem!
  cursor: String
}

type TemplateVariable {
  name: String!
  schema: JSONString
}

type DefaultResourceConfig {
  id: ID!
  resource: String!
  config: JSONString
  templateVariables: [TemplateVariable!]!
}

extend type Entity {
  defaultResourceConfig(id: ID!): DefaultResourceConfig
}

enum RunQueueAccessType {
  PROJECT
  USER
}

enum RunQueuePrioritizationMode {
  DISABLED
  V0
}

extend type Mutation {
  createDefaultResourceConfig(input: CreateDefaultResourceConfigInput!): CreateDefaultResourceConfigPayload
  createRunQueue(input: CreateRunQueueInput!): CreateRunQueuePayload
  upsertRunQueue(input: UpsertRunQueueInput!): UpsertRunQueuePayload
  deleteRunQueues(input: DeleteRunQueuesInput!): DeleteRunQueuesPayload
  deleteFromRunQueue(input: DeleteFromRunQueueInput!): DeleteFromRunQueuePayload
}

input CreateDefaultResourceConfigInput {
  entityName: String!
  resource: String!
  config: JSONString!
  templateVariables: JSONString
  clientMutationId: String
}

type CreateDefaultResourceConfigPayload {
  defaultResourceConfigID: ID
  success: Boolean!
  clientMutationId: String
}

input CreateRunQueueInput {
  entityName: String!
  projectName: String!
  queueName: String!
  access: RunQueueAccessType!
  prioritizationMode: RunQueuePrioritizationMode
  defaultResourceConfigID: ID
  clientMutationId: String
}

type CreateRunQueuePayload {
  success: Boolean
  queueID: ID
  clientMutationId: String
}

input UpsertRunQueueInput {
  entityName: String!
  projectName: String!
  queueName: String!
  resourceType: String!
  resourceConfig: JSONString!
  templateVariables: JSONString
  prioritizationMode: RunQueuePrioritizationMode
  externalLinks: JSONString
  clientMutationId: String
}

type UpsertRunQueuePayload {
  success: Boolean
  configSchemaValidationErrors: [String!]
  clientMutationId: String
}

input DeleteRunQueuesInput {
  queueIDs: [ID!]!
  clientMutationId: String
}

type DeleteRunQueuesPayload {
  success: Boolean
  clientMutationId: String
}

input DeleteFromRunQueueInput {
  queueID: ID!
  runQueueItemId: ID!
  clientMutationId: String
}

type DeleteFromRunQueuePayload {
  success: Boolean
  clientMutationId: String
}
`;
