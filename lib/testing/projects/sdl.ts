/**
 * The local server's SDL of projects. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of projects. */
export const projectsSdl: string = /* GraphQL */ `
extend type Query {
  "The projects of an entity (the official client's GetProjects uses this root field)."
  models(entityName: String, order: String, anonymous: Boolean, before: String, after: String, first: Int, last: Int): ProjectConnection
  projects(entityName: String, order: String, anonymous: Boolean, before: String, after: String, first: Int, last: Int): ProjectConnection
  project(name: String, entityName: String): Project
  "The older name of project."
  model(name: String, entityName: String): Project
}

extend type Mutation {
  upsertModel(input: UpsertModelInput!): UpsertModelPayload
}

extend type Entity {
  project(name: String): Project
  "Its projects, those matching filters (Mongo-style, over name, description, createdAt, updatedAt) when given."
  projects(before: String, after: String, first: Int, last: Int, order: String, filters: JSONString): ProjectConnection
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
}

type ProjectConnection {
  pageInfo: PageInfo!
  edges: [ProjectEdge!]!
}

type ProjectEdge {
  node: Project
  cursor: String!
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
`;
